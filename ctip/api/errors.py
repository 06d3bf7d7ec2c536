"""One error format for every API response that is not a success.

{"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}, "request_id": "…"}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ctip.core import request_context


def error_body(status_code: int, code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    body["request_id"] = request_context.current().request_id
    return {"error": body}


def _first_code(detail: Any) -> str:
    codes = detail
    while isinstance(codes, dict | list) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes) if isinstance(codes, str) else "invalid"


def _as_api_exception(exc: Exception) -> Exception:
    """A service's refusal, as the API says it: 400 naming the fields, or 403 keeping the rule's own message."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied) and exc.args:
        return exceptions.PermissionDenied(str(exc))
    return exc  # a bare PermissionDenied is an access refusal: the generic 403 below


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map every refusal once, wherever the view raised it (the serializer, the policy or a service)."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = "The request has invalid fields." if isinstance(detail, dict) else str(_flatten(detail)[0])
        response.data = error_body(response.status_code, _first_code(exc.get_codes()), message, fields)
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes()
        response.data = error_body(response.status_code, code if isinstance(code, str) else "error", str(exc.detail))
    else:  # Django's Http404 / PermissionDenied, already mapped to a status by DRF
        response.data = error_body(
            response.status_code, _code_for(response.status_code), _message_for(response.status_code)
        )
    return response


def _flatten(detail: Any) -> list[Any]:
    if isinstance(detail, list):
        return [item for sub in detail for item in _flatten(sub)]
    if isinstance(detail, dict):
        return [item for sub in detail.values() for item in _flatten(sub)]
    return [detail]


_DEFAULTS = {
    status.HTTP_400_BAD_REQUEST: ("bad_request", "The request could not be understood."),
    status.HTTP_401_UNAUTHORIZED: ("not_authenticated", "Authentication credentials were not provided."),
    status.HTTP_403_FORBIDDEN: ("permission_denied", "You do not have permission to perform this action."),
    status.HTTP_404_NOT_FOUND: ("not_found", "Not found."),
    status.HTTP_405_METHOD_NOT_ALLOWED: ("method_not_allowed", "Method not allowed."),
    status.HTTP_500_INTERNAL_SERVER_ERROR: (
        "server_error",
        "The server failed to answer; the error was recorded.",
    ),
}


def _code_for(status_code: int) -> str:
    return _DEFAULTS.get(status_code, ("error", ""))[0]


def _message_for(status_code: int) -> str:
    return _DEFAULTS.get(status_code, ("", "Error."))[1]


def json_error(request: HttpRequest, status_code: int) -> JsonResponse:
    """The same format for errors raised outside DRF (unknown URL, server error) on API paths."""
    return JsonResponse(error_body(status_code, _code_for(status_code), _message_for(status_code)), status=status_code)
