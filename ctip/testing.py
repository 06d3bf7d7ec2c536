"""Factories and helpers shared by the test suites of every app (imported only by tests)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import factory
from django.contrib.auth.hashers import make_password

from ctip.accounts.models import TotpDevice, User
from ctip.orgs.models import Membership, MembershipRole, Organisation, OrgType

if TYPE_CHECKING:
    from ctip.conftest import Cast

PASSWORD = "correct horse battery staple"


@cache
def _password_hash() -> str:
    # Argon2 is deliberately slow; hash the shared test password once per run.
    return make_password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"org{n}")
    name_ky = factory.LazyAttribute(lambda o: f"{o.code} уюму")
    name_ru = factory.LazyAttribute(lambda o: f"Организация {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Organisation {o.code}")
    org_type = OrgType.NGO


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.LazyFunction(_password_hash)


def member(organisation: Organisation, *roles: str, user: User | None = None, **user_fields: object) -> Membership:
    """Return a new active membership with the given roles (a new user unless one is given)."""
    user = user or UserFactory(**user_fields)
    membership = Membership.objects.create(user=user, organisation=organisation)
    add_roles(membership, roles)
    return Membership.objects.prefetch_related("roles").select_related("user", "organisation").get(pk=membership.pk)


def add_roles(membership: Membership, roles: Iterable[str]) -> None:
    MembershipRole.objects.bulk_create(MembershipRole(membership=membership, role=r) for r in roles)


def enrol_second_factor(user: User) -> TotpDevice:
    """Give a user a confirmed authenticator; ``current_code(device)`` is what their phone would show."""
    return TotpDevice.objects.create(user=user, name="phone", confirmed=True, key=secrets.token_hex(20))


def current_code(device: TotpDevice) -> str:
    device.refresh_from_db()
    return device.current_code()


# --- The access matrix (ctip/core/tests/test_access_matrix.py); each app lists its routes in tests/routes.py ---


@dataclass(frozen=True)
class Route:
    target: Callable[[Cast], Any]  # the object in organisation A the request is about
    permitted: str  # cast member allowed to do it
    without_role: str | None  # cast member of organisation A lacking the role (None: every member may)
    methods: tuple[str, ...] = ("get",)
    data: dict[str, Any] = field(default_factory=dict)
    outsider_status: int = 404  # 404 unless the records are shared with every member by design
    ok_status: tuple[int, ...] = (200, 302)
    # The URL's keyword arguments from the target's pk, when the route takes more than ``pk``.
    kwargs: Callable[[Any], dict[str, Any]] | None = None
