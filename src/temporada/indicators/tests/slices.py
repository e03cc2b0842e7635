"""Slices of the real official files (cut at test time from data/migration/, so they are the publishers'
rows, not invented ones), loaded through the real importers. Used by the unit tests and the browser walk."""

from __future__ import annotations

import csv
import io
from functools import cache

from temporada.indicators.bootstrap import dataset_file

RCM = {"BLZ", "CAN", "CRI", "DOM", "GTM", "HND", "MEX", "NIC", "PAN", "SLV", "USA"}


@cache
def slice_text(key: str) -> str:
    """The official file cut down to what the tests look at (header and row order kept).

    Migrant stock: every year of the corridors among RCM countries and of Guatemala with anyone, plus
    every origin of the RCM destinations in 2020 (so the published destination totals hold)."""
    path = dataset_file(key)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        keep = _row_filter(key, header)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(r for r in reader if keep(r))
    return out.getvalue()


def _row_filter(key: str, header: list[str]):
    if key == "migrant-stock":
        d, o, y = header.index("destination_iso3"), header.index("origin_iso3"), header.index("year")

        def keep(r):
            return (r[d] in RCM and r[o] in RCM) or "GTM" in (r[d], r[o]) or (r[d] in RCM and r[y] == "2020")
    elif key in ("population", "country-indicators"):
        i = header.index("iso3")

        def keep(r):
            return r[i] in RCM
    else:
        def keep(r):
            return True
    return keep


def write_slice(tmp_path, key: str, text: str | None = None):
    path = tmp_path / dataset_file(key).name
    path.write_text(slice_text(key) if text is None else text, encoding="utf-8")
    return path


def load_slices(tmp_path, keys=("country-codes", "indicator-definitions", "country-indicators", "migrant-stock",
                                "population")) -> dict:
    from temporada.indicators.services import import_file

    return {key: import_file(actor=None, dataset_key=key, path=write_slice(tmp_path, key)) for key in keys}
