"""Who must use a second factor."""

from __future__ import annotations

from ctip.accounts.models import RecoveryCodeDevice, TotpDevice, User
from ctip.orgs.models import MembershipRole
from ctip.orgs.roles import SECOND_FACTOR_ROLES


def second_factor_required(user: User) -> bool:
    """System administrators, and anyone holding, in any active membership, a role that sees identities, gives
    roles or reads other people's audit trails (``SECOND_FACTOR_ROLES``)."""
    if user.is_staff or user.is_superuser:
        return True
    return bool(
        MembershipRole.objects.filter(
            membership__user=user,
            membership__is_active=True,
            membership__organisation__is_active=True,
            role__in=SECOND_FACTOR_ROLES,
        ).exists()
    )


def has_second_factor(user: User) -> bool:
    return bool(TotpDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_device(user: User) -> RecoveryCodeDevice | None:
    device: RecoveryCodeDevice | None = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
    return device


def passed_second_factor(user: object) -> bool:
    """Whether this session's user gave a second factor (django-otp's middleware adds ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False
