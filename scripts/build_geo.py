"""Build the small GeoJSON map shapes served to Leaflet from the vendored Natural Earth / Census files.

    python scripts/build_geo.py

Writes src/temporada/core/static/core/geo/{rcm_countries,us_states}.geojson with coordinates
rounded to 0.01° (≈1 km), which is plenty for choropleths and keeps pages light.
"""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/temporada/core/static/core/geo"


def decode_topology(topo: dict, object_name: str) -> list[dict]:
    """TopoJSON → GeoJSON features (handles quantized, delta-encoded arcs)."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            if transform:
                x, y = x + dx, y + dy
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append([x * sx + tx, y * sy + ty])
            else:
                points.append([dx, dy])
        arcs.append(points)

    def ring(indexes):
        coords = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            coords.extend(pts if not coords else pts[1:])
        return [[round(px, 2), round(py, 2)] for px, py in coords]

    features = []
    for geom in topo["objects"][object_name]["geometries"]:
        if geom["type"] == "Polygon":
            geometry = {"type": "Polygon", "coordinates": [ring(r) for r in geom["arcs"]]}
        elif geom["type"] == "MultiPolygon":
            geometry = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in geom["arcs"]]}
        else:
            continue
        features.append({"type": "Feature", "id": geom.get("id"), "properties": geom.get("properties", {}), "geometry": geometry})
    return features


def rounded(geometry):
    def walk(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], 2), round(c[1], 2)]
        return [walk(x) for x in c]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rcm = json.loads((ROOT / "data/geo/rcm/rcm_countries_naturalearth_50m.geojson").read_text())
    features = [
        {"type": "Feature", "id": f["properties"]["iso_a3"],
         "properties": {k: f["properties"][k] for k in ("iso_a3", "iso_a2", "name_en", "name_es", "name_fr")},
         "geometry": rounded(f["geometry"])}
        for f in rcm["features"]
    ]
    (OUT / "rcm_countries.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))
    topo = json.loads((ROOT / "data/geo/us_atlas/states-10m.json").read_text())
    states = decode_topology(topo, "states")
    (OUT / "us_states.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": states}, separators=(",", ":")))
    for p in OUT.glob("*.geojson"):
        print(p.name, p.stat().st_size)


if __name__ == "__main__":
    main()
