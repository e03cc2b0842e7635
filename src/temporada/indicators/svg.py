"""Small SVG bar charts drawn on the server for the PDF profile (WeasyPrint draws inline SVG; no network,
no browser). They show the same rows as the page's Vega-Lite charts; the PDF prints the table too."""

from __future__ import annotations

from django.utils.html import escape

GREEN = "#0b5d3b"
TEXT = "#1b1f23"
FONT = 'font-family="DejaVu Sans, sans-serif"'


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


def columns(labels: list, values: list, *, title: str, width: int = 500, height: int = 170) -> str:
    """Vertical bars (one per year), negative values below a zero line."""
    points = [(str(label), float(v)) for label, v in zip(labels, values, strict=True) if v is not None]
    if not points:
        return ""
    top, left, bottom = 14, 46, 22
    plot_h = height - top - bottom
    high = max(0.0, max(v for _l, v in points))
    low = min(0.0, min(v for _l, v in points))
    span = (high - low) or 1.0
    zero_y = top + plot_h * high / span
    step = (width - left - 6) / len(points)
    bar_w = max(step * 0.7, 1)
    every = max(1, len(points) // 12)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}">',
             f'<line x1="{left}" y1="{zero_y:.1f}" x2="{width - 4}" y2="{zero_y:.1f}" stroke="#999" stroke-width="0.6"/>',
             f'<text x="{left - 4}" y="{top + 4}" font-size="7" text-anchor="end" {FONT} fill="{TEXT}">{_short(high)}</text>']
    if low < 0:
        parts.append(f'<text x="{left - 4}" y="{top + plot_h}" font-size="7" text-anchor="end" {FONT} '
                     f'fill="{TEXT}">{_short(low)}</text>')
    for i, (label, value) in enumerate(points):
        x = left + i * step + (step - bar_w) / 2
        h = plot_h * abs(value) / span
        y = zero_y - h if value >= 0 else zero_y
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 0.3):.1f}" fill="{GREEN}"/>')
        if i % every == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 8}" font-size="7" text-anchor="middle" {FONT} '
                         f'fill="{TEXT}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars(labels: list, values: list, *, title: str, width: int = 500, row_h: int = 14) -> str:
    """Horizontal bars with their label on the left and the value on the right."""
    points = [(str(label), float(v)) for label, v in zip(labels, values, strict=True) if v is not None]
    if not points:
        return ""
    label_w, value_w = 170, 60
    height = row_h * len(points) + 6
    high = max(v for _l, v in points) or 1.0
    plot_w = width - label_w - value_w
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}">']
    for i, (label, value) in enumerate(points):
        y = 3 + i * row_h
        w = plot_w * max(value, 0) / high
        parts.append(f'<text x="{label_w - 4}" y="{y + row_h * 0.7:.1f}" font-size="7.5" text-anchor="end" {FONT} '
                     f'fill="{TEXT}">{escape(label[:38])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{max(w, 0.3):.1f}" height="{row_h - 4}" fill="{GREEN}"/>')
        parts.append(f'<text x="{label_w + w + 3:.1f}" y="{y + row_h * 0.7:.1f}" font-size="7" {FONT} '
                     f'fill="{TEXT}">{_short(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)
