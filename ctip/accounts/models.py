from __future__ import annotations

import base64
import hashlib
import time
import unicodedata
from typing import Any, ClassVar
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from ctip.crypto.fields import EncryptedTextField


def normalise_email(value: str) -> str:
    """Return the one spelling of an e-mail address that names an account: compatibility forms, surrounding
    white space and letter case folded away.

    Accounts are stored, looked up, counted by the lock-out and named on the command line in this spelling only, so
    every way of typing an address that reaches an account also reaches that account's failure count. ``lower``
    rather than ``casefold``: the stored addresses were folded with it, and ``casefold`` would part some of them
    (``ß`` becomes ``ss``).
    """
    return unicodedata.normalize("NFKC", value).strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # An exact match on the normal spelling, not ``iexact``: the database's own case rules (which differ between
        # SQLite, PostgreSQL and Python) must not let in a spelling that the lock-out counts apart.
        return self.get(email=normalise_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. What they may do comes from their memberships, not from the user."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("system administrator"), default=False, help_text=_("May use the system administration site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)


class ApiToken(models.Model):
    """A bearer token for an integration, acting for one membership. Only a hash of the secret is kept."""

    PREFIX = "ctip_"

    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("membership")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_id = models.CharField(_("key id"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.PREFIX}{self.key_id}…"

    @staticmethod
    def hash_secret(secret: str) -> str:
        # The secret is 256 random bits, so a plain SHA-256 is enough; a slow hash would add nothing.
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# django-otp ships no type information, hence the ignores on its base classes.
class TotpDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """An authenticator app (RFC 6238 TOTP). The shared secret is encrypted at rest like identity data."""

    key = EncryptedTextField(_("secret"))  # hex
    step = models.PositiveSmallIntegerField(default=30)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.key)

    def totp(self) -> TOTP:
        totp = TOTP(self.bin_key, self.step, 0, self.digits, self.drift)
        totp.time = time.time()
        return totp

    def verify_token(self, token: Any) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            number = int(str(token).replace(" ", ""))
        except ValueError:
            number = -1
        totp = self.totp()
        # last_t + 1: a code that was accepted once is never accepted again.
        if number >= 0 and totp.verify(number, self.tolerance, self.last_t + 1):
            self.last_t = totp.t()
            self.drift = totp.drift
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    def get_throttle_factor(self) -> int:
        return 1

    def current_code(self) -> str:
        """Return the code the phone shows now (the next one if this one was used): for the demo and tests."""
        totp = self.totp()
        if totp.t() <= self.last_t:
            totp.time += self.step
        return f"{totp.token():0{self.digits}d}"

    def config_url(self, issuer: str = "ctip") -> str:
        secret = base64.b32encode(self.bin_key).decode().rstrip("=")
        label = quote(f"{issuer}:{self.user.email}")
        return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={self.digits}&period={self.step}"


class RecoveryCodeDevice(ThrottlingMixin, Device):  # type: ignore[misc]
    """One-time recovery codes for a lost phone. Only hashes are kept."""

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    @staticmethod
    def hash_code(code: str) -> str:
        return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()

    def verify_token(self, token: Any) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        used = RecoveryCode.objects.filter(
            device=self, code_hash=self.hash_code(str(token)), used_at__isnull=True
        ).update(used_at=timezone.now())
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False

    def get_throttle_factor(self) -> int:
        return 1

    def remaining(self) -> int:
        return RecoveryCode.objects.filter(device=self, used_at__isnull=True).count()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("device", "code_hash", name="accounts_recoverycode_unique")]

    def __str__(self) -> str:
        return f"recovery code {self.pk} ({'used' if self.used_at else 'unused'})"
