from django.urls import path

from ctip.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.commitment_list, name="commitment_list"),
    path("new/", views.commitment_create, name="commitment_create"),
    path("gaps/", views.gaps, name="gaps"),
    path("<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("<int:pk>/allocations/", views.allocation_set, name="allocation_set"),
    path("<int:pk>/disbursements/", views.disbursement_create, name="disbursement_create"),
]
