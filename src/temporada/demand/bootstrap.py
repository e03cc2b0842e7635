"""Default demand data loaded by `temporada setup` (so the dashboards have real data on first start):
the latest full fiscal year of H-2A (FY2017) and H-2B (FY2019) disclosure data, the SeasonalJobs snapshot
and the ESDC positive-LMIA lists. Each goes through the same importer as `temporada import` and the upload
page, and leaves an ImportBatch behind. docs/demand_import.md says how to import the other files.
"""

from __future__ import annotations

from temporada.core.bootstrap import Step, data_path

DEFAULT_FILES = [
    ("demand.h2a_fy2017", "oflc-h2a", ("labor_demand", "us_oflc_h2a", "raw", "H-2A_Disclosure_Data_FY17.xlsx")),
    ("demand.h2b_fy2019", "oflc-h2b", ("labor_demand", "us_oflc_h2b", "raw", "H-2B_Disclosure_Data_FY2019.xlsx")),
    ("demand.seasonaljobs", "seasonaljobs-csv",
     ("labor_demand", "us_seasonaljobs", "seasonaljobs_h2a_h2b_job_orders_snapshot_2026-01-15.csv.gz")),
    ("demand.lmia", "lmia",
     ("labor_demand", "canada_lmia", "lmia_positive_employers_2017q1_2024q4_harmonized.csv.gz")),
]
# Employer resolution of the 345,000 LMIA rows takes minutes: it runs in the background worker that
# `temporada serve` starts, so the first start is not held up (the job orders are there at once).
DEFER_EMPLOYERS = {"demand.lmia"}


def _loader(name: str, kind: str, parts: tuple[str, ...]):
    def load(*, stdout=None) -> int:
        from .importers import get_importer, run_import

        batch = run_import(get_importer(kind), data_path(*parts), defer_employers=name in DEFER_EMPLOYERS)
        if stdout is not None:
            stdout.write(f"    {batch.rows_created} created, {batch.rows_updated} updated, "
                         f"{batch.rows_unchanged} unchanged, {batch.rows_rejected} rejected")
        return batch.rows_total

    return load


def _build_cubes(*, stdout=None) -> int:
    """The dashboard's cubes, built at set-up so the first visitor does not wait for them (seconds on the
    default data); a no-op when they already hold the current job orders."""
    from .aggregates import cubes_ready, refresh_cubes

    return 0 if cubes_ready(False) else refresh_cubes(synthetic=False)


def steps() -> list[Step]:
    imports = [Step(name, [data_path(*parts)], _loader(name, kind, parts), version="1")
               for name, kind, parts in DEFAULT_FILES]
    files = [path for step in imports for path in step.files]
    # runs whenever a default file changed, after its import; the loader itself skips cubes already current
    return [*imports, Step("demand.cubes", files, _build_cubes, version="1")]
