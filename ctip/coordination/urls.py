from django.urls import URLPattern

app_name = "coordination"
urlpatterns: list[URLPattern] = []
