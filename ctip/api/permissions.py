from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ctip.api.authentication import acting_membership


class IsMember(BasePermission):
    """Deny by default: the caller must be authenticated and acting for an organisation."""

    message = "Choose the organisation you act for before using the API."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and acting_membership(request) is not None)
