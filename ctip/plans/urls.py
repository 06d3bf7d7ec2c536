from ctip.plans import import_views, views

app_name = "plans"
urlpatterns = [
    *views.urlpatterns,
    *import_views.urlpatterns,
]
