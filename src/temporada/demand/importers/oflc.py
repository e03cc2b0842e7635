"""OFLC H-2A and H-2B disclosure files (FY2008–FY2022), read exactly as published.

Ten H-2A layouts and seven H-2B layouts are known: the columns grew from 23 (FY2008) to 139 (FY2022, the
ETA-9142A/790A form) and were renamed along the way (CASE_NO / CASE_NUMBER, ALIEN_WORK_CITY /
WORKSITE_LOCATION_CITY / WORKSITE_CITY, PRIMARY/SUB / PRIORSUB…). Each layout below names the columns
it reads. Association repeats (H-2A before FY2020): see ``assign_primary`` and docs/demand_counting.md.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..models import Housing, JobOrder, OccupationSystem, Programme, Source
from . import cells
from .base import ImportContext, Importer
from .layouts import ColumnMap, Layout, detect
from .normalize import SubdivisionLookup, hourly_wage, status_category
from .readers import ImportFileError, open_spreadsheet

Role = JobOrder.AssociationRole

# Columns present, under these names, in (nearly) every layout.
COMMON = {
    "case_number": ("CASE_NUMBER", "CASE_NO"),
    "case_status": ("CASE_STATUS",),
    "decision_date": ("DECISION_DATE", "RECENT_DECISION_DATE"),
    "received_date": ("CASE_RECEIVED_DATE", "RECEIVED_DATE", "NPC_SUBMITTED_DATE", "SUBMITTED_DATE"),
    "visa_class": ("VISA_CLASS", "APPLICATION_TYPE", "VISA_TYPE"),
    "employer_name": ("EMPLOYER_NAME",),
    "employer_address1": ("EMPLOYER_ADDRESS1", "EMPLOYER_ADDRESS_1"),
    "employer_address2": ("EMPLOYER_ADDRESS2", "EMPLOYER_ADDRESS_2"),
    "employer_city": ("EMPLOYER_CITY",),
    "employer_state": ("EMPLOYER_STATE",),
    "employer_postal_code": ("EMPLOYER_POSTAL_CODE",),
    "job_title": ("JOB_TITLE",),
    "workers_certified": ("NBR_WORKERS_CERTIFIED",),
    "wage_rate": ("BASIC_RATE_OF_PAY",),
    "wage_unit": ("BASIC_UNIT_OF_PAY",),
    # Employment dates: the certified period when there is one, else the period requested.
    "begin_date": ("CERTIFICATION_BEGIN_DATE", "REQUESTED_START_DATE_OF_NEED"),
    "end_date": ("CERTIFICATION_END_DATE", "REQUESTED_END_DATE_OF_NEED"),
}
REQUIRED = frozenset({"case_number", "case_status", "decision_date", "employer_name", "workers_certified"})

# The ETA-9142 form fields published from FY2015 (H-2A) / FY2015 (H-2B) to FY2019.
FORM_9142_2015 = {
    "soc_code": ("SOC_CODE",),
    "soc_title": ("SOC_TITLE", "SOC_NAME"),
    "naics_code": ("NAICS_CODE", "NAIC_CODE"),
    "workers_requested": ("NBR_WORKERS_REQUESTED",),
    "hours": ("BASIC_NUMBER_OF_HOURS", "NUMBER_OF_HOURS"),
    "education_level": ("EDUCATION_LEVEL",),
    "training_months": ("NUM_MONTHS_TRAINING",),
    "experience_months": ("EMP_EXP_NUM_MONTHS",),
    "worksite_city": ("WORKSITE_CITY", "EMPLOYEE_WORKSITE_CITY"),
    "worksite_county": ("WORKSITE_COUNTY", "EMPLOYEE_WORKSITE_COUNTY"),
    "worksite_state": ("WORKSITE_STATE", "EMPLOYEE_WORK_STATE"),
    "worksite_postal_code": ("WORKSITE_POSTAL_CODE", "EMPLOYEE_POSTAL_CODE"),
    "job_order_number": ("JOB_IDNUMBER",),
    "nature_of_need": ("NATURE_OF_TEMPORARY_NEED",),
    "other_worksites": ("OTHER_WORKSITE_LOCATION",),
    "full_time": ("FULL_TIME_POSITION", "FULL_TIME"),
    "overtime_rate": ("OVERTIME_RATE_FROM",),
}


def _cols(*parts: dict, **overrides) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for part in parts:
        out.update(part)
    out.update(overrides)
    return {k: v for k, v in out.items() if v}


H2A_LAYOUTS = [
    Layout(
        "oflc-h2a-2008", "H-2A FY2008, 23 columns",
        signature=frozenset({"CASE_NO", "APPLICATION_TYPE", "ALIEN_WORK_CITY"}),
        absent=frozenset({"REQUESTED_START_DATE_OF_NEED"}),
        columns=_cols(COMMON, worksite_city=("ALIEN_WORK_CITY",), worksite_state=("ALIEN_WORK_STATE",),
                      org_flag=("ORGANIZATION_FLAG",)),
        required=REQUIRED, repeats_cases=True,
    ),
    Layout(
        "oflc-h2a-2009", "H-2A FY2009–FY2010, 27 columns",
        signature=frozenset({"CASE_NO", "ALIEN_WORK_CITY", "REQUESTED_START_DATE_OF_NEED", "AGENT_ATTORNEY_ADDRESS1"}),
        columns=_cols(COMMON, worksite_city=("ALIEN_WORK_CITY",), worksite_state=("ALIEN_WORK_STATE",),
                      org_flag=("ORGANIZATION_FLAG",)),
        required=REQUIRED, repeats_cases=True,
    ),
    Layout(
        "oflc-h2a-2011", "H-2A FY2011–FY2012, 28 columns",
        signature=frozenset({"CASE_NO", "ALIEN_WORK_CITY", "NBR_WORKERS_REQUESTED", "PRIMARY_CROP"}),
        columns=_cols(COMMON, worksite_city=("ALIEN_WORK_CITY",), worksite_state=("ALIEN_WORK_STATE",),
                      org_flag=("ORGANIZATION_FLAG",), workers_requested=("NBR_WORKERS_REQUESTED",),
                      hours=("BASIC_NUMBER_OF_HOURS",), primary_crop=("PRIMARY_CROP",)),
        required=REQUIRED, repeats_cases=True,
    ),
    Layout(
        "oflc-h2a-2013", "H-2A FY2013, 26 columns",
        signature=frozenset({"CASE_NO", "ALIEN_WORK_CITY", "BASIC_NUMBER_OF_HOURS", "VISA_CLASS"}),
        absent=frozenset({"NBR_WORKERS_REQUESTED"}),
        columns=_cols(COMMON, worksite_city=("ALIEN_WORK_CITY",), worksite_state=("ALIEN_WORK_STATE",),
                      org_flag=("ORGANIZATION_FLAG",), hours=("BASIC_NUMBER_OF_HOURS",)),
        required=REQUIRED, repeats_cases=True,
    ),
    Layout(
        "oflc-h2a-2014", "H-2A FY2014, 29 columns (first with SOC codes)",
        signature=frozenset({"CASE_NO", "SOC_CODE_ID", "WORKSITE_LOCATION_CITY"}),
        columns=_cols(COMMON, worksite_city=("WORKSITE_LOCATION_CITY",), worksite_state=("WORKSITE_LOCATION_STATE",),
                      org_flag=("ORGANIZATION_FLAG",), hours=("BASIC_NUMBER_OF_HOURS",), soc_code=("SOC_CODE_ID",),
                      soc_title=("SOC_TITLE",)),
        required=REQUIRED, repeats_cases=True, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2a-2015", "H-2A FY2015, 58 columns (full ETA-9142A form)",
        signature=frozenset({"CASE_NUMBER", "SOC_CODE", "PRIMARY_CROP", "ORGANIZATION_FLAG", "JOB_IDNUMBER"}),
        absent=frozenset({"PRIMARY/SUB", "PRIORSUB"}),
        columns=_cols(COMMON, FORM_9142_2015, org_flag=("ORGANIZATION_FLAG",), primary_crop=("PRIMARY_CROP",)),
        required=REQUIRED, repeats_cases=True, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2a-2016", "H-2A FY2016, 59 columns (adds PRIMARY/SUB)",
        signature=frozenset({"CASE_NUMBER", "PRIMARY/SUB", "ORGANIZATION_FLAG"}),
        absent=frozenset({"TRADE_NAME_DBA"}),
        columns=_cols(COMMON, FORM_9142_2015, org_flag=("ORGANIZATION_FLAG",), primary_crop=("PRIMARY_CROP",),
                      primary_sub=("PRIMARY/SUB",)),
        required=REQUIRED, repeats_cases=True, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2a-2017", "H-2A FY2017–FY2018, 62 columns (adds trade name, county)",
        signature=frozenset({"CASE_NUMBER", "PRIMARY/SUB", "TRADE_NAME_DBA", "WORKSITE_COUNTY"}),
        columns=_cols(COMMON, FORM_9142_2015, org_flag=("ORGANIZATION_FLAG",), primary_crop=("PRIMARY_CROP",),
                      primary_sub=("PRIMARY/SUB",), trade_name=("TRADE_NAME_DBA",)),
        required=REQUIRED, repeats_cases=True, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2a-2019", "H-2A FY2019, 62 columns (CASE_NO, PRIORSUB)",
        signature=frozenset({"CASE_NO", "PRIORSUB", "TRADE_NAME_DBA"}),
        columns=_cols(COMMON, FORM_9142_2015, org_flag=("ORGANIZATION_FLAG",), primary_crop=("PRIMARY_CROP",),
                      primary_sub=("PRIORSUB",), trade_name=("TRADE_NAME_DBA",)),
        required=REQUIRED, repeats_cases=True, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2a-9142a-2020", "H-2A FY2020 onwards, 138–139 columns (ETA-9142A and ETA-790A)",
        signature=frozenset({"CASE_NUMBER", "TOTAL_WORKERS_H2A_CERTIFIED", "JOB_ORDER_NUMBER", "WAGE_OFFER"}),
        columns=_cols(
            COMMON,
            workers_certified=("TOTAL_WORKERS_H2A_CERTIFIED",), workers_requested=("TOTAL_WORKERS_H2A_REQUESTED",),
            workers_needed=("TOTAL_WORKERS_NEEDED",),
            begin_date=("EMPLOYMENT_BEGIN_DATE", "REQUESTED_BEGIN_DATE"),
            end_date=("EMPLOYMENT_END_DATE", "REQUESTED_END_DATE"),
            trade_name=("TRADE_NAME_DBA",), soc_code=("SOC_CODE",), soc_title=("SOC_TITLE",),
            naics_code=("NAICS_CODE",), org_flag=("TYPE_OF_EMPLOYER_APPLICATION",),
            labor_contractor=("H2A_LABOR_CONTRACTOR",), nature_of_need=("NATURE_OF_TEMPORARY_NEED",),
            job_order_number=("JOB_ORDER_NUMBER",), hours=("ANTICIPATED_NUMBER_OF_HOURS",),
            wage_rate=("WAGE_OFFER",), wage_unit=("PER",), piece_rate=("PIECE_RATE_OFFER",),
            piece_rate_unit=("PIECE_RATE_UNIT",), education_level=("EDUCATION_LEVEL",),
            experience_months=("WORK_EXPERIENCE_MONTHS",), training_months=("TRAINING_MONTHS",),
            special_requirements=("SPECIAL_REQUIREMENTS", "ADDITIONAL_JOB_REQUIREMENTS"),
            worksite_address=("WORKSITE_ADDRESS",), worksite_city=("WORKSITE_CITY",),
            worksite_state=("WORKSITE_STATE",), worksite_postal_code=("WORKSITE_POSTAL_CODE",),
            worksite_county=("WORKSITE_COUNTY",), other_worksites=("ADDENDUM_B_WORKSITE_ATTACHED",),
            housing_address=("HOUSING_ADDRESS_LOCATION",), housing_city=("HOUSING_CITY",),
            housing_state=("HOUSING_STATE",), housing_postal_code=("HOUSING_POSTAL_CODE",),
            housing_county=("HOUSING_COUNTY",), housing_type=("TYPE_OF_HOUSING",), housing_units=("TOTAL_UNITS",),
            housing_occupancy=("TOTAL_OCCUPANCY",), housing_local=("HOUSING_COMPLIANCE_LOCAL",),
            housing_state_std=("HOUSING_COMPLIANCE_STATE",), housing_federal=("HOUSING_COMPLIANCE_FEDERAL",),
            apply_phone=("PHONE_TO_APPLY",), apply_email=("EMAIL_TO_APPLY",), apply_url=("WEBSITE_TO_APPLY",),
            emergency_filing=("EMERGENCY_FILING",),
        ),
        required=REQUIRED, repeats_cases=False, extra={"occupation_system": OccupationSystem.ONETSOC},
    ),
]

H2B_COMMON_2015 = _cols(COMMON, FORM_9142_2015)
H2B_LAYOUTS = [
    Layout(
        "oflc-h2b-2014", "H-2B FY2014, 26 columns",
        signature=frozenset({"CASE_NUMBER", "RECENT_DECISION_DATE", "NPC_SUBMITTED_DATE", "ALIEN_WORK_STATE"}),
        columns=_cols(COMMON, worksite_state=("ALIEN_WORK_STATE",), soc_code=("SOC_CODE",), soc_title=("SOC_NAME",),
                      prevailing_wage=("PREVIALING_WAGE",), prevailing_wage_unit=("PW_UNIT_OF_PAY",)),
        required=REQUIRED, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2b-2015", "H-2B FY2015, 56 columns (full ETA-9142B form)",
        signature=frozenset({"CASE_NUMBER", "NPC_SUBMITTED_DATE", "PREVAILING_WAGE", "NAIC_CODE"}),
        columns=_cols(H2B_COMMON_2015, prevailing_wage=("PREVAILING_WAGE",), prevailing_wage_unit=("PW_UNIT_OF_PAY",)),
        required=REQUIRED, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2b-2016", "H-2B FY2016, 53 columns",
        signature=frozenset({"CASE_NUMBER", "SUBMITTED_DATE", "NAIC_CODE", "BASIC_UNIT_OF_PAY"}),
        absent=frozenset({"PREVAILING_WAGE", "NPC_SUBMITTED_DATE"}),
        columns=H2B_COMMON_2015,
        required=REQUIRED, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2b-2017", "H-2B FY2017, 59 columns (pay unit in PAY_RANGE_UNIT)",
        signature=frozenset({"CASE_NUMBER", "PAY_RANGE_UNIT", "SOC_NAME", "TRADE_NAME_DBA"}),
        columns=_cols(H2B_COMMON_2015, wage_unit=("PAY_RANGE_UNIT",), trade_name=("TRADE_NAME_DBA",)),
        required=REQUIRED, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2b-2018", "H-2B FY2018, 59 columns (EMPLOYEE_WORKSITE_* columns)",
        signature=frozenset({"CASE_NUMBER", "PAY_RANGE_UNIT", "EMPLOYEE_WORKSITE_CITY", "VISA_TYPE"}),
        columns=_cols(H2B_COMMON_2015, wage_unit=("PAY_RANGE_UNIT",), trade_name=("TRADE_NAME_DBA",)),
        required=REQUIRED, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2b-2019", "H-2B FY2019, 59 columns",
        signature=frozenset({"CASE_NUMBER", "PAY_RANGE_UNIT", "SOC_TITLE", "EMPLOYER_REP_BY_AGENT"}),
        columns=_cols(H2B_COMMON_2015, wage_unit=("PAY_RANGE_UNIT",), trade_name=("TRADE_NAME_DBA",)),
        required=REQUIRED, extra={"occupation_system": OccupationSystem.SOC2010},
    ),
    Layout(
        "oflc-h2b-9142b-2020", "H-2B FY2020 onwards, 113 columns (ETA-9142B with appendices)",
        signature=frozenset({"CASE_NUMBER", "TOTAL_WORKERS_CERTIFIED", "BASIC_WAGE_RATE_FROM", "MSA_NAME_OES_AREA_TITLE"}),
        columns=_cols(
            COMMON,
            workers_certified=("TOTAL_WORKERS_CERTIFIED",), workers_requested=("TOTAL_WORKERS_REQUESTED",),
            begin_date=("EMPLOYMENT_BEGIN_DATE", "REQUESTED_BEGIN_DATE"),
            end_date=("EMPLOYMENT_END_DATE", "REQUESTED_END_DATE"),
            trade_name=("TRADE_NAME_DBA",), soc_code=("SOC_CODE",), soc_title=("SOC_TITLE",),
            naics_code=("NAICS_CODE",), nature_of_need=("NATURE_OF_TEMPORARY_NEED",),
            hours=("ANTICIPATED_NUMBER_OF_HOURS",), wage_rate=("BASIC_WAGE_RATE_FROM",),
            wage_rate_to=("BASIC_WAGE_RATE_TO",), wage_unit=("PER",), overtime_rate=("OVERTIME_RATE_FROM",),
            education_level=("EDUCATION_LEVEL",), experience_months=("WORK_EXPERIENCE_MONTHS",),
            training_months=("TRAINING_MONTHS",), special_requirements=("SPECIAL_REQUIREMENTS",),
            worksite_address=("WORKSITE_ADDRESS1",), worksite_city=("WORKSITE_CITY",),
            worksite_state=("WORKSITE_STATE",), worksite_postal_code=("WORKSITE_POSTAL_CODE",),
            worksite_county=("WORKSITE_COUNTY",), area=("MSA_NAME_OES_AREA_TITLE",),
            other_worksites=("OTHER_WORKSITE_LOCATION",), board_lodging=("BOARD_LODGING_OTHER_FACILITIES",),
            cap_exempt=("CAP_EXEMPT",), foreign_labor_recruiter=("FOREIGN_LABOR_RECRUITER",),
            apply_phone=("PHONE_TO_APPLY",), apply_email=("EMAIL_TO_APPLY",), apply_url=("WEBSITE_TO_APPLY",),
        ),
        required=REQUIRED, extra={"occupation_system": OccupationSystem.ONETSOC},
    ),
]

# Published column -> key in JobOrder.extra: values worth keeping that have no field of their own.
EXTRA_KEYS = [
    "nature_of_need", "labor_contractor", "other_worksites", "full_time", "overtime_rate", "piece_rate",
    "piece_rate_unit", "wage_rate_to", "prevailing_wage", "prevailing_wage_unit", "area", "cap_exempt",
    "foreign_labor_recruiter", "apply_phone", "apply_email", "apply_url", "emergency_filing", "workers_needed",
    "org_flag", "visa_class",
]

_FY = re.compile(r"FY[ _-]?(\d{4}|\d{2})(?!\d)", re.IGNORECASE)
_QUARTER = re.compile(r"FY[ _-]?(?:\d{4}|\d{2})[ _-]?Q([1-4])", re.IGNORECASE)


def period_from_names(*names: str) -> tuple[int | None, int | None]:
    """(fiscal year, quarter) from 'H-2A_FY2018_Q2.xlsx', 'H-2A_Disclosure_Data_FY15_Q4', 'H2A_FY2013'…"""
    for name in names:
        if not name:
            continue
        match = _FY.search(name)
        if match:
            year = int(match.group(1))
            year = year + 2000 if year < 100 else year
            quarter = _QUARTER.search(name)
            return year, int(quarter.group(1)) if quarter else None
    return None, None


def set_period(ctx: ImportContext, fiscal_year: int, quarter: int | None) -> None:
    batch = ctx.batch
    batch.is_partial_period = quarter in (1, 2, 3)
    if not batch.is_partial_period:
        batch.period_label = f"FY{fiscal_year}"
    else:
        batch.period_label = f"FY{fiscal_year} Q1" + (f"–Q{quarter}" if quarter > 1 else "")


def fiscal_year_for(ctx: ImportContext, table, decision_dates: list) -> int:
    """The file's fiscal year: from its name, else its sheet's name, else the year most decisions fall in."""
    year, quarter = period_from_names(ctx.source_name, ctx.path.name, table.sheet_name)
    if year is None:
        years = defaultdict(int)
        for day in decision_dates:
            years[cells.us_fiscal_year(day)] += 1
        if not years:
            raise ImportFileError("The fiscal year cannot be told: neither the file name nor any decision date gives it.")
        year = max(years, key=years.get)
    if not 2000 <= year <= 2100:
        raise ImportFileError(f"Fiscal year {year} taken from the file name is not plausible.")
    set_period(ctx, year, quarter)
    return year


class OflcImporter(Importer):
    """Shared reading of the OFLC disclosure files; H-2A and H-2B differ in layouts and programme."""

    source = ""
    programme = ""
    layouts: list[Layout] = []
    formats = ("xlsx", "xls")

    def run(self, ctx: ImportContext) -> None:
        table = open_spreadsheet(ctx.path)
        columns = detect(table.header, self.layouts, kind=self.kind)
        ctx.batch.layout = columns.layout.name
        lookup = SubdivisionLookup("US")
        ctx.progress(0, table.total, "reading", force=True)
        parsed = []
        for done, (row, values) in enumerate(table.rows, start=1):
            ctx.rows_read += 1
            item = self.parse_row(ctx, columns, row, values, lookup)
            if item is not None:
                parsed.append(item)
            if done % 500 == 0:
                ctx.progress(done, table.total)
        ctx.progress(table.total, table.total, force=True)
        fiscal_year = fiscal_year_for(ctx, table, [p["values"]["decision_date"] for p in parsed
                                                   if p["values"]["decision_date"]])
        for item in parsed:
            item["values"]["fiscal_year"] = fiscal_year
        records = self.resolve_repeats(ctx, columns, table.header, parsed)
        self.summarise(ctx, records)
        ctx.save_job_orders([r["values"] for r in records], match_on_year=True)
        self.save_housing(ctx, records)

    # -- one row ----------------------------------------------------------------------------------------
    def parse_row(self, ctx: ImportContext, columns: ColumnMap, row: int, values: list, lookup) -> dict | None:
        get = columns.get
        key = cells.text(get(values, "case_number"))
        header = columns.header

        def reject(reason, column=""):
            ctx.reject(row, reason, column=column, key=key, header=header, cells=values)

        if not key:
            reject("missing case number", columns.column_name("case_number"))
            return None
        if len(key) > 60:
            reject("case number longer than 60 characters", columns.column_name("case_number"))
            return None
        employer = cells.optional_text(get(values, "employer_name"), 300)
        if not employer:
            # The case and its workers are still part of the year's totals: kept, and reported.
            ctx.warn(row, "employer name missing: case kept without a name", column=columns.column_name("employer_name"),
                     key=key, value="")
        visa = cells.text(get(values, "visa_class")).upper().replace(" ", "")
        if visa and visa not in (self.programme.upper(), self.programme.upper().replace("-", "")):
            reject(f"visa class {visa} in a {self.programme} file", columns.column_name("visa_class"))
            return None

        out: dict = {}
        for name in ("workers_requested", "workers_certified", "experience_months", "training_months", "workers_needed",
                     "housing_units", "housing_occupancy"):
            raw, column = columns.get_with_column(values, name)
            try:
                out[name] = cells.count(raw)
            except cells.CellError as exc:
                reject(f"{exc}", column)
                return None
        # Dates describe a case but do not make it: the case and its counts stay in the year's totals, an
        # impossible date (2106 for 2016) is dropped and reported.
        for name in ("received_date", "decision_date", "begin_date", "end_date"):
            raw, column = columns.get_with_column(values, name)
            try:
                value = cells.a_date(raw)
            except cells.CellError as exc:
                ctx.warn(row, f"{exc}: date dropped, case kept", column=column, key=key, value=raw)
                value = None
            out[name] = value
        if out["begin_date"] and out["end_date"] and out["end_date"] < out["begin_date"]:
            ctx.warn(row, f"end date {out['end_date']} before begin date {out['begin_date']} (kept as published)",
                     column=columns.column_name("end_date"), key=key, value=out["end_date"])
        raw, column = columns.get_with_column(values, "wage_rate")
        try:
            wage = cells.money(raw)
        except cells.CellError as exc:  # e.g. '#################', a spreadsheet's overflow mark, published as is
            ctx.warn(row, f"{exc}: wage dropped, case kept", column=column, key=key, value=raw)
            wage = None
        raw_hours, hours_column = columns.get_with_column(values, "hours")
        try:
            hours = cells.decimal_hours(raw_hours)
        except cells.CellError as exc:
            ctx.warn(row, f"{exc}: hours not kept", column=hours_column, key=key, value=raw_hours)
            hours = None
        unit = cells.optional_text(get(values, "wage_unit"), 20)
        hourly, why = hourly_wage(wage, unit, hours)
        if why and wage is not None and not why.startswith(("piece", "no pay unit")):
            ctx.warn(row, f"wage {wage} per {unit or '?'}: {why}", column=columns.column_name("wage_rate"), key=key,
                     value=raw)

        state = cells.text(get(values, "worksite_state"))
        subdivision = lookup(state) if state else None
        if state and subdivision is None:
            ctx.warn(row, f"worksite state {state!r} is not a US state or territory: left without subdivision",
                     column=columns.column_name("worksite_state"), key=key, value=state)

        status = cells.optional_text(get(values, "case_status"), 80)
        system = columns.layout.extra.get("occupation_system", "")
        soc = cells.code(get(values, "soc_code"))
        address = ", ".join(p for p in (cells.optional_text(get(values, "employer_address1"), 300),
                                         cells.optional_text(get(values, "employer_address2"), 300)) if p)
        extra = {}
        for name in EXTRA_KEYS:
            if columns.has(name):
                value = cells.text(get(values, name))
                if value and value.lower() not in cells.EMPTY_MARKERS:
                    extra[name] = value[:300]
        housing = self.housing_of(columns, values, lookup)
        record = {
            "source": self.source, "source_key": key, "line": 0, "programme": self.programme,
            "job_order_number": cells.optional_text(get(values, "job_order_number"), 60),
            "quarter": None, "employer_name": employer,
            "trade_name": cells.optional_text(get(values, "trade_name"), 300),
            "employer_address": address[:300], "employer_city": cells.optional_text(get(values, "employer_city"), 120),
            "employer_state": cells.optional_text(get(values, "employer_state"), 60),
            "employer_postal_code": cells.us_postal_code(get(values, "employer_postal_code")),
            "country_id": "USA", "worksite_subdivision_id": subdivision,
            "worksite_city": cells.optional_text(get(values, "worksite_city"), 120),
            "worksite_county": cells.optional_text(get(values, "worksite_county"), 120),
            "worksite_postal_code": cells.us_postal_code(get(values, "worksite_postal_code")),
            "job_title": cells.optional_text(get(values, "job_title"), 300),
            "occupation_system": system if soc else "", "occupation_code": soc,
            "occupation_title": cells.optional_text(get(values, "soc_title"), 300) if soc else "",
            "naics_code": cells.code(get(values, "naics_code"), 10),
            "primary_crop": cells.optional_text(get(values, "primary_crop"), 200),
            "positions_requested": out["workers_requested"], "positions_certified": out["workers_certified"],
            "begin_date": out["begin_date"], "end_date": out["end_date"],
            "wage_rate": wage, "wage_unit": unit, "wage_currency": "USD" if wage is not None else "",
            "wage_hourly": hourly, "hours_per_week": hours,
            "experience_months": _small(out["experience_months"]), "training_months": _small(out["training_months"]),
            "education_level": cells.optional_text(get(values, "education_level"), 120),
            "special_requirements": cells.optional_text(get(values, "special_requirements"), 10000),
            "housing_provided": True if housing else None,
            "housing_summary": _housing_summary(housing, out) if housing else "",
            "case_status": status, "status_category": status_category(status),
            "received_date": out["received_date"], "decision_date": out["decision_date"],
            "extra": extra, "source_row": row,
        }
        if columns.has("board_lodging"):
            record["housing_summary"] = cells.optional_text(get(values, "board_lodging"), 300)
        if housing:
            housing["units"], housing["occupancy"] = out["housing_units"], out["housing_occupancy"]
        return {"row": row, "values": record, "cells": values, "housing": housing,
                "org_flag": cells.text(get(values, "org_flag")), "primary_sub": cells.text(get(values, "primary_sub")).upper()}

    def housing_of(self, columns: ColumnMap, values: list, lookup) -> dict | None:
        if not columns.has("housing_address"):
            return None
        get = columns.get
        address = cells.optional_text(get(values, "housing_address"), 300)
        city = cells.optional_text(get(values, "housing_city"), 120)
        if not (address or city):
            return None
        state = cells.text(get(values, "housing_state"))
        standards = [label for label, name in (("local", "housing_local"), ("state", "housing_state_std"),
                                               ("federal", "housing_federal")) if cells.yes_no(get(values, name))]
        return {
            "housing_type": cells.optional_text(get(values, "housing_type"), 120), "address": address, "city": city,
            "county": cells.optional_text(get(values, "housing_county"), 120),
            "subdivision_id": lookup(state) if state else None,
            "postal_code": cells.us_postal_code(get(values, "housing_postal_code")),
            "standards": ", ".join(standards), "notes": "",
        }

    # -- association repeats and duplicates --------------------------------------------------------------
    def resolve_repeats(self, ctx: ImportContext, columns: ColumnMap, header, parsed: list[dict]) -> list[dict]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for item in parsed:
            groups[item["values"]["source_key"]].append(item)
        kept = []
        for key, items in groups.items():
            unique = []
            for item in items:
                twin = next((u for u in unique if u["cells"] == item["cells"]), None)
                if twin is not None:
                    ctx.reject(item["row"], f"exact duplicate of row {twin['row']} (every value identical)",
                               column=columns.column_name("case_number"), key=key, header=header, cells=item["cells"])
                    continue
                if unique and not columns.layout.repeats_cases:
                    ctx.reject(item["row"], f"case number repeated (first at row {unique[0]['row']}); this layout "
                               "lists each case once", column=columns.column_name("case_number"), key=key,
                               header=header, cells=item["cells"])
                    continue
                unique.append(item)
            assign_primary(unique, has_primary_column=columns.has("primary_sub"),
                           column=columns.column_name("primary_sub") if columns.has("primary_sub") else "")
            kept.extend(unique)
        kept.sort(key=lambda item: item["row"])
        return kept

    def summarise(self, ctx: ImportContext, records: list[dict]) -> None:
        """Both figures the counting note talks about: every row, and primary rows only."""
        def total(rows, field):
            return sum(r["values"][field] or 0 for r in rows)

        primary = [r for r in records if r["values"]["is_primary"]]
        ctx.summary.update({
            "rows_imported": len(records), "primary_rows": len(primary), "member_rows": len(records) - len(primary),
            "positions_certified_all_rows": total(records, "positions_certified"),
            "positions_certified_primary": total(primary, "positions_certified"),
            "positions_requested_all_rows": total(records, "positions_requested"),
            "positions_requested_primary": total(primary, "positions_requested"),
            "primary_rules": _count_by(records, "primary_rule"),
        })

    def save_housing(self, ctx: ImportContext, records: list[dict]) -> None:
        with_housing = [r for r in records if r["housing"]]
        if not with_housing:
            return
        year = records[0]["values"]["fiscal_year"]
        ids = dict(((k, line), pk) for pk, k, line in JobOrder.objects.filter(
            source=self.source, fiscal_year=year, source_key__in=[r["values"]["source_key"] for r in with_housing]
        ).values_list("id", "source_key", "line"))
        children = []
        for r in with_housing:
            job = ids.get((r["values"]["source_key"], r["values"]["line"]))
            if job is not None:
                children.append({**r["housing"], "job_order_id": job, "source_row": r["row"]})
        ctx.save_children(Housing, children, count_as="housing", fields=["job_order_id", "housing_type", "address", "city", "county",
                                              "subdivision_id", "postal_code", "units", "occupancy", "standards", "notes"])


def _small(value):
    return value if value is None or value <= 32767 else None


def _count_by(records, field):
    out: dict[str, int] = defaultdict(int)
    for r in records:
        out[r["values"][field] or "-"] += 1
    return dict(out)


def _housing_summary(housing: dict, out: dict) -> str:
    parts = [housing.get("housing_type") or "", housing.get("city") or "", housing.get("subdivision_id") or ""]
    text = ", ".join(p for p in parts if p)
    if out.get("housing_occupancy"):
        text += f" (occupancy {out['housing_occupancy']})"
    return text[:300]


def assign_primary(items: list[dict], *, has_primary_column: bool, column: str) -> None:
    """Decide which rows of one case count in the official totals, and number the case's rows.

    - PRIMARY/SUB (FY2016–FY2018) or PRIORSUB (FY2019) present: PRI rows count, SUB rows are members.
    - Otherwise (FY2008–FY2015): in a case listed more than once, the row(s) carrying ORGANIZATION_FLAG are
      the application itself and the rows without it are its association members. A case listed once counts.
      If no row of a repeated case carries the flag (never seen in the published files), the first row counts.
    Lines: the counting row(s) first (0, 1…), then members in file order.
    """
    repeated = len(items) > 1
    flags_known = has_primary_column and all(i["primary_sub"] in ("PRI", "SUB") for i in items)
    if flags_known:
        rule = f"{column} column"
        for item in items:
            item["values"]["is_primary"] = item["primary_sub"] == "PRI"
    elif not repeated:
        rule = "case listed once"
        items[0]["values"]["is_primary"] = True
    elif any(i["org_flag"] for i in items):
        rule = "repeated case: row with ORGANIZATION_FLAG counts"
        for item in items:
            item["values"]["is_primary"] = bool(item["org_flag"])
    else:
        rule = "repeated case without ORGANIZATION_FLAG: first row counts"
        for index, item in enumerate(items):
            item["values"]["is_primary"] = index == 0
    primaries = [i for i in items if i["values"]["is_primary"]]
    members = [i for i in items if not i["values"]["is_primary"]]
    has_members = bool(members)
    for line, item in enumerate(primaries + members):
        values = item["values"]
        values["line"] = line
        values["primary_rule"] = rule
        if not values["is_primary"]:
            values["association_role"] = Role.MEMBER
        elif has_members or "association" in item["org_flag"].lower():
            values["association_role"] = Role.PRIMARY
        else:
            values["association_role"] = Role.SINGLE


class H2AImporter(OflcImporter):
    kind = "oflc-h2a"
    help = "OFLC H-2A disclosure file (xlsx/xls), any layout FY2008–FY2022"
    source = Source.OFLC_H2A
    programme = Programme.H2A
    layouts = H2A_LAYOUTS


class H2BImporter(OflcImporter):
    kind = "oflc-h2b"
    help = "OFLC H-2B disclosure file (xlsx), any layout FY2014–FY2022"
    source = Source.OFLC_H2B
    programme = Programme.H2B
    layouts = H2B_LAYOUTS
