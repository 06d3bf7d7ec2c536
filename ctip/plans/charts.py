"""Charts drawn on the server as SVG, so that they show without JavaScript and look the same in a PDF.

Pure functions: plain labels and numbers in, an SVG string out. Every label is escaped here, because labels come
from users (action titles, organisation names); the strings these functions return are the only SVG a template may
mark safe. Sizes follow the data: the drawing gets taller with each row, never narrower, and a row's label sits on its
own line above the bar so that long labels stay readable on a phone. The viewBox is narrow (400 units) and the width
is 100% of the container, so the text stays legible at phone width.

Colours are the Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008), chosen to stay distinguishable
with the common colour-vision deficiencies; no chart relies on colour alone, since each one is shown next to a table
of the same numbers.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _

Number = int | float | Decimal

# Okabe–Ito colours, plus two greys for "nothing yet".
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#999999"
LIGHT_GREY = "#D9D9D9"

WIDTH = 400
PAD = 6
FONT = 12
SMALL = 10.5
CHAR = 0.6  # average advance of a DejaVu Sans / system sans glyph, in ems
LABEL_H = 16
BAR_H = 14
GAP = 10
INK = "#1b1f24"
MUTED = "#4a5561"
FONT_FAMILY = "DejaVu Sans, Noto Sans, Arial, sans-serif"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Series:
    """One kind of value a stacked or grouped chart shows (a status, "committed" …) and its colour."""

    label: str
    colour: str


@dataclass(frozen=True)
class ProgressRow:
    """An indicator: where it started, where it is, where it should get to, and which way is better."""

    label: str
    baseline: Number | None
    current: Number | None
    target: Number | None
    decreasing: bool = False


# --- Pure arithmetic ----------------------------------------------------------------------------------------------


def progress_ratio(
    baseline: Number | None, current: Number | None, target: Number | None, *, decreasing: bool = False
) -> float | None:
    """Return how far the indicator has moved from its baseline to its target (1.0 = reached), or None if unknown.

    A missing baseline counts as 0. Moving away from the target gives a negative ratio; going past it, more than 1.
    """
    if current is None or target is None:
        return None
    start, now, goal = float(baseline or 0), float(current), float(target)
    if goal == start:
        reached = now <= goal if decreasing else now >= goal
        return 1.0 if reached else 0.0
    return (now - start) / (goal - start)


def _check(values: Sequence[Number]) -> list[float]:
    floats = [float(v) for v in values]
    for v in floats:
        if not math.isfinite(v):
            raise ValueError(f"a chart value must be a finite number, not {v!r}")
    return floats


# --- Drawing helpers ----------------------------------------------------------------------------------------------


def _esc(text: object) -> str:
    return escape(_CONTROL.sub("", str(text)), quote=True)


def _fit(text: str, width: float, size: float = FONT) -> str:
    """Shorten text to what fits in ``width`` units, with an ellipsis; the full text stays in the table."""
    room = max(1, int(width / (size * CHAR)))
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def fmt(value: Number) -> str:
    """Return a number as people of the active language write it: grouped thousands, no needless decimals."""
    whole = isinstance(value, float | Decimal) and value == int(value)
    if whole:
        value = int(value)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return number_format(round(float(value), 2), decimal_pos=2, force_grouping=True)


def percent(ratio: float) -> str:
    return _("%(n)s%%") % {"n": fmt(round(ratio * 100))}


def _text(x: float, y: float, text: str, *, size: float = FONT, anchor: str = "start", fill: str = INK) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{_esc(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{x:.2f}" y="{y:.1f}" width="{max(w, 0):.2f}" height="{h:.1f}" fill="{fill}"{extra}/>'


def _labelled(full: str, body: str) -> str:
    """Group a row's shapes under its full, unshortened label (a tooltip in browsers)."""
    return f"<g><title>{_esc(full)}</title>{body}</g>"


def _svg(title: str, desc: str, height: float, body: str) -> str:
    ident = "chart-" + hashlib.sha256(f"{title}\x00{desc}\x00{body}".encode()).hexdigest()[:12]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {math.ceil(height)}" width="100%" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" font-family="{FONT_FAMILY}" class="chart">'
        f'<title id="{ident}-t">{_esc(title)}</title><desc id="{ident}-d">{_esc(desc)}</desc>{body}</svg>'
    )


