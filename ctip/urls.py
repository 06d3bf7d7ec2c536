from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from ctip.core import views as core_views

admin.site.site_header = "ctip"
admin.site.site_title = "ctip"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("ctip.core.urls")),
    path("accounts/", include("ctip.accounts.urls")),
    path("orgs/", include("ctip.orgs.urls")),
    path("audit/", include("ctip.audit.urls")),
    path("screening/", include("ctip.screening.urls")),
    path("plans/", include("ctip.plans.urls")),
    path("cases/", include("ctip.cases.urls")),
    path("coordination/", include("ctip.coordination.urls")),
    path("funding/", include("ctip.funding.urls")),
    path("api/v1/", include("ctip.api.urls")),
    # Everyone logs in through one door (lock-out, audit, and later the second factor).
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    ),
    path("admin/", admin.site.urls),
]

handler400 = "ctip.core.views.bad_request"
handler403 = "ctip.core.views.permission_denied"
handler404 = "ctip.core.views.page_not_found"
handler500 = "ctip.core.views.server_error"
