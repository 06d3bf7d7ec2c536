from django.urls import path

from ctip.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.screening_list, name="list"),
    path("new/", views.consent, name="new"),
    path("new/interview/", views.interview, name="interview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/record.pdf", views.printable, name="pdf"),
]
