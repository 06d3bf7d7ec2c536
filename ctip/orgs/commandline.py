"""Acting as a member from the command line: ``--user EMAIL --org CODE``, checked like a login would be."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from ctip.accounts.models import normalise_email
from ctip.orgs.models import Membership

USAGE_ERROR = 2


def add_member_arguments(parser: CommandParser) -> None:
    parser.add_argument("--user", default="", help="act as this member (e-mail); needs --org")
    parser.add_argument("--org", default="", help="the organisation's short code the member acts for")


def acting_member(user: str, org: str) -> Membership | None:
    """Return the active membership named on the command line, or None when neither option is given."""
    if not user and not org:
        return None
    if not (user and org):
        raise CommandError(_("Give both --user and --org, or neither."), returncode=USAGE_ERROR)
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(user__email=normalise_email(user), organisation__code__iexact=org)
        .first()
    )
    if membership is None:
        raise CommandError(_("%(user)s is not a member of organisation %(org)s.") % {"user": user, "org": org})
    if not (membership.is_active and membership.organisation.is_active and membership.user.is_active):
        raise CommandError(_("The membership of %(user)s in %(org)s is not active.") % {"user": user, "org": org})
    return membership
