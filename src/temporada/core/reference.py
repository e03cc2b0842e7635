"""Loaders for the country and subdivision reference lists (data/reference/)."""

from .bootstrap import data_path, read_csv
from .models import Country, Subdivision


def load_countries(*, stdout=None) -> int:
    rows = read_csv(data_path("reference", "countries.csv"))
    existing = {c.iso3: c for c in Country.objects.all()}
    fields = ["iso2", "numeric", "name_es", "name_en", "name_fr", "is_rcm_member"]
    new, changed = [], []
    for row in rows:
        values = {
            "iso2": row["iso2"], "numeric": row["numeric"].zfill(3), "name_es": row["name_es"],
            "name_en": row["name_en"], "name_fr": row["name_fr"], "is_rcm_member": row["is_rcm_member"] == "1",
        }
        obj = existing.get(row["iso3"])
        if obj is None:
            new.append(Country(iso3=row["iso3"], **values))
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            changed.append(obj)
    Country.objects.bulk_create(new)
    Country.objects.bulk_update(changed, fields)
    return len(rows)


def load_subdivisions(*, stdout=None) -> int:
    rows = read_csv(data_path("reference", "subdivisions.csv"))
    iso3_by_iso2 = dict(Country.objects.values_list("iso2", "iso3"))
    existing = {s.code: s for s in Subdivision.objects.all()}
    fields = ["country_id", "short_code", "kind", "fips", "name_es", "name_en", "name_fr"]
    new, changed = [], []
    for row in rows:
        values = {
            "country_id": iso3_by_iso2[row["country_iso2"]], "short_code": row["short_code"], "kind": row["kind"],
            "fips": row["fips"], "name_es": row["name_es"], "name_en": row["name_en"], "name_fr": row["name_fr"],
        }
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
