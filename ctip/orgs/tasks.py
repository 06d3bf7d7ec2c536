"""Mail about memberships, composed by the worker in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ctip.core.i18n import language_of


@task()
def send_invitation(*, invitation_id: int, base_url: str) -> int:
    """Tell a person that an organisation invites them, and where to answer; nothing is decided by the mail."""
    from ctip.orgs.models import Invitation

    invitation = (
        Invitation.objects.select_related("user", "organisation")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING, user__is_active=True)
        .first()
    )
    if invitation is None:
        return 0
    user = invitation.user
    with translation.override(language_of(user)):
        subject = _("Invitation to join %(org)s in ctip") % {"org": invitation.organisation.name}
        body = _(
            "%(org)s invites you to work in ctip as a member, with the roles: %(roles)s.\n\n"
            "Nothing changes until you answer. Sign in and accept or decline here:\n%(url)s\n\n"
            "If you do not know why you were invited, decline and tell your administrator."
        ) % {
            "org": invitation.organisation.name,
            "roles": ", ".join(invitation.role_labels()),
            "url": base_url + reverse("orgs:invitations"),
        }
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
