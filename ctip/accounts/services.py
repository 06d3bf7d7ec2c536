"""Writes to accounts, sessions and API tokens. Each one audits in its own transaction."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.models import Device

from ctip.accounts.models import ApiToken, RecoveryCode, RecoveryCodeDevice, TotpDevice, User
from ctip.accounts.tasks import send_password_link
from ctip.audit.services import audit_record
from ctip.core.i18n import language_of

# last_used_at is a hint for administrators, not a log; writing it at most once a minute keeps reads cheap.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


@transaction.atomic
def user_create(*, by: User | None, email: str, full_name: str = "", password: str | None) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    audit_record(action="user.create", actor=by, obj=user)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(action="user.set_language", actor=user, obj=user, details={"language": language})
    return user


def user_send_password_setup(*, user: User) -> None:
    """After commit, e-mail a new user a one-time link to choose a password (in their language)."""
    user_id, base = user.pk, settings.CTIP_BASE_URL.rstrip("/")
    transaction.on_commit(lambda: send_password_link.enqueue(user_id=user_id, base_url=base, kind="setup"))


def password_link_message(*, user: User, base_url: str, kind: str) -> tuple[str, str]:
    """Return the subject and body of a set-password or reset-password e-mail, with a fresh one-time link."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = base_url + reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    with translation.override(language_of(user)):
        if kind == "setup":
            subject = _("Your ctip account")
            body = _(
                "An account was created for you in ctip.\n\nChoose your password here (the link works once):\n%(url)s\n"
            ) % {"url": url}
        else:
            subject = _("Reset your ctip password")
            body = _(
                "Someone asked to reset the password of your ctip account. If it was you, choose a new password "
                "here (the link works once):\n\n%(url)s\n\n"
                "If it was not you, ignore this message; your password stays as it is.\n"
            ) % {"url": url}
    return str(subject), str(body)


@transaction.atomic
def session_org_switched(*, user: User, membership_id: int, organisation_code: str) -> None:
    audit_record(
        action="session.switch_organisation",
        actor=user,
        details={"membership_id": membership_id, "organisation": organisation_code},
    )


@transaction.atomic
def token_issue(*, by: User | None, membership_id: int, name: str = "") -> tuple[ApiToken, str]:
    """Create a token and return it with its plaintext, which is shown once and never stored."""
    from ctip.orgs.models import Membership

    membership = Membership.objects.select_related("organisation", "user").get(pk=membership_id)
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership, name=name, key_id=key_id, secret_hash=ApiToken.hash_secret(secret)
    )
    audit_record(
        action="api_token.issue",
        actor=by,
        organisation=membership.organisation,
        obj=token,
        details={"user_id": membership.user_id, "key_id": key_id},
    )
    return token, f"{ApiToken.PREFIX}{key_id}.{secret}"


@transaction.atomic
def token_revoke(*, by: User | None, token: ApiToken) -> ApiToken:
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    if updated:
        audit_record(
            action="api_token.revoke",
            actor=by,
            organisation=token.membership.organisation,
            obj=token,
            details={"key_id": token.key_id},
        )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Record that a token was used, at most once per TOKEN_TOUCH_INTERVAL (reads take no write lock)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at <= TOKEN_TOUCH_INTERVAL:
        return
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        audit_record(
            action="api_token.use",
            actor=token.membership.user,
            organisation=token.membership.organisation,
            obj=token,
            details={"key_id": token.key_id},
        )
    token.last_used_at = now


@transaction.atomic
def user_set_password(*, user: User, password: str, by: User | None) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(action="user.set_password", actor=by, obj=user, details={"own": by is not None and by.pk == user.pk})
    return user


# --- Second factor ----------------------------------------------------------------------------------------------


def _new_recovery_codes(device: RecoveryCodeDevice) -> list[str]:
    codes = []
    for _n in range(settings.CTIP_RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits, shown as xxxxx-xxxxx
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.filter(device=device).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=RecoveryCodeDevice.hash_code(c)) for c in codes
    )
    return codes


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TotpDevice:
    """Return the user's unconfirmed authenticator (a new secret unless one is already pending)."""
    pending: TotpDevice | None = TotpDevice.objects.filter(user=user, confirmed=False).first()
    if pending is None:
        pending = TotpDevice.objects.create(user=user, name="authenticator", confirmed=False, key=secrets.token_hex(20))
    return pending


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TotpDevice, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; return fresh recovery codes, or None if wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    TotpDevice.objects.filter(user=user, confirmed=True).delete()  # one authenticator per person
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery", "confirmed": True}
    )
    codes = _new_recovery_codes(recovery)
    audit_record(action="auth.mfa_enrolled", actor=user, obj=device)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    recovery, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery", "confirmed": True}
    )
    codes = _new_recovery_codes(recovery)
    audit_record(action="auth.recovery_codes_regenerated", actor=user, obj=recovery)
    return codes


def second_factor_verify(*, user: User, token: str) -> Device | None:
    """Return the device that accepts ``token`` (authenticator or recovery code), auditing the outcome."""
    token = token.replace(" ", "").strip()
    # Six digits is an authenticator code; anything else can only be a recovery code. Trying each kind only with
    # its own shape keeps one device's throttling from counting the other's attempts.
    model: type[Device] = TotpDevice if len(token) == 6 and token.isdigit() else RecoveryCodeDevice
    with transaction.atomic():
        # Locked, so the same code sent twice at once is accepted once (last_t and used_at are checked under it).
        devices = list(model.objects.select_for_update().filter(user=user, confirmed=True))
        device = next((d for d in devices if d.verify_token(token)), None)
        if device is None:
            audit_record(action="auth.mfa_failed", actor=user)
            return None
        method = "recovery_code" if isinstance(device, RecoveryCodeDevice) else "totp"
        audit_record(action="auth.mfa_verified", actor=user, obj=device, details={"method": method})
        return device


@transaction.atomic
def second_factor_reset(*, by: User, user: User) -> None:
    """Remove a person's authenticator and recovery codes (lost phone); they enrol again at their next login."""
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    audit_record(action="auth.mfa_reset", actor=by, obj=user)
