"""Default data of the registry for `temporada setup`: the origin countries' first-level subdivisions
(ISO 3166-2, data/supply/origin_subdivisions.csv) and a few hundred SYNTHETIC demo profiles."""

import os

from temporada.core.bootstrap import Step, data_path, read_csv

DEMO_COUNT = 300
DEMO_SEED = 2026
DEMO_COUNTRIES = ["GTM", "MEX", "HND"]


def origin_subdivisions_path():
    return data_path("supply", "origin_subdivisions.csv")


def load_origin_subdivisions(*, stdout=None) -> int:
    """Add/refresh Central American and Caribbean subdivisions in core.Subdivision (same columns as core's list)."""
    from temporada.core.models import Country, Subdivision

    rows = read_csv(origin_subdivisions_path())
    iso3_by_iso2 = dict(Country.objects.values_list("iso2", "iso3"))
    existing = {s.code: s for s in Subdivision.objects.filter(code__in=[r["code"] for r in rows])}
    fields = ["country_id", "short_code", "kind", "fips", "name_es", "name_en", "name_fr"]
    new, changed = [], []
    for row in rows:
        values = {"country_id": iso3_by_iso2[row["country_iso2"]], "short_code": row["short_code"],
                  "kind": row["kind"], "fips": row["fips"], "name_es": row["name_es"], "name_en": row["name_en"],
                  "name_fr": row["name_fr"]}
        obj = existing.get(row["code"])
        if obj is None:
            new.append(Subdivision(code=row["code"], **values))
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            changed.append(obj)
    Subdivision.objects.bulk_create(new)
    Subdivision.objects.bulk_update(changed, fields)
    return len(rows)


def load_demo_workers(*, stdout=None) -> int:
    """300 SYNTHETIC profiles (a third each from Guatemala, Mexico and Honduras) so the registry, the gap's
    demo toggle and matching have something to show. Skipped when synthetic profiles already exist."""
    import numpy as np

    from .models import Worker
    from .synthetic import generate, load_distributions

    if Worker.objects.filter(is_synthetic=True).exists():
        return Worker.objects.filter(is_synthetic=True).count()
    dist = load_distributions(DEMO_COUNTRIES)
    dist.country_weights = np.full(len(dist.countries), 1 / len(dist.countries))  # demo: equal thirds
    return generate(count=DEMO_COUNT, seed=DEMO_SEED, dist=dist)


def steps():
    result = [Step("supply.origin_subdivisions", [origin_subdivisions_path()], load_origin_subdivisions)]
    if not os.environ.get("TEMPORADA_NO_DEMO_WORKERS"):
        result.append(Step("supply.demo_workers", [], load_demo_workers, version="1"))
    return result
