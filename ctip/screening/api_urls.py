"""The screening app's API routes, included under /api/v1/ like every app's ``api_urls`` (ctip/api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ctip.screening import api

router = SimpleRouter()
router.register("screenings", api.ScreeningViewSet, basename="screening")

urlpatterns = [
    path("screening/assess", api.assess, name="screening-assess"),
    *router.urls,
]
