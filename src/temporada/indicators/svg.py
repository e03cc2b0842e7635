"""Small SVG bar charts drawn on the server for the PDF profile (WeasyPrint draws inline SVG; no network,
no browser). They show the same rows as the page's Vega-Lite charts; the PDF prints the table too.

Every element is built with ``format_html`` (labels escaped), so the result is safe to insert as is."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

GREEN = "#0b5d3b"
TEXT = "#1b1f23"
FONT = "DejaVu Sans, sans-serif"


def _short(value: float) -> str:
    """Axis label: 12.3M, 450k, 3.1 — compact and language-neutral."""
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"{value / 1e9:.1f}G"
    if magnitude >= 1e6:
        return f"{value / 1e6:.1f}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f}k"
    if magnitude >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}"


def _n(value: float) -> str:
    """A coordinate (format_html escapes its arguments first, so numbers are formatted beforehand)."""
    return f"{value:.1f}"


def _text(x, y, text, *, size=7, anchor="start"):
    return format_html('<text x="{}" y="{}" font-size="{}" text-anchor="{}" font-family="{}" fill="{}">{}</text>',
                       _n(x), _n(y), size, anchor, FONT, TEXT, text)


def _rect(x, y, w, h):
    return format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', _n(x), _n(y), _n(w), _n(h), GREEN)


def _svg(width, height, title, parts) -> SafeString:
    body = format_html_join("", "{}", ((p,) for p in parts))
    return format_html('<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
                       'aria-label="{}">{}</svg>', width, height, width, height, title, body)


def columns(labels: list, values: list, *, title: str, width: int = 500, height: int = 170) -> SafeString:
    """Vertical bars (one per year), negative values below a zero line."""
    points = [(str(label), float(v)) for label, v in zip(labels, values, strict=True) if v is not None]
    if not points:
        return SafeString("")
    top, left, bottom = 14, 46, 22
    plot_h = height - top - bottom
    high = max(0.0, max(v for _l, v in points))
    low = min(0.0, min(v for _l, v in points))
    span = (high - low) or 1.0
    zero_y = top + plot_h * high / span
    step = (width - left - 6) / len(points)
    bar_w = max(step * 0.7, 1)
    every = max(1, len(points) // 12)
    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999" stroke-width="0.6"/>',
                         left, _n(zero_y), width - 4, _n(zero_y)),
             _text(left - 4, top + 4, _short(high), anchor="end")]
    if low < 0:
        parts.append(_text(left - 4, top + plot_h, _short(low), anchor="end"))
    for i, (label, value) in enumerate(points):
        x = left + i * step + (step - bar_w) / 2
        h = plot_h * abs(value) / span
        parts.append(_rect(x, zero_y - h if value >= 0 else zero_y, bar_w, max(h, 0.3)))
        if i % every == 0:
            parts.append(_text(x + bar_w / 2, height - 8, label, anchor="middle"))
    return _svg(width, height, title, parts)


def bars(labels: list, values: list, *, title: str, width: int = 500, row_h: int = 14) -> SafeString:
    """Horizontal bars with their label on the left and the value on the right."""
    points = [(str(label), float(v)) for label, v in zip(labels, values, strict=True) if v is not None]
    if not points:
        return SafeString("")
    label_w, value_w = 170, 60
    height = row_h * len(points) + 6
    high = max(v for _l, v in points) or 1.0
    plot_w = width - label_w - value_w
    parts = []
    for i, (label, value) in enumerate(points):
        y = 3 + i * row_h
        w = plot_w * max(value, 0) / high
        parts += [_text(label_w - 4, y + row_h * 0.7, label[:38], size=7.5, anchor="end"),
                  _rect(label_w, y + 2, max(w, 0.3), row_h - 4),
                  _text(label_w + w + 3, y + row_h * 0.7, _short(value))]
    return _svg(width, height, title, parts)
