"""Canada, employers issued a positive Labour Market Impact Assessment (ESDC quarterly lists, 2017–2024),
as the harmonised CSV(.gz) of all quarters or its Primary Agriculture subset (same columns).

ESDC publishes no case number. A row's key is its quarter plus a digest of the values that identify it
(province, stream, employer, address, NOC version, code and occupation); the few rows that repeat all of
these within a quarter are told apart by ``line``. So the subset file maps onto the same records as the full
file, and importing either twice changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from ..models import OccupationSystem, Programme, Source
from . import cells
from .base import ImportContext, Importer
from .layouts import Layout, detect
from .normalize import SubdivisionLookup
from .readers import open_csv

LAYOUT = Layout(
    "esdc-lmia-harmonized", "ESDC positive LMIA lists, harmonised (14 columns)",
    signature=frozenset({"year", "quarter", "province_territory", "program_stream", "employer", "approved_positions"}),
    columns={
        "year": ("year",), "quarter": ("quarter",), "province": ("province_territory",), "stream": ("program_stream",),
        "employer": ("employer",), "address": ("address",), "noc_version": ("noc_version",), "noc_code": ("noc_code",),
        "noc_title": ("noc_title",), "occupation": ("occupation",), "incorporate_status": ("incorporate_status",),
        "approved_lmias": ("approved_lmias",), "approved_positions": ("approved_positions",),
        "esdc_file": ("source_file",),
    },
    required=frozenset({"year", "quarter", "province", "stream", "employer", "approved_positions"}),
)
STREAMS = {
    "high wage": Programme.CA_HIGH_WAGE, "low wage": Programme.CA_LOW_WAGE,
    "primary agriculture": Programme.CA_PRIMARY_AGRICULTURE, "global talent stream": Programme.CA_GLOBAL_TALENT,
    "global talent": Programme.CA_GLOBAL_TALENT, "permanent resident only": Programme.CA_PR_ONLY,
    "unspecified": Programme.CA_UNSPECIFIED,
}
NOC_SYSTEMS = {"noc 2011": (OccupationSystem.NOC2011, 4), "noc 2021": (OccupationSystem.NOC2021, 5)}
HEAD_OFFICE_ABROAD = "employers carrying on business in canada with head office outside of canada"
_ADDRESS = re.compile(r"^(?P<city>.*?),?\s*(?P<prov>[A-Z]{2})\s+(?P<postal>[A-Z]\d[A-Z]\s?\d[A-Z]\d)\s*$", re.IGNORECASE)


def split_address(address: str) -> tuple[str, str, str]:
    """'Lewisporte, NL A0G 3A0' -> ('Lewisporte', 'NL', 'A0G 3A0'); anything else -> ('', '', '')."""
    match = _ADDRESS.match(address.strip())
    if not match:
        return "", "", ""
    city = match.group("city").strip().rstrip(",").strip()
    if "," in city:  # street, city
        city = city.rsplit(",", 1)[1].strip()
    return city[:120], match.group("prov").upper(), match.group("postal").upper()[:20]


class LmiaImporter(Importer):
    kind = "lmia"
    help = "Canada positive LMIA employer lists (ESDC), harmonised CSV/CSV.gz of all quarters or a subset"
    source = Source.LMIA
    country = "CAN"
    formats = ("csv", "gzip")

    def run(self, ctx: ImportContext) -> None:
        table = open_csv(ctx.path)
        columns = detect(table.header, [LAYOUT], kind=self.kind)
        ctx.batch.layout = LAYOUT.name
        lookup = SubdivisionLookup("CA")
        get = columns.get
        header = table.header
        occurrences: dict[str, int] = defaultdict(int)
        records = []
        per_year: dict[int, int] = defaultdict(int)
        periods = set()
        ctx.progress(0, table.total, "reading", force=True)
        for done, (row, values) in enumerate(table.rows, start=1):
            ctx.rows_read += 1
            if done % 2000 == 0:
                ctx.progress(done, table.total)

            def reject(reason, name="", row=row, values=values):
                ctx.reject(row, reason, column=columns.column_name(name) if name else "", header=header, cells=values)

            try:
                year = cells.count(get(values, "year"))
                quarter = cells.count(get(values, "quarter"))
            except cells.CellError as exc:
                reject(str(exc), "year")
                continue
            if year is None or not cells.MIN_YEAR <= year <= 2100:
                reject(f"implausible or missing year: {cells.text(get(values, 'year'))!r}", "year")
                continue
            if quarter not in (1, 2, 3, 4):
                reject(f"quarter must be 1 to 4, not {cells.text(get(values, 'quarter'))!r}", "quarter")
                continue
            employer = cells.optional_text(get(values, "employer"), 300)
            if not employer:
                # ESDC lists a few approvals with the employer "(blank)": kept, so the totals match the list.
                ctx.warn(row, "employer name not published ('(blank)' in the list): row kept without a name",
                         column=columns.column_name("employer"), value=get(values, "employer"))
            stream_text = " ".join(cells.text(get(values, "stream")).lower().split())
            programme = STREAMS.get(stream_text)
            if programme is None:
                reject(f"unknown programme stream {cells.text(get(values, 'stream'))!r}", "stream")
                continue
            try:
                positions = cells.count(get(values, "approved_positions"))
                lmias = cells.count(get(values, "approved_lmias"))
            except cells.CellError as exc:
                reject(str(exc), "approved_positions")
                continue
            if positions is None:
                reject("missing number of approved positions", "approved_positions")
                continue
            province = cells.text(get(values, "province"))
            subdivision = lookup(province) if province else None
            extra = {}
            if province and subdivision is None:
                if province.lower() == HEAD_OFFICE_ABROAD:
                    extra["head_office_abroad"] = True
                else:
                    ctx.warn(row, f"province {province!r} is not a Canadian province or territory",
                             column=columns.column_name("province"), value=province)
            system, width = NOC_SYSTEMS.get(cells.text(get(values, "noc_version")).lower(), ("", 0))
            noc = cells.code(get(values, "noc_code"), 10)
            if noc.isdigit() and width and len(noc) < width:
                noc = noc.zfill(width)  # a code re-saved through a spreadsheet lost its leading zero
            title = cells.optional_text(get(values, "noc_title"), 300)
            address = cells.optional_text(get(values, "address"), 300)
            occupation = cells.optional_text(get(values, "occupation"), 300)
            identity = "|".join((province, stream_text, employer, address, cells.text(get(values, "noc_version")), noc,
                                 occupation)).lower()
            key = f"{year}Q{quarter}-" + hashlib.md5(identity.encode(), usedforsecurity=False).hexdigest()[:16]
            line = occurrences[key]
            occurrences[key] += 1
            city, address_province, postal = split_address(address)
            if lmias is not None:
                extra["approved_lmias"] = lmias
            for name in ("incorporate_status", "esdc_file"):
                value = cells.optional_text(get(values, name), 120)
                if value:
                    extra[name] = value
            if province:
                extra["province_published"] = province[:120]
            periods.add((year, quarter))
            per_year[year] += positions
            records.append({
                "source": self.source, "source_key": key, "line": line, "programme": programme,
                "job_order_number": "", "fiscal_year": year, "quarter": quarter,
                "association_role": "single", "is_primary": True, "primary_rule": "one row per employer, stream and occupation",
                "employer_name": employer, "trade_name": "", "employer_address": address, "employer_city": city,
                "employer_state": address_province, "employer_postal_code": postal,
                "country_id": "CAN", "worksite_subdivision_id": subdivision, "worksite_city": "", "worksite_county": "",
                "worksite_postal_code": "", "job_title": title,
                "occupation_system": system if noc else "", "occupation_code": noc,
                "occupation_title": title if noc else "", "naics_code": "", "primary_crop": "",
                "positions_requested": None, "positions_certified": positions, "begin_date": None, "end_date": None,
                "wage_rate": None, "wage_unit": "", "wage_currency": "", "wage_hourly": None, "hours_per_week": None,
                "experience_months": None, "training_months": None, "education_level": "",
                "special_requirements": "", "housing_provided": None, "housing_summary": "",
                "case_status": "positive LMIA", "status_category": "certified", "received_date": None,
                "decision_date": None, "extra": extra, "source_row": row,
            })
        ctx.progress(table.total, table.total, force=True)
        if periods:
            first, last = min(periods), max(periods)
            ctx.batch.period_label = f"{first[0]}Q{first[1]}–{last[0]}Q{last[1]}"
        ctx.batch.is_partial_period = False
        ctx.summary.update({"positions_per_year": {str(y): n for y, n in sorted(per_year.items())},
                            "quarters": len(periods)})
        ctx.save_job_orders(records, match_on_year=True)
