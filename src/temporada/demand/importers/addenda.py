"""Files that complete the main disclosure files, joined on CASE_NUMBER to cases already imported:
H-2A Addendum A (crops and activities with their wage offers), H-2A Addendum B employment (more places of
employment) and Addendum B housing (more housing), H-2B Appendix A (more worksites).

A row whose case is not among the imported job orders of the same fiscal year is rejected with that
reason: import the main file for the period first, then its addenda.
"""

from __future__ import annotations

from abc import abstractmethod

from ..models import Crop, Housing, JobOrder, Source, Worksite
from . import cells
from .base import ImportContext, Importer
from .layouts import ColumnMap, Layout, detect
from .normalize import SubdivisionLookup
from .oflc import period_from_names, set_period
from .readers import open_spreadsheet


class AddendumImporter(Importer):
    parent_source = Source.OFLC_H2A
    source = Source.OFLC_H2A
    layouts: list[Layout] = []
    model = None
    fields: list[str] = []
    formats = ("xlsx", "xls")

    def run(self, ctx: ImportContext) -> None:
        table = open_spreadsheet(ctx.path)
        columns = detect(table.header, self.layouts, kind=self.kind)
        ctx.batch.layout = columns.layout.name
        year, quarter = period_from_names(ctx.source_name, ctx.path.name, table.sheet_name)
        if year:
            set_period(ctx, year, quarter)
        keys = set()
        rows = []
        for row, values in table.rows:
            rows.append((row, values))
            keys.add(cells.text(columns.get(values, "case_number")))
        parents = self.parents(keys, year)
        lookup = SubdivisionLookup("US")
        ctx.progress(0, table.total, "reading", force=True)
        records = []
        for done, (row, values) in enumerate(rows, start=1):
            ctx.rows_read += 1
            key = cells.text(columns.get(values, "case_number"))
            if not key:
                ctx.reject(row, "missing case number", column=columns.column_name("case_number"),
                           header=table.header, cells=values)
                continue
            parent = parents.get(key)
            if parent is None:
                period = f" of FY{year}" if year else ""
                ctx.reject(row, f"case {key} is not among the imported {self.parent_label} job orders{period}: "
                           "import the main disclosure file for this period first",
                           column=columns.column_name("case_number"), key=key, header=table.header, cells=values)
                continue
            def warn(reason, column, value, row=row, key=key):
                ctx.warn(row, reason, column=column, key=key, value=value)

            try:
                record = self.parse(columns, values, lookup, warn)
            except cells.CellError as exc:
                column = getattr(exc, "column", "")
                ctx.reject(row, str(exc), column=column, key=key, header=table.header, cells=values)
                continue
            if record is None:
                ctx.reject(row, self.empty_reason, key=key, header=table.header, cells=values)
                continue
            record.update(job_order_id=parent, source_row=row)
            records.append(record)
            if done % 500 == 0:
                ctx.progress(done, table.total)
        ctx.progress(table.total, table.total, "saving", force=True)
        ctx.save_children(self.model, records, self.fields)
        ctx.summary.update({"cases": len({r["job_order_id"] for r in records}), "records": len(records)})

    parent_label = "H-2A"
    empty_reason = "row has no content besides the case number"

    def parents(self, keys: set[str], year: int | None) -> dict[str, int]:
        """case number -> id of the case's own row (line 0), in the file's fiscal year when known."""
        qs = JobOrder.objects.filter(source=self.parent_source, source_key__in=keys, line=0)
        if year:
            qs = qs.filter(fiscal_year=year)
        out: dict[str, tuple[int, int]] = {}
        for pk, key, fy in qs.values_list("id", "source_key", "fiscal_year"):
            if key not in out or fy > out[key][1]:
                out[key] = (pk, fy)
        return {k: v[0] for k, v in out.items()}

    @abstractmethod
    def parse(self, columns: ColumnMap, values: list, lookup, warn) -> dict | None:
        """One row of the addendum as field values, or None to skip it."""


def _column_error(exc: cells.CellError, column: str) -> cells.CellError:
    exc.column = column
    return exc


def _count(columns: ColumnMap, values, name):
    raw, column = columns.get_with_column(values, name)
    try:
        return cells.count(raw)
    except cells.CellError as exc:
        raise _column_error(exc, column)


def _date(columns: ColumnMap, values, name, warn):
    """Dates describe a record but do not make it: an impossible one is dropped and reported."""
    raw, column = columns.get_with_column(values, name)
    try:
        return cells.a_date(raw)
    except cells.CellError as exc:
        warn(f"{exc}: date dropped, row kept", column, raw)
        return None


def _money(columns: ColumnMap, values, name):
    raw, column = columns.get_with_column(values, name)
    try:
        return cells.money(raw)
    except cells.CellError as exc:
        raise _column_error(exc, column)