def _empty(title: str, desc: str, message: str | None) -> str:
    body = _text(WIDTH / 2, 28, message or _("No data to show."), anchor="middle", fill=MUTED)
    return _svg(title, desc, 44, body)


def _legend(series: Sequence[Series], y: float) -> tuple[str, float]:
    """Lay the legend out in as many lines as it needs; return it and the height it takes."""
    parts: list[str] = []
    x, line = float(PAD), 0
    for s in series:
        need = 16 + len(s.label) * SMALL * CHAR + 12
        if x > PAD and x + need > WIDTH - PAD:
            x, line = PAD, line + 1
        top = y + line * 18
        parts.append(_rect(x, top + 0.5, 10, 10, s.colour, ' stroke="#555" stroke-width="0.5"'))
        parts.append(_text(x + 15, top + 10, s.label, size=SMALL))
        x += need
    return "".join(parts), (line + 1) * 18 + 4


class _Scale:
    """Map values onto the horizontal span [left, right], with zero inside the span."""

    def __init__(self, values: Sequence[float], left: float, right: float) -> None:
        self.lo, self.hi = min(0.0, *values) if values else 0.0, max(0.0, *values) if values else 0.0
        if self.lo == self.hi:
            self.hi = 1.0
        self.left, self.right = left, right

    def x(self, value: float) -> float:
        return self.left + (value - self.lo) / (self.hi - self.lo) * (self.right - self.left)

    def bar(self, value: float) -> tuple[float, float]:
        """Return (x, width) of a bar from zero to the value."""
        a, b = self.x(0.0), self.x(value)
        return min(a, b), abs(b - a)


def _value_room(labels: Sequence[str]) -> float:
    return max((len(t) for t in labels), default=1) * FONT * CHAR + 8


# --- Charts -------------------------------------------------------------------------------------------------------


def bar_chart(
    *, title: str, desc: str, rows: Sequence[tuple[str, Number]], colour: str = BLUE, empty: str | None = None
) -> str:
    """Horizontal bars, one per row, from zero to the value (negative values extend to the left of zero)."""
    if not rows:
        return _empty(title, desc, empty)
    values = _check([v for _label, v in rows])
    texts = [fmt(v) for _label, v in rows]
    scale = _Scale(values, PAD, WIDTH - PAD - _value_room(texts))
    parts, y = [], 4.0
    for (label, _v), value, text in zip(rows, values, texts, strict=True):
        x, w = scale.bar(value)
        row = _text(PAD, y + 12, _fit(str(label), WIDTH - 2 * PAD)) + _rect(x, y + LABEL_H, w, BAR_H, colour)
        row += _text(max(x + w, scale.x(0)) + 4, y + LABEL_H + 11, text)
        parts.append(_labelled(str(label), row))
        y += LABEL_H + BAR_H + GAP
    if scale.lo < 0:
        parts.append(_zero_line(scale, y))
    return _svg(title, desc, y, "".join(parts))


def _zero_line(scale: _Scale, bottom: float) -> str:
    x = scale.x(0.0)
    return f'<line x1="{x:.2f}" y1="0" x2="{x:.2f}" y2="{bottom:.1f}" stroke="{INK}" stroke-width="1"/>'


def stacked_bar_chart(
    *,
    title: str,
    desc: str,
    series: Sequence[Series],
    rows: Sequence[tuple[str, Sequence[Number]]],
    empty: str | None = None,
) -> str:
    """One bar per row split into segments, one per series; bar lengths are proportional to the row totals."""
    if not rows:
        return _empty(title, desc, empty)
    checked = [_check(values) for _label, values in rows]
    for (label, _values), values in zip(rows, checked, strict=True):
        if len(values) != len(series):
            raise ValueError(f"row {label!r} has {len(values)} values for {len(series)} series")
        if any(v < 0 for v in values):
            raise ValueError(f"row {label!r}: a stacked bar cannot have a negative segment")
    totals = [sum(values) for values in checked]
    texts = [fmt(t) for t in totals]
    legend, top = _legend(series, 4)
    scale = _Scale(totals, PAD, WIDTH - PAD - _value_room(texts))
    parts, y = [legend], top
    for (label, _values), values, total in zip(rows, checked, texts, strict=True):
        row, x = _text(PAD, y + 12, _fit(str(label), WIDTH - 2 * PAD)), scale.x(0)
        for s, value in zip(series, values, strict=True):
            _x, w = scale.bar(value)
            if w > 0:
                row += _rect(x, y + LABEL_H, w, BAR_H, s.colour, ' stroke="#ffffff" stroke-width="0.75"')
            x += w
        row += _text(x + 4, y + LABEL_H + 11, total)
        parts.append(_labelled(str(label), row))
        y += LABEL_H + BAR_H + GAP
    return _svg(title, desc, y, "".join(parts))


