"""Upload a plan workbook, download the template and the export (owned by the import/export work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
