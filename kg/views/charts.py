"""Bar charts as inline SVG (no scripts, no network), every text escaped."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

ROW_HEIGHT = 22
LABEL_WIDTH = 170
BAR_AREA = 250
LABEL_CHARS = 26
COLUMN_AREA = 560
MIN_COLUMN, MAX_COLUMN = 6, 40
COLUMN_HEIGHT = 140
TICK_SPACING = 64


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, and the page it links to (if any)."""

    label: str
    value: int
    href: str | None = None


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _linked(svg: str, href: str | None) -> str:
    return f'<a href="{escape(href)}">{svg}</a>' if href else svg


def horizontal_bars(bars: list[Bar], color: str, title: str) -> Markup:
    """Horizontal bars, largest first as given, each label and value written beside its bar."""
    top = max((bar.value for bar in bars), default=1) or 1
    width, height = LABEL_WIDTH + BAR_AREA + 40, ROW_HEIGHT * len(bars) + 4
    rows = []
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT + 4
        length = max(2, round(BAR_AREA * bar.value / top))
        rows.append(_linked(
            f'<g><title>{escape(bar.label)}: {bar.value}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end" class="bar-label">'
            f'{escape(_short(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{ROW_HEIGHT - 8}" rx="2" '
            f'fill="{escape(color)}"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 12}" class="bar-value">{bar.value}</text></g>', bar.href))
    return Markup(f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
                  f'width="{width}" height="{height}">{"".join(rows)}</svg>')


def columns(bars: list[Bar], color: str, title: str) -> Markup:
    """Vertical columns in the given order (a time series), with spaced labels along the bottom."""
    top = max((bar.value for bar in bars), default=1) or 1
    column = max(MIN_COLUMN, min(MAX_COLUMN, COLUMN_AREA // max(len(bars), 1)))
    width, height = max(300, column * len(bars) + 40), COLUMN_HEIGHT + 40
    step = -(-TICK_SPACING // column)
    parts = [f'<text x="2" y="12" class="bar-value">{top}</text>',
             f'<line x1="30" y1="{COLUMN_HEIGHT + 4}" x2="{width}" y2="{COLUMN_HEIGHT + 4}" class="axis"/>']
    for i, bar in enumerate(bars):
        x, length = 32 + i * column, round(COLUMN_HEIGHT * bar.value / top)
        parts.append(f'<rect x="{x}" y="{COLUMN_HEIGHT + 4 - length}" width="{max(column - 3, 2)}" height="{length}" '
                     f'fill="{escape(color)}"><title>{escape(bar.label)}: {bar.value}</title></rect>')
        if i % step == 0:
            parts.append(f'<text x="{x}" y="{COLUMN_HEIGHT + 20}" class="bar-label">{escape(bar.label)}</text>')
    return Markup(f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
                  f'width="{width}" height="{height}">{"".join(parts)}</svg>')
