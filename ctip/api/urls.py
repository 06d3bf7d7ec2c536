from csp.constants import SELF
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from ctip.api import views
from ctip.screening import api as screening_api

app_name = "api"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("screenings", screening_api.ScreeningViewSet, basename="screening")

urlpatterns = [
    path("me/", views.me, name="me"),
    path("screening/assess", screening_api.assess, name="screening-assess"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles on its own elements; its script is served as a file (the split view).
    path(
        "docs/",
        csp_replace({"style-src": [SELF, "'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("", include(router.urls)),
    path("", include("ctip.cases.api")),
]