def grouped_bar_chart(
    *,
    title: str,
    desc: str,
    series: Sequence[Series],
    rows: Sequence[tuple[str, Sequence[Number]]],
    empty: str | None = None,
) -> str:
    """For each row, one thin bar per series on a common scale (e.g. committed, disbursed and gap per donor)."""
    if not rows:
        return _empty(title, desc, empty)
    checked = [_check(values) for _label, values in rows]
    for (label, _values), values in zip(rows, checked, strict=True):
        if len(values) != len(series):
            raise ValueError(f"row {label!r} has {len(values)} values for {len(series)} series")
    flat = [v for values in checked for v in values]
    texts = [fmt(v) for v in flat]
    legend, top = _legend(series, 4)
    scale = _Scale(flat, PAD, WIDTH - PAD - _value_room(texts))
    thin = BAR_H - 3
    parts, y = [legend], top
    for (label, _values), values in zip(rows, checked, strict=True):
        row = _text(PAD, y + 12, _fit(str(label), WIDTH - 2 * PAD))
        for i, (s, value) in enumerate(zip(series, values, strict=True)):
            x, w = scale.bar(value)
            top_i = y + LABEL_H + i * (thin + 2)
            row += _rect(x, top_i, w, thin, s.colour)
            row += _text(max(x + w, scale.x(0)) + 4, top_i + thin - 1.5, fmt(value), size=SMALL)
        parts.append(_labelled(str(label), row))
        y += LABEL_H + len(series) * (thin + 2) + GAP
    if scale.lo < 0:
        parts.append(_zero_line(scale, y))
    return _svg(title, desc, y, "".join(parts))


def progress_chart(*, title: str, desc: str, rows: Sequence[ProgressRow], empty: str | None = None) -> str:
    """For each indicator a track from its baseline (left) to its target (right) filled as far as it has come.

    Which way is better is taken into account: an indicator meant to fall fills as it falls. Moving away from the
    target leaves the track empty and shows a negative per cent; going past it fills the track and shows over 100%.
    """
    if not rows:
        return _empty(title, desc, empty)
    ratios = [progress_ratio(r.baseline, r.current, r.target, decreasing=r.decreasing) for r in rows]
    texts = [percent(q) if q is not None else "—" for q in ratios]
    right = WIDTH - PAD - _value_room(texts)
    parts, y = [], 4.0
    for row, ratio, text in zip(rows, ratios, texts, strict=True):
        track = right - PAD
        body = _text(PAD, y + 12, _fit(row.label, WIDTH - 2 * PAD))
        body += _rect(PAD, y + LABEL_H, track, BAR_H, "#EEEEEE", ' stroke="#8a8a8a" stroke-width="0.5"')
        if ratio is not None and ratio > 0:
            body += _rect(PAD, y + LABEL_H, min(ratio, 1.0) * track, BAR_H, GREEN if ratio >= 1 else BLUE)
        body += f'<line x1="{right:.1f}" y1="{y + LABEL_H - 3:.1f}" x2="{right:.1f}" y2="{y + LABEL_H + BAR_H + 3:.1f}"'
        body += f' stroke="{INK}" stroke-width="2"/>'
        body += _text(right + 4, y + LABEL_H + 11, text, fill=VERMILLION if ratio is not None and ratio < 0 else INK)
        body += _text(PAD, y + LABEL_H + BAR_H + 12, _fit(_progress_caption(row), WIDTH - 2 * PAD), size=SMALL)
        parts.append(_labelled(row.label, body))
        y += LABEL_H + BAR_H + 14 + GAP
    return _svg(title, desc, y, "".join(parts))


def _progress_caption(row: ProgressRow) -> str:
    def show(v: Number | None) -> str:
        return fmt(v) if v is not None else "—"

    return _("baseline %(b)s · now %(c)s · target %(t)s") % {
        "b": show(row.baseline),
        "c": show(row.current),
        "t": show(row.target),
    }
