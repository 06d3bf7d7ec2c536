"""Load the demo through the same services people use, so the demo database carries a real audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.test.utils import override_settings

from ctip.accounts.models import User
from ctip.accounts.services import totp_enrolment_confirm, totp_enrolment_start, user_create
from ctip.audit.services import audit_record
from ctip.demo import cases as demo_cases
from ctip.demo import coordination as demo_coordination
from ctip.demo import data
from ctip.demo import funding as demo_funding
from ctip.demo import plan as demo_plan
from ctip.orgs.conf import coordinating_bodies
from ctip.orgs.models import Organisation
from ctip.orgs.services import membership_create, organisation_create


@transaction.atomic
def demo_load() -> bool:
    """Create the demo organisations and people; return False (and change nothing) if they are already there."""
    if User.objects.filter(email=data.ADMIN_EMAIL).exists():
        return False
    admin = User.objects.create_superuser(data.ADMIN_EMAIL, data.DEMO_PASSWORD, full_name="System Administrator")
    audit_record(action="user.create", actor=None, obj=admin, details={"superuser": True})
    _enrol(admin)
    orgs: dict[str, Organisation] = {}
    for code, org_type, region, (ky, ru, en) in data.ORGANISATIONS:
        orgs[code] = organisation_create(
            by=admin, code=code, name_ky=ky, name_ru=ru, name_en=en, org_type=org_type, region=region
        )
    with _designated_coordinator():
        for local, full_name, memberships in data.PEOPLE:
            user = user_create(by=admin, email=data.email(local), full_name=full_name, password=data.DEMO_PASSWORD)
            _enrol(user)
            for code, roles in memberships:
                membership_create(by=admin, acting=None, user=user, organisation=orgs[code], roles=roles)
    # Each module loads its part of the demo through its own services, in dependency order.
    for part in (demo_plan, demo_coordination, demo_funding, demo_cases):
        part.load(orgs)
    return True


@contextmanager
def _designated_coordinator() -> Iterator[None]:
    """The coordinator role needs a designated coordinating body; the demo's ministry is one while it loads."""
    bodies = coordinating_bodies()
    if data.COORDINATING_BODY in bodies:
        yield
        return
    with override_settings(CTIP_COORDINATING_BODIES=[*bodies, data.COORDINATING_BODY]):
        yield


def _enrol(user: User) -> None:
    """Demo users come with an authenticator already set up; `ctip demo-code EMAIL` shows its current code."""
    device = totp_enrolment_start(user=user)
    totp_enrolment_confirm(user=user, device=device, token=device.current_code())


def demo_logins() -> list[tuple[str, str]]:
    """Return (e-mail, what the account acts as) for every demo login."""
    rows = [(data.ADMIN_EMAIL, "system administrator (Django admin)")]
    for local, _name, memberships in data.PEOPLE:
        acts = "; ".join(f"{code}: {', '.join(str(r) for r in roles)}" for code, roles in memberships)
        rows.append((data.email(local), acts))
    return rows
