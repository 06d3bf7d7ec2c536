from __future__ import annotations

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
    lang = (get_language() or "en")[:2]
    return str(getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_en", "") or fallback)
