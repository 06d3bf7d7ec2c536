from ctip.plans import dashboard_views, import_views, views

app_name = "plans"
urlpatterns = [
    *views.urlpatterns,
    *import_views.urlpatterns,
    *dashboard_views.urlpatterns,
]
