"""Loading real data for the portal's tests (unit and browser): content, and job orders from a slice of
the real SeasonalJobs snapshot (the rows of a few named cases plus the first rows of the file)."""

from __future__ import annotations

import csv
import gzip
from datetime import date
from importlib import import_module
from pathlib import Path

from temporada.core.bootstrap import data_path

SNAPSHOT = ("labor_demand", "us_seasonaljobs", "seasonaljobs_h2a_h2b_job_orders_snapshot_2026-01-15.csv.gz")
# Real cases used by the tests (H-2B amusement park in Florida, H-2B in Ohio, H-2A beekeeper in Georgia).
CASES = {"H-400-25317-406903", "H-400-25308-369150", "H-300-25312-390600", "H-300-25317-406857"}
HEAD_ROWS = 12


def load_content():
    """Countries, the programme catalogue and the portal's own content, as `temporada setup` loads them."""
    from temporada.core.reference import load_countries, load_subdivisions
    from temporada.programmes.bootstrap import load_catalogue
    from temporada.rights.bootstrap import load_content as load_rights

    load_countries()
    load_subdivisions()
    load_catalogue()
    load_rights()


def snapshot_slice(tmp_path: Path) -> tuple[Path, list[dict]]:
    """Write the header, the first rows and the rows of CASES of the real snapshot to a small .csv.gz."""
    with gzip.open(data_path(*SNAPSHOT), "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for i, row in enumerate(reader) if i < HEAD_ROWS or row["case_number"] in CASES]
        fields = reader.fieldnames
    target = tmp_path / "seasonaljobs_slice.csv.gz"
    with gzip.open(target, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target, rows


def _importer():
    """The demand app's SeasonalJobs importer, when it is installed."""
    try:
        module = import_module("temporada.demand.importers")
    except ImportError:
        return None
    for kind, spec in getattr(module, "IMPORTERS", {}).items():
        if "seasonal" in kind:
            return spec["run"]
    return None


def _fiscal_year(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def _load_directly(path: Path, rows: list[dict]):
    """Fallback while the demand importer is not installed: the same published values, row by row."""
    from temporada.core.models import Subdivision
    from temporada.demand.models import JobOrder

    states = {s.name_en.upper(): s.code for s in Subdivision.objects.filter(country_id="USA")}
    for number, row in enumerate(rows, start=2):
        begin = date.fromisoformat(row["begin_date"][:10])
        status = row["case_status"]
        JobOrder.objects.create(
            source="seasonaljobs", source_key=row["case_number"], job_order_number=row["case_number"],
            programme=row["visa_class"], fiscal_year=_fiscal_year(begin), employer_name=row["employer_business_name"],
            employer_city=row["employer_city"], employer_state=row["employer_state"], country_id="USA",
            worksite_subdivision_id=states.get(row["worksite_state"].upper()), worksite_city=row["worksite_city"],
            job_title=row["job_title"], positions_requested=int(row["total_positions"] or 0) or None,
            begin_date=begin, end_date=date.fromisoformat(row["end_date"][:10]), case_status=status,
            status_category="certified" if "Certification" in status else "pending",
            source_file=path.name, source_row=number)


def load_job_orders(tmp_path: Path) -> list[dict]:
    """Real SeasonalJobs rows in the database (through the demand importer when available)."""
    from temporada.demand.models import JobOrder

    path, rows = snapshot_slice(tmp_path)
    run = _importer()
    if run is not None:
        run(path=path)
    else:
        _load_directly(path, rows)
    assert JobOrder.objects.filter(source_key__in=CASES).count() >= len(CASES)
    return rows