class AddendumAImporter(AddendumImporter):
    kind = "oflc-h2a-addendum-a"
    help = "H-2A Addendum A: crops and agricultural activities with wage offers (xlsx), FY2020 onwards"
    model = Crop
    fields = ["job_order_id", "activity", "wage_offer", "wage_unit", "piece_rate_notes"]
    layouts = [Layout(
        "oflc-h2a-addendum-a", "H-2A Addendum A, 7 columns",
        signature=frozenset({"CASE_NUMBER", "CROP_AGRICULTURAL_ACTIVITY"}),
        columns={"case_number": ("CASE_NUMBER",), "activity": ("CROP_AGRICULTURAL_ACTIVITY",),
                 "wage_offer": ("WAGE_OFFER",), "per": ("PER",), "notes": ("PIECE_RATE_UNITS_SPECIAL_PAY",)},
        required=frozenset({"case_number", "activity"}),
    )]
    empty_reason = "no crop or activity given"

    def parse(self, columns, values, lookup, warn):
        activity = cells.optional_text(columns.get(values, "activity"), 300)
        if not activity:
            return None
        return {"activity": activity, "wage_offer": _money(columns, values, "wage_offer"),
                "wage_unit": cells.optional_text(columns.get(values, "per"), 40),
                "piece_rate_notes": cells.optional_text(columns.get(values, "notes"), 5000)}


WORKSITE_FIELDS = ["job_order_id", "name", "address", "city", "county", "subdivision_id", "postal_code", "area",
                   "positions", "begin_date", "end_date", "wage_from", "wage_to", "wage_unit", "notes"]


class AddendumBEmploymentImporter(AddendumImporter):
    kind = "oflc-h2a-addendum-b-employment"
    help = "H-2A Addendum B: additional places of employment (xlsx), FY2020 onwards"
    model = Worksite
    fields = WORKSITE_FIELDS
    layouts = [Layout(
        "oflc-h2a-addendum-b-employment", "H-2A Addendum B places of employment, 12 columns",
        signature=frozenset({"CASE_NUMBER", "PLACE_OF_EMPLOYMENT_CITY", "TOTAL_WORKERS"}),
        columns={"case_number": ("CASE_NUMBER",),
                 "name": ("NAME_OF_AGRICULTURAL_BUSINESS", "NAME_OF_AGRI_BUSINESS"),
                 "address1": ("PLACE_OF_EMPLOYMENT_ADDRESS1",), "address2": ("PLACE_OF_EMPLOYMENT_ADDRESS2",),
                 "city": ("PLACE_OF_EMPLOYMENT_CITY",), "state": ("PLACE_OF_EMPLOYMENT_STATE",),
                 "postal_code": ("PLACE_OF_EMPLOYMENT_POST_CODE",),
                 "notes": ("ADDITIONAL_PLACE_OF_EMPLOYMENT_INFORMATION", "ADD_PLACE_OF_EMPLOYMENT_INFO"),
                 "begin_date": ("REQUESTED_BEGIN_DATE",), "end_date": ("REQUESTED_END_DATE",),
                 "workers": ("TOTAL_WORKERS",)},
        required=frozenset({"case_number", "city", "state"}),
    )]

    def parse(self, columns, values, lookup, warn):
        get = columns.get
        address = ", ".join(p for p in (cells.optional_text(get(values, "address1"), 300),
                                         cells.optional_text(get(values, "address2"), 300)) if p)
        city = cells.optional_text(get(values, "city"), 120)
        name = cells.optional_text(get(values, "name"), 300)
        if not (address or city or name):
            return None
        state = cells.text(get(values, "state"))
        return {"name": name, "address": address[:300], "city": city, "county": "",
                "subdivision_id": lookup(state) if state else None,
                "postal_code": cells.us_postal_code(get(values, "postal_code")), "area": "",
                "positions": _count(columns, values, "workers"), "begin_date": _date(columns, values, "begin_date", warn),
                "end_date": _date(columns, values, "end_date", warn), "wage_from": None, "wage_to": None, "wage_unit": "",
                "notes": cells.optional_text(get(values, "notes"), 5000)}


