"""Charts are Vega-Lite specs built in Python: the same spec feeds the browser, PDFs and tests.

A view builds a ``Chart`` and passes it to the ``core/_chart.html`` include, which renders the
chart, a table view of the same rows, CSV/API links, the source and the "as of" date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier; never fetched


@dataclass
class Chart:
    chart_id: str
    title: str
    spec: dict[str, Any]
    columns: list[tuple[str, str]]  # (field, label) for the table view
    rows: list[dict[str, Any]]
    source: str = ""
    as_of: str = ""
    csv_url: str = ""
    api_url: str = ""
    description: str = ""
    notes: list[str] = field(default_factory=list)

    def spec_json(self) -> str:
        spec = {"$schema": VEGA_LITE_SCHEMA, **self.spec}
        spec.setdefault("data", {"values": self.rows})
        spec.setdefault("width", "container")
        # "</" must not appear inside a <script> element.
        return json.dumps(spec, default=str, ensure_ascii=False).replace("</", "<\\/")

    def table_rows(self):
        return [[row.get(f) for f, _label in self.columns] for row in self.rows]


def bar_spec(*, x: str, y: str, x_title: str, y_title: str, horizontal: bool = True, sort: str = "-x", color: str | None = None) -> dict:
    """A simple sorted bar chart (horizontal by default: long category names stay readable on phones)."""
    if horizontal:
        enc = {
            "y": {"field": x, "type": "nominal", "title": x_title, "sort": sort},
            "x": {"field": y, "type": "quantitative", "title": y_title},
        }
    else:
        enc = {
            "x": {"field": x, "type": "ordinal", "title": x_title},
            "y": {"field": y, "type": "quantitative", "title": y_title},
        }
    enc["tooltip"] = [{"field": x, "title": x_title}, {"field": y, "title": y_title, "format": ","}]
    if color:
        enc["color"] = {"field": color, "type": "nominal"}
    return {"mark": {"type": "bar", "color": "#0b5d3b"} if not color else "bar", "encoding": enc}


def line_spec(*, x: str, y: str, series: str | None, x_title: str, y_title: str) -> dict:
    enc = {
        "x": {"field": x, "type": "ordinal", "title": x_title},
        "y": {"field": y, "type": "quantitative", "title": y_title},
        "tooltip": [{"field": x}, {"field": y, "format": ","}],
    }
    if series:
        enc["color"] = {"field": series, "type": "nominal"}
        enc["tooltip"].insert(0, {"field": series})
    return {"mark": {"type": "line", "point": True}, "encoding": enc}


def heatmap_spec(*, x: str, y: str, value: str, x_title: str, y_title: str, value_title: str) -> dict:
    return {
        "mark": "rect",
        "encoding": {
            "x": {"field": x, "type": "ordinal", "title": x_title},
            "y": {"field": y, "type": "nominal", "title": y_title},
            "color": {"field": value, "type": "quantitative", "title": value_title, "scale": {"scheme": "greens"}},
            "tooltip": [{"field": y}, {"field": x}, {"field": value, "format": ","}],
        },
    }
