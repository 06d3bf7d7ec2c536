"""The orgs app's routes in the access matrix (ctip/core/tests/test_access_matrix.py)."""

from __future__ import annotations

from ctip.orgs.models import Invitation
from ctip.testing import Route


def _invitation_from_a(cast):
    """Organisation A invites organisation B's case worker."""
    return Invitation.objects.create(
        organisation=cast.org_a, user=cast.case_worker_b.user, roles=["viewer"], invited_by=cast.admin_a.user
    )


def _invitation_to_viewer_a(cast):
    """Organisation B invites A's viewer: only that person answers it."""
    return Invitation.objects.create(
        organisation=cast.org_b, user=cast.viewer_a.user, roles=["viewer"], invited_by=cast.admin_b.user
    )


ROUTES = {
    "orgs:invitation_withdraw": Route(
        target=_invitation_from_a, permitted="admin_a", without_role="case_worker_a", methods=("post",)
    ),
    # Answered by the invited person whoever they act for: there is no role to lack, and anyone else gets a 404.
    "orgs:invitation_accept": Route(
        target=_invitation_to_viewer_a, permitted="viewer_a", without_role=None, methods=("post",)
    ),
    "orgs:invitation_decline": Route(
        target=_invitation_to_viewer_a, permitted="viewer_a", without_role=None, methods=("post",)
    ),
}
