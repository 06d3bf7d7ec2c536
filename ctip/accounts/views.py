from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from ctip.accounts import access, lockout
from ctip.accounts.forms import (
    AuditedPasswordChangeForm,
    AuditedSetPasswordForm,
    ChooseOrganisationForm,
    LoginForm,
    QueuedPasswordResetForm,
)
from ctip.accounts.middleware import second_factor_exempt
from ctip.accounts.services import session_org_switched
from ctip.core.http import CtipRequest
from ctip.core.i18n import remember_language
from ctip.orgs.middleware import SESSION_KEY
from ctip.orgs.selectors import active_memberships_of, invitations_waiting_for


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # Without a second factor the password completes the login; otherwise the code does (mfa_views.verify).
        if not access.has_second_factor(user):
            lockout.login_completed(user)
        language = user.language
        if language:
            remember_language(response, language)
        return response


@method_decorator(second_factor_exempt, name="dispatch")
class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else default


@require_http_methods(["GET", "POST"])
def choose_organisation(request: CtipRequest) -> HttpResponse:
    """Pick the organisation to act for; the choice holds for the session and shows in the header."""
    memberships = list(active_memberships_of(request.user))
    current = request.membership.pk if request.membership else None
    form = ChooseOrganisationForm(request.POST or None, memberships=memberships, initial={"membership": current})
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in memberships if m.pk == form.cleaned_data["membership"])
        request.session[SESSION_KEY] = chosen.pk
        session_org_switched(
            user=request.user,
            membership_id=chosen.pk,
            organisation_code=chosen.organisation.code,
        )
        return redirect(_safe_next(request, reverse("core:home")))
    context = {
        "form": form,
        "memberships": memberships,
        "next": _safe_next(request, ""),
        "invitations": invitations_waiting_for(request.user).count(),
    }
    return render(request, "accounts/choose_organisation.html", context, status=200 if memberships else 403)


password_reset = login_not_required(
    auth_views.PasswordResetView.as_view(
        form_class=QueuedPasswordResetForm,
        template_name="accounts/password_reset.html",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(
        form_class=AuditedSetPasswordForm,
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)
password_change = auth_views.PasswordChangeView.as_view(
    form_class=AuditedPasswordChangeForm,
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
