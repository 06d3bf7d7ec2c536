"""``{{ obj|lang:"title" }}``: a per-language field (title_ky/_ru/_en) in the current language."""

from __future__ import annotations

from django import template

from ctip.core.i18n import in_language

register = template.Library()


@register.filter
def lang(obj: object, field: str) -> str:
    return in_language(obj, field) if obj is not None else ""
