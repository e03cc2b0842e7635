"""Corridors (origin → destination stocks) for the flow map, the matrix chart and the table."""

from __future__ import annotations

import json
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

from temporada.core.charts import Chart, heatmap_spec

from .catalogue import MIGRANT_STOCK
from .profile import fmt

GEOJSON = "core/geo/rcm_countries.geojson"
MAP_FLOWS = 25  # the map draws the largest flows only; the table lists them all


def _ring_centroid(ring) -> tuple[float, float, float]:
    """Signed area and centroid (lon, lat) of a polygon ring (planar: fine for placing a label)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area), cx / (6 * area), cy / (6 * area)


@lru_cache(maxsize=1)
def anchors() -> dict[str, list[float]]:
    """[lat, lon] where flows start and end: the centroid of each country's largest polygon (mainland)."""
    path = finders.find(GEOJSON)
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        geo = json.load(handle)
    out = {}
    for feature in geo["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        best = max((_ring_centroid(poly[0]) for poly in polygons), key=lambda c: c[0])
        code = feature.get("id") or feature["properties"].get("iso_a3")
        out[code] = [round(best[2], 3), round(best[1], 3)]
    return out


def corridor_chart(rows: list[dict], *, year: int, sex_label: str, csv_url: str, api_url: str) -> Chart:
    values = [{"origin": r["origin_name"], "destination": r["destination_name"], "value": r["value"]} for r in rows]
    spec = heatmap_spec(x="destination", y="origin", value="value", x_title=_("País de residencia (destino)"),
                        y_title=_("País de nacimiento (origen)"), value_title=_("Personas"))
    spec["data"] = {"values": values}
    spec["encoding"]["x"]["type"] = "nominal"
    spec["encoding"]["x"]["axis"] = {"labelAngle": -40}
    # One corridor (Mexico → United States) is ten times any other: a log scale keeps the rest readable.
    spec["encoding"]["color"]["scale"] = {"type": "log", "scheme": "greens"}
    display = [{"origin_name": r["origin_name"], "destination_name": r["destination_name"], "value": fmt(r["value"])}
               for r in rows]
    return Chart(chart_id="corridors", title=_("Corredores migratorios, %(year)d (%(sex)s)")
                 % {"year": year, "sex": sex_label},
                 description=_("Personas nacidas en el país de origen que viven en el país de destino, a mitad de año."),
                 spec=spec, columns=[("origin_name", _("Origen")), ("destination_name", _("Destino")),
                                     ("value", _("Personas"))],
                 rows=display, source=f"{MIGRANT_STOCK.publisher}, {MIGRANT_STOCK.version}", as_of=str(year),
                 csv_url=csv_url, api_url=api_url)


def map_data(rows: list[dict]) -> dict:
    """What the flow map script needs: the largest flows between countries it can place."""
    points = anchors()
    flows = [{"o": r["origin"], "d": r["destination"], "on": r["origin_name"], "dn": r["destination_name"],
              "v": r["value"], "label": fmt(r["value"])} for r in rows if r["origin"] in points and r["destination"] in points]
    return {"anchors": points, "flows": flows[:MAP_FLOWS], "shown": min(len(flows), MAP_FLOWS), "total": len(flows)}
