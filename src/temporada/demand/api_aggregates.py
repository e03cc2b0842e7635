"""`/api/v1/demand/aggregates` and `/api/v1/demand/wages`: the figures behind the demand dashboard.

Included by ``demand/api.py`` with ``router.add_router("", api_aggregates.router)``.
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from .aggregates import (
    DEFAULT_LIMIT,
    GROUP_BY_VALUES,
    MAX_LIMIT,
    WAGE_GROUPS,
    AggregateParams,
    Filters,
    aggregate,
    ensure_cubes,
    one_state,
    parse_group_by,
    provenance,
    totals,
    wage_quantiles,
)

router = Router(tags=["demand"])


class AggregateQuery(Schema):
    group_by: str = Field(..., description="One or two comma-separated dimensions: " + ", ".join(GROUP_BY_VALUES)
                          + "; occupation is accepted for isco_unit (ISCO-08 unit group)")
    programme: str | None = Field(None, description="H-2A, H-2B, CA-AG, CA-LW, CA-HW, CA-GTS, CA-PR, CA-UN")
    fiscal_year: int | None = Field(None, description="US federal fiscal year (Oct–Sep); calendar year for Canada")
    country: str | None = Field(None, description="ISO3 code of the destination country")
    subdivision: str | None = Field(None, description="ISO 3166-2 code of the worksite state/province (US-GA)")
    occupation: str | None = Field(None, description="isco:6 / isco:61 / isco:6111, soc:45-2092, noc:8431")
    source: str | None = Field(None, description="oflc_h2a, oflc_h2b, seasonaljobs, lmia")
    counting: str | None = Field(None, description="primary (default: official figures) or all (every row)")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Largest number of rows returned")
    order: str | None = Field(None, description="positions (largest first) or key; default: positions for employer, "
                                                "native_code, isco_unit and isco_minor, key otherwise")


class WageQuery(Schema):
    group_by: str = Field("isco_major", description="One of: " + ", ".join(WAGE_GROUPS))
    programme: str | None = None
    fiscal_year: int | None = None
    country: str | None = None
    subdivision: str | None = None
    occupation: str | None = None
    source: str | None = None
    limit: int = Field(30, ge=1, le=200)


class AggregateRow(Schema):
    worksite_subdivision: str | None = None
    worksite_subdivision_label: str | None = None
    country: str | None = None
    country_label: str | None = None
    isco_major: str | None = None
    isco_major_label: str | None = None
    isco_submajor: str | None = None
    isco_submajor_label: str | None = None
    isco_minor: str | None = None
    isco_minor_label: str | None = None
    isco_unit: str | None = None
    isco_unit_label: str | None = None
    native_major: str | None = None
    native_major_label: str | None = None
    native_code: str | None = None
    native_code_label: str | None = None
    native_system: str | None = None
    month: int | None = None
    month_label: str | None = None
    employer: int | None = None
    employer_label: str | None = None
    programme: str | None = None
    programme_label: str | None = None
    fiscal_year: int | None = None
    fiscal_year_label: str | None = None
    source: str | None = None
    source_label: str | None = None
    positions_certified: int = Field(description="Certified / approved positions (per the counting rule)")
    positions_requested: int
    job_orders: int
    positions_certified_primary: int = Field(description="Certified positions of primary rows only")
    positions_certified_all_rows: int = Field(
        description="Certified positions over every row, association member rows included")


class Totals(Schema):
    positions_certified: int
    positions_requested: int
    job_orders: int
    positions_certified_primary: int
    positions_certified_all_rows: int


class FileOut(Schema):
    file: str
    source: str
    period: str
    partial: bool
    imported: date | None


class Provenance(Schema):
    as_of: str = Field(description="Date the most recent file behind these figures was imported")
    files: list[FileOut]
    partial: list[dict]


class AggregateOut(Schema):
    group_by: list[str]
    filters: dict
    counting: str
    totals: Totals
    rows: list[AggregateRow]
    provenance: Provenance


class WageRow(Schema):
    group: str
    label: str
    currency: str
    job_orders: int
    p10: float
    p25: float
    median: float
    p75: float
    p90: float


class WageOut(Schema):
    group_by: str
    filters: dict
    rows: list[WageRow]
    provenance: Provenance


def _filters(data: dict) -> Filters:
    form = AggregateParams({k: v for k, v in data.items() if v not in (None, "")})
    if not form.is_valid():
        raise ValidationError([{"loc": ["query", name], "msg": " ".join(str(e) for e in errors)}
                               for name, errors in form.errors.items()])
    return Filters.from_cleaned(form.cleaned_data)


@router.get("/aggregates", response=AggregateOut)
def aggregates(request, query: Query[AggregateQuery]):
    """Positions certified and requested and job orders, grouped by one or two dimensions.

    Real job orders only; primary rows by default (``counting=all`` sums every row). Invalid parameters: 422."""
    data = query.dict()
    try:
        group_by = parse_group_by(data.pop("group_by"))
    except ValueError as exc:
        raise ValidationError([{"loc": ["query", "group_by"], "msg": str(exc)}])
    limit = data.pop("limit")
    order = data.pop("order")
    if order not in (None, "", "positions", "key"):
        raise ValidationError([{"loc": ["query", "order"], "msg": "use positions or key"}])
    filters = _filters(data)
    with one_state():
        ensure_cubes()
        rows = aggregate(filters, group_by, limit=limit, ranked={"positions": True, "key": False}.get(order))
        prov = provenance(filters)
        headline = totals(filters)
    for row in rows:
        if "fiscal_year_label" in row:
            row["fiscal_year_label"] = str(row["fiscal_year_label"])
    return {"group_by": group_by, "filters": filters.query_items(), "counting": filters.counting,
            "totals": headline, "rows": rows, "provenance": prov}


@router.get("/wages", response=WageOut)
def wages(request, query: Query[WageQuery]):
    """Hourly wage offered per job order: 10th–90th percentiles per occupation group, state, programme or year."""
    data = query.dict()
    group = data.pop("group_by")
    if group not in WAGE_GROUPS:
        raise ValidationError([{"loc": ["query", "group_by"], "msg": "use one of: " + ", ".join(WAGE_GROUPS)}])
    limit = data.pop("limit")
    filters = _filters(data)
    with one_state():
        ensure_cubes()
        rows = wage_quantiles(filters, group, limit=limit)
        prov = provenance(filters)
    out = [{"group": str(r[group]), "label": str(r[f"{group}_label"]), **{k: r[k] for k in (
        "currency", "job_orders", "p10", "p25", "median", "p75", "p90")}} for r in rows]
    return {"group_by": group, "filters": filters.query_items(), "rows": out, "provenance": prov}
