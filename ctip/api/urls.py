"""The REST API under /api/v1/: the platform's own endpoints, then every installed app's ``api_urls`` module.

An app with an API keeps its routes in ``ctip/<app>/api_urls.py``; it is included here by name, the same way for
every app, so the platform never imports a domain app (``[tool.importlinter]`` in pyproject.toml).
"""

from importlib.util import find_spec

from csp.constants import SELF
from csp.decorators import csp_replace
from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from ctip.api import views

app_name = "api"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("memberships", views.MembershipViewSet, basename="membership")


def _app_routes() -> list[URLPattern | URLResolver]:
    """Include ``<app>.api_urls`` for every installed ctip app that has one, in INSTALLED_APPS order."""
    names = [config.name + ".api_urls" for config in apps.get_app_configs() if config.name.startswith("ctip.")]
    return [path("", include(name)) for name in names if find_spec(name) is not None]


urlpatterns = [
    path("me/", views.me, name="me"),
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
    *_app_routes(),
]
