"""`/api/v1/indicators/`: datasets (metadata, provenance, downloads, DCAT), country profiles, corridors
and indicator series. Public aggregates; every parameter is validated by the same forms as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpResponse, QueryDict
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from temporada.core.i18n import translated_value
from temporada.core.models import Country
from temporada.core.restrict import get_restricted_or_404

from . import explorer, queries
from .forms import CorridorForm, ExplorerForm, YearForm, year_error_message
from .models import Dataset, ImportBatch
from .opendata import catalogue_entries, dcat_catalog, download_path, download_response
from .profile import PROFILE_CHARTS, build_chart, build_profile

router = Router(tags=["indicators"])


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class BatchOut(Schema):
    file_name: str
    sha256: str
    file_size: int
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    finished_at: datetime


class DatasetOut(Schema):
    key: str
    title: str
    description: str
    publisher: str
    source_url: str
    licence: str
    licence_url: str
    version: str
    derived: bool
    rows: int
    areas: int
    coverage_start: int | None
    coverage_end: int | None
    last_update: datetime | None
    columns: list[str]
    csv_url: str
    json_url: str


class DatasetDetailOut(DatasetOut):
    current_import: BatchOut | None = None


class RejectOut(Schema):
    line: int
    reason: str
    raw: str


class FigureOut(Schema):
    label: str
    value: float | None
    year: int | None
    source: str
    note: str


class ProgrammeRef(Schema):
    slug: str
    name: str
    destination: str


class ProfileOut(Schema):
    iso3: str
    name: str
    year: int
    figures: list[FigureOut]
    charts: dict[str, str]
    programmes_as_destination: list[ProgrammeRef]
    programmes_as_origin: list[ProgrammeRef]
    programmes_open_to_all: list[ProgrammeRef]
    demand_loaded: bool
    demand_destination: bool


class ChartDataOut(Schema):
    chart: str
    title: str
    source: str
    as_of: str
    fields: list[str]
    rows: list[dict]


class CorridorOut(Schema):
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    year: int
    sex: str
    value: int


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    source: str
    last_updated: date | None
    link: str
    first_year: int | None
    last_year: int | None


class SeriesRow(Schema):
    iso3: str
    country: str
    indicator: str
    year: int
    value: float


class SeriesOut(Schema):
    indicators: list[str]
    countries: list[str]
    start: int
    end: int
    rows: list[SeriesRow]


class OverviewOut(Schema):
    iso3: str
    name: str
    year: int
    emigrants: int
    immigrants: int


def _bad(form) -> Status:
    errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
    message = " ".join(m for messages in errors.values() for m in messages)
    return Status(400, {"detail": message or "Invalid parameters", "errors": errors})


def _dataset_out(entry) -> dict:
    d, info = entry["dataset"], entry["info"]
    return {"key": d.key, "title": translated_value(d, "title"), "description": translated_value(d, "description"),
            "publisher": d.publisher, "source_url": d.source_url, "licence": d.licence_name,
            "licence_url": d.licence_url, "version": d.version, "derived": d.derived, "rows": entry["rows"],
            "areas": entry["areas"], "coverage_start": entry["coverage_start"], "coverage_end": entry["coverage_end"],
            "last_update": entry["last_loaded_at"], "columns": list(info.columns),
            "csv_url": download_path(d.key, "csv"), "json_url": download_path(d.key, "json")}


def _entry(request, key):
    get_restricted_or_404(Dataset.objects.all(), request.user, key=key)
    entry = next((e for e in catalogue_entries(request.user) if e["dataset"].key == key), None)
    if entry is None:
        raise Http404()
    return entry


@router.get("/datasets", response=list[DatasetOut], summary="Open-data catalogue")
def list_datasets(request):
    return [_dataset_out(e) for e in catalogue_entries(request.user)]


@router.get("/datasets/{key}", response={200: DatasetDetailOut, 404: ErrorOut}, summary="One dataset with provenance")
def dataset_detail(request, key: str):
    entry = _entry(request, key)
    out = _dataset_out(entry)
    batch = ImportBatch.objects.restrict(request.user).filter(dataset_id=key, is_current=True).first()
    out["current_import"] = batch
    return out


@router.get("/datasets/{key}/rejects", response={200: list[RejectOut], 404: ErrorOut},
            summary="Rows of the current import that were refused, with the reason")
@paginate(LimitOffsetPagination)
def dataset_rejects(request, key: str):
    _entry(request, key)
    batch = ImportBatch.objects.restrict(request.user).filter(dataset_id=key, is_current=True).first()
    return list(batch.rejects.all()) if batch else []


@router.get("/datasets/{key}/download", response={200: None, 400: ErrorOut, 404: ErrorOut},
            summary="Whole dataset as CSV or JSON (streamed)")
def dataset_download(request, key: str, format: str = "csv"):
    _entry(request, key)
    if format not in ("csv", "json"):
        return Status(400, {"detail": "format must be csv or json", "errors": {"format": ["csv, json"]}})
    return download_response(request.user, key, format)


@router.get("/catalog.jsonld", response={200: None}, summary="DCAT catalogue (JSON-LD) for open-data harvesters")
def catalog_jsonld(request):
    import json

    body = json.dumps(dcat_catalog(request), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


@router.get("/overview", response={200: list[OverviewOut], 400: ErrorOut},
            summary="Emigrants and immigrants of each RCM country")
def overview(request, year: int | None = None):
    form = YearForm({"year": year} if year is not None else {})
    if not form.is_valid():
        return Status(400, {"detail": year_error_message(), "errors": {"year": [year_error_message()]}})
    chosen = form.cleaned_data["year"] or queries.latest_stock_year(request.user)
    return [{"iso3": r["code"], "name": r["name"], "year": chosen, "emigrants": r["emigrants"],
             "immigrants": r["immigrants"]} for r in queries.rcm_overview(request.user, chosen)]


def _rcm_country(request, iso3: str) -> Country:
    code = str(iso3)
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise Http404()
    return get_restricted_or_404(Country.objects.filter(is_rcm_member=True), request.user, iso3=code.upper())


def _year(year):
    form = YearForm({"year": year} if year is not None else {})
    if not form.is_valid():
        return None, Status(400, {"detail": year_error_message(), "errors": {"year": [year_error_message()]}})
    return form.cleaned_data["year"], None


def _refs(programmes) -> list[dict]:
    return [{"slug": p.slug, "name": translated_value(p, "name"), "destination": p.destination_id} for p in programmes]


@router.get("/countries/{iso3}/profile", response={200: ProfileOut, 400: ErrorOut, 404: ErrorOut},
            summary="Country profile: key figures, chart endpoints, programmes, demand")
def country_profile(request, iso3: str, year: int | None = None):
    country = _rcm_country(request, iso3)
    chosen, error = _year(year)
    if error:
        return error
    profile = build_profile(request.user, country, chosen, include_charts=False)
    return {"iso3": country.iso3, "name": profile["name"], "year": profile["year"],
            "figures": [{**f, "value": float(f["raw"]) if f["raw"] is not None else None} for f in profile["figures"]],
            "charts": {key: f"/api/v1/indicators/countries/{country.iso3}/charts/{key}" for key in PROFILE_CHARTS},
            "programmes_as_destination": _refs(profile["programmes"]["destination"]),
            "programmes_as_origin": _refs(profile["programmes"]["origin"]),
            "programmes_open_to_all": _refs(profile["programmes"]["open_to_all"]),
            "demand_loaded": profile["demand"]["loaded"], "demand_destination": profile["demand"]["is_destination"]}


@router.get("/countries/{iso3}/charts/{chart_id}", response={200: ChartDataOut, 400: ErrorOut, 404: ErrorOut},
            summary="The rows behind one chart of a country profile")
def profile_chart(request, iso3: str, chart_id: str, year: int | None = None):
    country = _rcm_country(request, iso3)
    if chart_id not in PROFILE_CHARTS:
        return Status(404, {"detail": f"Unknown chart {chart_id[:40]!r}. Charts: {', '.join(PROFILE_CHARTS)}",
                            "errors": {}})
    chosen, error = _year(year)
    if error:
        return error
    chart = build_chart(request.user, country, chart_id, chosen)
    return {"chart": chart_id, "title": chart.chart.title, "source": chart.chart.source, "as_of": chart.chart.as_of,
            "fields": chart.fields, "rows": [{f: _plain(r.get(f)) for f in chart.fields} for r in chart.raw_rows]}


def _plain(value):
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


@router.get("/corridors", response={200: list[CorridorOut], 400: ErrorOut},
            summary="Origin → destination migrant stocks (year, sex, RCM or one country's partners)")
def corridors(request, year: int | None = None, sex: str = "total", scope: str = "rcm", country: str = ""):
    data = {"sex": sex, "scope": scope, "country": country}
    if year is not None:
        data["year"] = year
    form = CorridorForm(data, countries=queries.known_area_codes(request.user))
    if not form.is_valid():
        return _bad(form)
    c = form.cleaned_data
    among = queries.rcm_codes(request.user) if c["scope"] == "rcm" else None
    return queries.corridors(request.user, year=c["year"], sex=c["sex"], among=among, country=c["country"] or None,
                             limit=500 if among else 100)


@router.get("/indicators", response=list[IndicatorOut], summary="Indicator definitions and their years")
def list_indicators(request):
    bounds = explorer.year_bounds(request.user)
    out = [{"code": i.code, "name": translated_value(i, "name"), "unit": translated_value(i, "unit"),
            "source": i.source, "last_updated": i.last_updated, "link": i.link,
            "first_year": bounds.get(i.code, (None, None))[0], "last_year": bounds.get(i.code, (None, None))[1]}
           for i in queries.indicators(request.user)]
    units = explorer.indicator_units(request.user)
    for code, label in explorer.STOCK_SERIES.items():
        out.append({"code": code, "name": str(label), "unit": units[code], "source": explorer.source_of([code]),
                    "last_updated": None, "link": "", "first_year": bounds[code][0], "last_year": bounds[code][1]})
    return out


@router.get("/series", response={200: SeriesOut, 400: ErrorOut},
            summary="Indicator × countries × years (at most 3 indicators, 12 countries, 2,000 cells)")
def series(request, indicator: list[str] = Query(None), country: list[str] = Query(None),  # noqa: B008
           start: int | None = None, end: int | None = None):
    query = QueryDict(mutable=True)
    query.setlist("indicator", indicator or [])
    query.setlist("country", country or [])
    if start is not None:
        query["start"] = str(start)
    if end is not None:
        query["end"] = str(end)
    form = ExplorerForm(query, indicators=explorer.indicator_choices(request.user),
                        countries=queries.known_area_codes(request.user), bounds=explorer.year_bounds(request.user))
    if not form.is_valid():
        return _bad(form)
    c = form.cleaned_data
    rows = explorer.series_rows(request.user, indicators=c["indicators"], countries=c["countries"], start=c["start"],
                                end=c["end"])
    return {"indicators": c["indicators"], "countries": c["countries"], "start": c["start"], "end": c["end"],
            "rows": [{"iso3": r["iso3"], "country": r["country"], "indicator": r["indicator"], "year": r["year"],
                      "value": float(r["value"])} for r in rows]}
