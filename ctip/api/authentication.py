from __future__ import annotations

import hmac

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from ctip.accounts.access import has_second_factor, passed_second_factor, second_factor_required
from ctip.accounts.models import ApiToken, User
from ctip.accounts.services import token_touch
from ctip.orgs.middleware import resolve_acting_membership
from ctip.orgs.models import Membership


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer ctip_<key id>.<secret>``; the token acts for the membership it was issued to."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme not in {"Bearer", "Token"} or not raw.strip():
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        token = self._verified(raw.strip())
        membership = token.membership
        if not (membership.is_active and membership.organisation.is_active and membership.user.is_active):
            raise exceptions.AuthenticationFailed("The token's membership is no longer active.")
        request._request.membership = membership  # type: ignore[attr-defined]
        token_touch(token=token)
        return membership.user, token

    def _verified(self, raw: str) -> ApiToken:
        prefixed, _, secret = raw.partition(".")
        key_id = prefixed.removeprefix(ApiToken.PREFIX)
        token = (
            ApiToken.objects.select_related("membership__organisation", "membership__user")
            .filter(key_id=key_id, revoked_at__isnull=True)
            .first()
        )
        if token is None or not hmac.compare_digest(token.secret_hash, ApiToken.hash_secret(secret)):
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, acting for the organisation chosen in the session (CSRF enforced)."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not passed_second_factor(request._request.user) and (
            has_second_factor(user) or second_factor_required(user)
        ):
            return None  # half-way through logging in: the API treats the session as anonymous
        request._request.membership = resolve_acting_membership(request._request)  # type: ignore[attr-defined]
        return result


def acting_membership(request: Request) -> Membership | None:
    return getattr(request._request, "membership", None)


def require_membership(request: Request) -> Membership:
    """Return the acting membership of a view behind ``IsMember`` (which refused everyone else already)."""
    actor = acting_membership(request)
    if actor is None:
        raise exceptions.NotAuthenticated
    return actor