class AddendumBHousingImporter(AddendumImporter):
    kind = "oflc-h2a-addendum-b-housing"
    help = "H-2A Addendum B: additional worker housing (xlsx), FY2020 onwards"
    model = Housing
    fields = ["job_order_id", "housing_type", "address", "city", "county", "subdivision_id", "postal_code", "units",
              "occupancy", "standards", "notes"]
    layouts = [Layout(
        "oflc-h2a-addendum-b-housing", "H-2A Addendum B housing, 15 columns",
        signature=frozenset({"CASE_NUMBER", "TYPE_OF_HOUSING", "PHYSICAL_LOCATION_CITY"}),
        columns={"case_number": ("CASE_NUMBER",), "type": ("TYPE_OF_HOUSING",),
                 "address1": ("PHYSICAL_LOCATION_ADDRESS1", "PHYSICAL_LOCATION_ADDRESS_1"),
                 "address2": ("PHYSICAL_LOCATION_ADDRESS2", "PHYSICAL_LOCATION_ADDRESS_2"),
                 "city": ("PHYSICAL_LOCATION_CITY",), "state": ("PHYSICAL_LOCATION_STATE",),
                 "postal_code": ("PHYSICAL_LOCATION_POSTAL_CODE",), "county": ("PHYSICAL_LOCATION_COUNTY",),
                 "notes": ("ADDITIONAL_HOUSING_INFORMATION",), "units": ("TOTAL_UNITS",),
                 "occupancy": ("TOTAL_OCCUPANCY",), "local": ("HOUSING_STANDARDS_LOCAL",),
                 "state_std": ("HOUSING_STANDARDS_STATE",), "federal": ("HOUSING_STANDARDS_FEDERAL",)},
        required=frozenset({"case_number", "city", "state"}),
    )]

    def parse(self, columns, values, lookup, warn):
        get = columns.get
        address = ", ".join(p for p in (cells.optional_text(get(values, "address1"), 300),
                                         cells.optional_text(get(values, "address2"), 300)) if p)
        city = cells.optional_text(get(values, "city"), 120)
        if not (address or city):
            return None
        state = cells.text(get(values, "state"))
        standards = [label for label, name in (("local", "local"), ("state", "state_std"), ("federal", "federal"))
                     if cells.yes_no(get(values, name))]
        return {"housing_type": cells.optional_text(get(values, "type"), 120), "address": address[:300],
                "city": city, "county": cells.optional_text(get(values, "county"), 120),
                "subdivision_id": lookup(state) if state else None,
                "postal_code": cells.us_postal_code(get(values, "postal_code")),
                "units": _count(columns, values, "units"), "occupancy": _count(columns, values, "occupancy"),
                "standards": ", ".join(standards), "notes": cells.optional_text(get(values, "notes"), 5000)}


class H2BAppendixAImporter(AddendumImporter):
    kind = "oflc-h2b-appendix-a"
    help = "H-2B Appendix A: additional worksites (xlsx), FY2020 onwards"
    parent_source = Source.OFLC_H2B
    source = Source.OFLC_H2B
    parent_label = "H-2B"
    model = Worksite
    fields = WORKSITE_FIELDS
    layouts = [Layout(
        "oflc-h2b-appendix-a", "H-2B Appendix A worksites, 13 columns",
        signature=frozenset({"CASE_NUMBER", "WORKSITE_CITY", "MSA_NAME_OES_AREA_TITLE", "CREW_ID"}),
        columns={"case_number": ("CASE_NUMBER",), "city": ("WORKSITE_CITY",), "state": ("WORKSITE_STATE",),
                 "county": ("WORKSITE_COUNTY",), "area": ("MSA_NAME_OES_AREA_TITLE",),
                 "notes": ("ADDITIONAL_EMPLOYMENT_INFORMATION",), "crew": ("CREW_ID",), "workers": ("TOTAL_WORKERS",),
                 "begin_date": ("BEGIN_DATE",), "end_date": ("END_DATE",), "wage_from": ("BASIC_WAGE_RATE_FROM",),
                 "wage_to": ("BASIC_WAGE_RATE_TO",), "per": ("PER",)},
        required=frozenset({"case_number", "city", "state"}),
    )]

    def parse(self, columns, values, lookup, warn):
        get = columns.get
        city = cells.optional_text(get(values, "city"), 120)
        area = cells.optional_text(get(values, "area"), 200)
        state = cells.text(get(values, "state"))
        if not (city or area or state):
            return None
        crew = cells.text(get(values, "crew"))
        notes = cells.optional_text(get(values, "notes"), 5000)
        if crew:
            notes = f"crew {crew}" + (f": {notes}" if notes else "")
        return {"name": "", "address": "", "city": city, "county": cells.optional_text(get(values, "county"), 120),
                "subdivision_id": lookup(state) if state else None, "postal_code": "", "area": area,
                "positions": _count(columns, values, "workers"), "begin_date": _date(columns, values, "begin_date", warn),
                "end_date": _date(columns, values, "end_date", warn), "wage_from": _money(columns, values, "wage_from"),
                "wage_to": _money(columns, values, "wage_to"), "wage_unit": cells.optional_text(get(values, "per"), 20),
                "notes": notes}
