"""The shared cast: two organisations, and people in each with the roles the rules talk about."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from ctip.accounts.middleware import MFA_AT
from ctip.accounts.models import TotpDevice, User
from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import Role
from ctip.testing import OrganisationFactory, enrol_second_factor, member


def pytest_configure(config: pytest.Config) -> None:
    """Make the test profile's key ring (``<CTIP_VAR_DIR>/keyring.json``) once, before any pytest-xdist worker starts.

    Each worker would otherwise create it on its first encrypted value: two workers starting together both find it
    missing, write the same temporary file and replace each other's ring (one of them then fails with
    FileNotFoundError, or the two encrypt with different keys). The controller, or the only process without xdist,
    runs this before the workers exist; the workers then just read the file.
    """
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has made it
        return
    from django.conf import settings

    from ctip.crypto.keyring import keyring

    if not settings.PRODUCTION:
        keyring()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Messages made outside a request (services, commands) are compared in English; pages pick their own."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Cast:
    org_a: Organisation
    org_b: Organisation
    case_worker_a: Membership
    viewer_a: Membership
    admin_a: Membership
    case_worker_b: Membership
    admin_b: Membership
    coordinator: Membership


@pytest.fixture
def cast(db: None) -> Cast:
    org_a = OrganisationFactory(
        code="shelter-a", name_en="Shelter A", name_ru="Приют А", name_ky="А баш калкалоочу жай"
    )
    org_b = OrganisationFactory(code="police-b", name_en="Police B", name_ru="Полиция Б", name_ky="Б милициясы")
    ministry = OrganisationFactory(code="ministry", name_en="Ministry", name_ru="Министерство", name_ky="Министрлик")
    return Cast(
        org_a=org_a,
        org_b=org_b,
        case_worker_a=member(org_a, Role.CASE_WORKER, email="worker.a@example.org"),
        viewer_a=member(org_a, Role.VIEWER, email="viewer.a@example.org"),
        admin_a=member(org_a, Role.ORG_ADMIN, email="admin.a@example.org"),
        case_worker_b=member(org_b, Role.CASE_WORKER, email="worker.b@example.org"),
        admin_b=member(org_b, Role.ORG_ADMIN, email="admin.b@example.org"),
        coordinator=member(ministry, Role.COORDINATOR, email="coordinator@example.org"),
    )


def logged_in(
    user: User, *, second_factor: bool = True, membership: Membership | None = None, language: str = "en"
) -> Client:
    """Return a client logged in as the user, past the second factor unless told otherwise.

    Its browser asks for English, so tests read the msgids; a test about languages passes another one.
    """
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    session = client.session
    if membership is not None:
        session["ctip.membership_id"] = membership.pk
    if second_factor:
        device = TotpDevice.objects.filter(user=user, confirmed=True).first() or enrol_second_factor(user)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[MFA_AT] = time.time()
    session.save()
    return client


def client_for(membership: Membership, *, second_factor: bool = True, language: str = "en") -> Client:
    """Return a client logged in and acting for the membership."""
    return logged_in(membership.user, second_factor=second_factor, membership=membership, language=language)


@pytest.fixture
def as_member():
    return client_for
