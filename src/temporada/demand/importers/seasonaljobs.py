"""SeasonalJobs.dol.gov job orders (H-2A and H-2B): the snapshot CSV (plain or gzip) and the same records
in the shape the DOL datahub API returns them (a JSON array, or {"value": [...]}, of objects whose keys are
the CSV's column names).

One row per job order; case_number is the key. The fiscal year is the US fiscal year of the begin date.
"""

from __future__ import annotations

from ..models import OccupationSystem, Programme, Source
from . import cells
from .base import ImportContext, Importer
from .layouts import Layout, detect
from .normalize import SubdivisionLookup, hourly_wage, status_category
from .readers import open_csv, open_json_records

COLUMNS = {
    "case_id": ("case_id",), "case_number": ("case_number",), "case_status": ("case_status",),
    "visa_class": ("visa_class",), "job_title": ("job_title",), "rate_from": ("basic_rate_from",),
    "rate_to": ("basic_rate_to",), "overtime_from": ("overtime_rate_from",), "hours": ("work_hour_num_basic",),
    "add_wage_info": ("add_wage_info",), "positions": ("total_positions",), "full_time": ("full_time",),
    "begin_date": ("begin_date",), "end_date": ("end_date",), "experience_months": ("emp_exp_num_months",),
    "special_req": ("special_req",), "training_req": ("training_req",), "training_months": ("num_months_training",),
    "education_level": ("education_level",), "unit": ("pay_range_desc",), "employer_name": ("employer_business_name",),
    "employer_city": ("employer_city",), "employer_state": ("employer_state",), "employer_zip": ("employer_zip",),
    "more_worksites": ("worksite_locations",), "worksite_address": ("worksite_address",),
    "worksite_city": ("worksite_city",), "worksite_state": ("worksite_state",), "worksite_zip": ("worksite_zip",),
    "apply_email": ("apply_email",), "apply_phone": ("apply_phone",), "apply_url": ("apply_url",),
    "job_order_exists": ("job_order_exists",), "active_date": ("active_date",), "url_job": ("url_job",),
}
LAYOUT = Layout(
    "seasonaljobs-2020-06-30", "SeasonalJobs datahub job orders (API version 2020-06-30), 39 fields",
    signature=frozenset({"case_number", "visa_class", "total_positions", "begin_date", "employer_business_name"}),
    columns=COLUMNS,
    required=frozenset({"case_number", "visa_class", "positions", "begin_date", "employer_name", "case_status"}),
)
PROGRAMMES = {"H-2A": Programme.H2A, "H-2B": Programme.H2B}


