"""The second factor: verify at login (and again for step-up), enrol, and recovery codes."""

from __future__ import annotations

import time

import segno
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from ctip.accounts import access, lockout, services
from ctip.accounts.forms import SecondFactorForm
from ctip.accounts.middleware import MFA_AT, second_factor_exempt, second_factor_is_fresh, step_up_required
from ctip.accounts.models import TotpDevice
from ctip.core.http import CtipRequest

PENDING = "ctip.mfa_pending_device"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


def _verified(request: CtipRequest, device: object) -> None:
    otp_login(request, device)
    request.session[MFA_AT] = time.time()


def _locked_out(request: CtipRequest) -> HttpResponse:
    logout(request)
    return render(request, "accounts/locked_out.html", status=429)


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def verify(request: CtipRequest) -> HttpResponse:
    if not access.has_second_factor(request.user):
        return redirect(f"{reverse('accounts:mfa_setup')}?{request.GET.urlencode()}")
    # A locked account gets no further, not even with the right code (at login or asked again for a fresh one).
    if lockout.is_locked_out(request, request.user):
        return _locked_out(request)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            lockout.login_completed(request.user)
            _verified(request, device)
            return redirect(_next(request))
        # A wrong code counts towards the same lock-out as a wrong password.
        if lockout.second_factor_failed(request, request.user):
            return _locked_out(request)
        form.add_error("code", _("The code is not correct."))
    context = {"form": form, "next": _next(request), "step_up": request.GET.get("step_up") == "1"}
    return render(request, "accounts/mfa_verify.html", context)


def _qr_svg(device: TotpDevice) -> str:
    return segno.make(device.config_url(), error="m").svg_inline(scale=4, dark="#12324f", light="#ffffff")


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def setup(request: CtipRequest) -> HttpResponse:
    """Enrol an authenticator app: scan, type a code to prove it works, then keep the recovery codes.

    Someone who already has an authenticator must give a fresh code from it first: otherwise a stolen password
    alone would be enough to replace the owner's phone with the thief's.
    """
    if access.has_second_factor(request.user) and not second_factor_is_fresh(request):
        query = urlencode({"next": request.get_full_path(), "step_up": "1"})
        return redirect(f"{reverse('accounts:mfa_verify')}?{query}")
    device = services.totp_enrolment_start(user=request.user)
    form = SecondFactorForm(request.POST or None)
    form.fields["code"].help_text = _("The six digits your authenticator app shows after adding ctip.")
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrolment_confirm(user=request.user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            _verified(request, device)
            return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("The code is not correct. Check the time on your phone and try the next code."))
    secret = " ".join(device.config_url().split("secret=")[1].split("&")[0][i : i + 4] for i in range(0, 32, 4))
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": secret,
        "otpauth": device.config_url(),
        "next": _next(request),
        "required": access.second_factor_required(request.user),
        "replacing": access.has_second_factor(request.user),
    }
    return render(request, "accounts/mfa_setup.html", context)


@require_POST
@step_up_required
def recovery_codes(request: CtipRequest) -> HttpResponse:
    codes = services.recovery_codes_regenerate(user=request.user)
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": reverse("core:home")})


@require_http_methods(["GET"])
def security(request: CtipRequest) -> HttpResponse:
    """The person's own sign-in settings: authenticator, recovery codes left, password."""
    device = access.recovery_device(request.user)
    context = {
        "has_authenticator": access.has_second_factor(request.user),
        "required": access.second_factor_required(request.user),
        "recovery_left": device.remaining() if device else 0,
    }
    return render(request, "accounts/security.html", context)
