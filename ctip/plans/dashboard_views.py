"""The dashboard and the national progress report (owned by the dashboard/report work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
