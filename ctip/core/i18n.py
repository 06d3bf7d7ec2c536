from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.translation import get_language


def remember_language(response: HttpResponseBase, language: str) -> None:
    """Set the language cookie that LocaleMiddleware reads on the next request."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )


def in_language(obj: object, field: str, fallback: str = "") -> str:
    """Return ``obj.<field>_<active language>`` (``name_ky``, ``title_ru`` …), else English, else ``fallback``."""
    return language_getter(field, fallback)(obj)


def language_getter(field: str, fallback: str = "") -> Callable[[object], str]:
    """``in_language`` for many rows: the active language is looked up once."""
    lang = (get_language() or "en")[:2]
    local, english = f"{field}_{lang}", f"{field}_en"
    return lambda obj: str(getattr(obj, local, "") or getattr(obj, english, "") or fallback)


def language_of(user: object) -> str:
    """The language to write to a user in (e-mails, made outside a request): theirs if ctip speaks it, else ctip's."""
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE
