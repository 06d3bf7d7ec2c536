"""Facts about the request being served, for logs and the audit trail, without passing the request around."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    request_id: str = ""
    ip: str | None = None
    user_agent: str = ""


_current: ContextVar[RequestMeta] = ContextVar("ctip_request_meta", default=RequestMeta())  # noqa: B039 (frozen)


def current() -> RequestMeta:
    """Return the metadata of the request being served (empty outside a request)."""
    return _current.get()


def bind(meta: RequestMeta) -> object:
    return _current.set(meta)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