class SeasonalJobsCsvImporter(Importer):
    kind = "seasonaljobs-csv"
    help = "SeasonalJobs.dol.gov job orders: snapshot CSV or CSV.gz (H-2A and H-2B)"
    source = Source.SEASONALJOBS
    formats = ("csv", "gzip")

    def open(self, path):
        return open_csv(path)

    def run(self, ctx: ImportContext) -> None:
        table = self.open(ctx.path)
        columns = detect(table.header, [LAYOUT], kind=self.kind)
        ctx.batch.layout = LAYOUT.name + (" (JSON)" if table.file_format == "json" else "")
        lookup = SubdivisionLookup("US")
        ctx.progress(0, table.total, "reading", force=True)
        seen: dict[str, int] = {}
        records = []
        snapshot_dates = set()
        for done, (row, values) in enumerate(table.rows, start=1):
            ctx.rows_read += 1
            record = self.parse(ctx, columns, table.header, row, values, lookup, seen)
            if record is not None:
                records.append(record)
                if record["extra"].get("active_date"):
                    snapshot_dates.add(record["extra"]["active_date"][:10])
            if done % 500 == 0:
                ctx.progress(done, table.total)
        ctx.progress(table.total, table.total, force=True)
        years = sorted({r["fiscal_year"] for r in records})
        ctx.batch.period_label = (f"job orders beginning FY{years[0]}–FY{years[-1]}" if len(years) > 1
                                  else f"job orders beginning FY{years[0]}" if years else "")
        ctx.batch.is_partial_period = False
        ctx.summary.update({
            "job_orders": {str(p): sum(1 for r in records if r["programme"] == p) for p in PROGRAMMES.values()},
            "positions": {str(p): sum(r["positions_requested"] or 0 for r in records if r["programme"] == p)
                          for p in PROGRAMMES.values()},
        })
        ctx.save_job_orders(records, match_on_year=False)

    def parse(self, ctx, columns, header, row, values, lookup, seen) -> dict | None:
        if values is None:
            ctx.reject(row, "record is not a JSON object")
            return None
        get = columns.get
        key = cells.text(get(values, "case_number"))

        def reject(reason, name=""):
            ctx.reject(row, reason, column=columns.column_name(name) if name else "", key=key, header=header,
                       cells=values)

        if not key:
            reject("missing case number", "case_number")
            return None
        if len(key) > 60:
            reject("case number longer than 60 characters", "case_number")
            return None
        if key in seen:
            reject(f"case number repeated (first at row {seen[key]}); the job-order list has one row per case",
                   "case_number")
            return None
        visa = cells.text(get(values, "visa_class")).upper()
        programme = PROGRAMMES.get(visa)
        if programme is None:
            reject(f"unknown visa class {visa!r} (expected H-2A or H-2B)", "visa_class")
            return None
        employer = cells.optional_text(get(values, "employer_name"), 300)
        if not employer:
            ctx.warn(row, "employer name missing: job order kept without a name",
                     column=columns.column_name("employer_name"), key=key, value="")
        numbers = {}
        for name in ("positions", "experience_months", "training_months"):
            try:
                numbers[name] = cells.count(get(values, name))
            except cells.CellError as exc:
                reject(str(exc), name)
                return None
        if numbers["positions"] is None:
            reject("missing number of positions", "positions")
            return None
        # The begin date gives the job order its fiscal year: without a real one the row cannot be placed.
        try:
            begin = cells.a_date(get(values, "begin_date"))
        except cells.CellError as exc:
            reject(f"{exc} (the fiscal year is taken from the begin date)", "begin_date")
            return None
        if begin is None:
            reject("missing begin date (the fiscal year is taken from it)", "begin_date")
            return None
        try:
            end = cells.a_date(get(values, "end_date"))
        except cells.CellError as exc:
            ctx.warn(row, f"{exc}: end date dropped, job order kept", column=columns.column_name("end_date"),
                     key=key, value=get(values, "end_date"))
            end = None
        if end and end < begin:
            ctx.warn(row, f"end date {end} before begin date {begin} (kept as published)",
                     column=columns.column_name("end_date"), key=key, value=end)
        dates = {"begin_date": begin, "end_date": end}
        wage = wage_to = None
        try:
            wage = cells.money(get(values, "rate_from"))
            wage_to = cells.money(get(values, "rate_to"))
        except cells.CellError as exc:
            ctx.warn(row, f"{exc}: wage dropped, job order kept", column=columns.column_name("rate_from"), key=key,
                     value=get(values, "rate_from"))
        try:
            hours = cells.decimal_hours(get(values, "hours"))
        except cells.CellError as exc:
            ctx.warn(row, f"{exc}: hours not kept", column=columns.column_name("hours"), key=key,
                     value=get(values, "hours"))
            hours = None
        unit = cells.optional_text(get(values, "unit"), 20)
        hourly, why = hourly_wage(wage, unit, hours)
        if why and wage is not None and not why.startswith(("piece", "no pay unit")):
            ctx.warn(row, f"wage {wage} per {unit or '?'}: {why}", column=columns.column_name("rate_from"), key=key,
                     value=get(values, "rate_from"))
        # active_date is kept for reference only: an impossible value (one row says 2525) is dropped, not the job order.
        active_raw = get(values, "active_date")
        try:
            active = cells.a_date(active_raw)
        except cells.CellError as exc:
            ctx.warn(row, f"{exc}: active date dropped, job order kept", column=columns.column_name("active_date"),
                     key=key, value=active_raw)
            active = None
        state = cells.text(get(values, "worksite_state"))
        subdivision = lookup(state) if state else None
        if state and subdivision is None:
            ctx.warn(row, f"worksite state {state!r} is not a US state or territory",
                     column=columns.column_name("worksite_state"), key=key, value=state)
        seen[key] = row
        status = cells.optional_text(get(values, "case_status"), 80)
        extra = {"case_id": cells.text(get(values, "case_id")), "url_job": cells.text(get(values, "url_job"))}
        for name in ("apply_email", "apply_phone", "apply_url", "add_wage_info", "full_time", "job_order_exists",
                     "more_worksites", "training_req", "worksite_address"):
            value = cells.optional_text(get(values, name), 500)
            if value:
                extra[name] = value
        if wage_to:
            extra["wage_rate_to"] = str(wage_to)
        if active:
            extra["active_date"] = active.isoformat()
        return {
            "source": self.source, "source_key": key, "line": 0, "programme": programme,
            "job_order_number": key, "fiscal_year": cells.us_fiscal_year(dates["begin_date"]), "quarter": None,
            "association_role": "single", "is_primary": True, "primary_rule": "one row per job order",
            "employer_name": employer, "trade_name": "", "employer_address": "",
            "employer_city": cells.optional_text(get(values, "employer_city"), 120),
            "employer_state": cells.optional_text(get(values, "employer_state"), 60),
            "employer_postal_code": cells.us_postal_code(get(values, "employer_zip")), "country_id": "USA",
            "worksite_subdivision_id": subdivision,
            "worksite_city": cells.optional_text(get(values, "worksite_city"), 120), "worksite_county": "",
            "worksite_postal_code": cells.us_postal_code(get(values, "worksite_zip")),
            "job_title": cells.optional_text(get(values, "job_title"), 300),
            "occupation_system": OccupationSystem.NONE, "occupation_code": "", "occupation_title": "",
            "naics_code": "", "primary_crop": "",
            # SeasonalJobs publishes the positions a job order seeks, not a certified count.
            "positions_requested": numbers["positions"], "positions_certified": None,
            "begin_date": dates["begin_date"], "end_date": dates["end_date"],
            "wage_rate": wage, "wage_unit": unit, "wage_currency": "USD" if wage is not None else "",
            "wage_hourly": hourly, "hours_per_week": hours,
            "experience_months": numbers["experience_months"], "training_months": numbers["training_months"],
            "education_level": cells.optional_text(get(values, "education_level"), 120),
            "special_requirements": cells.optional_text(get(values, "special_req"), 10000),
            "housing_provided": None, "housing_summary": "",
            "case_status": status, "status_category": status_category(status),
            "received_date": None, "decision_date": None, "extra": extra, "source_row": row,
        }


class SeasonalJobsJsonImporter(SeasonalJobsCsvImporter):
    kind = "seasonaljobs-json"
    help = 'SeasonalJobs.dol.gov job orders in the datahub API shape: JSON array or {"value": [...]}'
    formats = ("json", "gzip")

    def open(self, path):
        return open_json_records(path)
