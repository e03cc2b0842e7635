"""`/api/v1/supply/`: the worker registry (scoped exactly like the pages) and the supply indicators / gap.

Profiles: origin officials see their own nationals, workers their own profile, administrators all; every
other caller gets an empty list and 404 by id. Full document numbers are never served (last 4 only).
Statistics: officials, analysts and administrators; small cells suppressed as on the pages."""

from datetime import date

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import ValidationError as ApiValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from temporada.core.i18n import current_language
from temporada.core.restrict import get_restricted_or_404

from . import services, stats
from .forms import GapForm, IndicatorForm
from .models import Worker
from .queries import registry_for

router = Router(tags=["supply"])


class WorkerOut(Schema):
    id: int
    is_synthetic: bool
    nationality: str
    residence_subdivision: str | None
    given_names: str
    family_names: str
    birth_date: date
    sex: str
    national_id_last4: str
    passport_last4: str
    passport_expiry: date | None
    primary_isco: str
    primary_years: int
    available_from: date | None
    available_until: date | None
    status: str
    registry_consent: bool
    matching_consent: bool

    @staticmethod
    def from_worker(w: Worker) -> dict:
        return {
            "id": w.pk, "is_synthetic": w.is_synthetic, "nationality": w.nationality_id,
            "residence_subdivision": w.residence_subdivision_id, "given_names": w.given_names,
            "family_names": w.family_names, "birth_date": w.birth_date, "sex": w.sex,
            "national_id_last4": w.national_id_last4, "passport_last4": w.passport_last4,
            "passport_expiry": w.passport_expiry, "primary_isco": w.primary_isco, "primary_years": w.primary_years,
            "available_from": w.available_from, "available_until": w.available_until, "status": w.status,
            "registry_consent": w.has_registry_consent, "matching_consent": w.has_matching_consent,
        }


class OccupationOut(Schema):
    isco_code: str
    years: int
    description: str


class LanguageOut(Schema):
    language: str
    level: str


class ParticipationOut(Schema):
    programme: str | None
    destination: str
    employer_name: str
    season: int
    returned_on_time: bool | None


class ConsentOut(Schema):
    purpose: str
    given_on: date
    withdrawn: bool


class WorkerDetailOut(WorkerOut):
    occupations: list[OccupationOut]
    languages: list[LanguageOut]
    participations: list[ParticipationOut]
    consents: list[ConsentOut]
    preferred_destinations: list[str]
    preferred_programmes: list[str]


class WorkerFilters(Schema):
    country: str | None = None
    status: str | None = None
    occupation: str | None = None
    synthetic: str | None = None


class Error(Schema):
    detail: str


class InvalidQuery(Schema):
    detail: list[dict]


def _bad(field: str, message: str):
    raise ApiValidationError([{"loc": ["query", field], "msg": message}])


@router.get("/workers", response=list[WorkerOut], url_name="supply_workers")
@paginate(LimitOffsetPagination)
def list_workers(request, filters: Query[WorkerFilters]):
    """Profiles in the caller's scope that are in the registry (consent not withdrawn)."""
    data = filters.dict()
    if data["status"] and data["status"] not in Worker.Status.values:
        _bad("status", "Unknown status.")
    if data["occupation"] and not (data["occupation"].isdigit() and len(data["occupation"]) <= 4):
        _bad("occupation", "ISCO-08 code: 1 to 4 digits.")
    if data["synthetic"] not in (None, "", "real", "synthetic"):
        _bad("synthetic", "Use real or synthetic.")
    data["country"] = (data["country"] or "").upper()
    qs = registry_for(request.user, data).order_by("id")
    return [WorkerOut.from_worker(w) for w in qs]


@router.get("/workers/{worker_id}", response={200: WorkerDetailOut, 404: Error}, url_name="supply_worker")
def get_worker(request, worker_id: int):
    """One profile (the reading is audited). 404 when it does not exist or is out of the caller's scope."""
    worker = get_restricted_or_404(Worker.objects.all(), request.user, pk=worker_id)
    services.record_profile_view(actor=request.user, worker=worker, request=request)
    out = WorkerOut.from_worker(worker)
    out.update({
        "occupations": [{"isco_code": o.isco_code, "years": o.years, "description": o.description}
                        for o in worker.occupations.all()],
        "languages": [{"language": lang.language, "level": lang.level} for lang in worker.languages.all()],
        "participations": [{"programme": p.programme.slug if p.programme else None, "destination": p.destination_id,
                            "employer_name": p.employer_name, "season": p.season,
                            "returned_on_time": p.returned_on_time}
                           for p in worker.participations.select_related("programme")],
        "consents": [{"purpose": c.purpose, "given_on": c.given_on, "withdrawn": c.withdrawn_at is not None}
                     for c in worker.consents.all()],
        "preferred_destinations": list(worker.preferred_destinations.values_list("iso3", flat=True)),
        "preferred_programmes": list(worker.preferred_programmes.values_list("slug", flat=True)),
    })
    return out


class StatsQuery(Schema):
    start: str | None = None
    months: int | None = None
    level: str | None = None
    origin: str | None = None
    include_synthetic: bool | None = None


class GapQuery(StatsQuery):
    destination: str | None = None


class GapRowOut(Schema):
    isco_group: str
    isco_title: str
    destination: str
    month: str
    demand_positions: int
    supply_workers: int | None
    gap: int | None
    status: str


class GapOut(Schema):
    start: str
    months: int
    level: str
    origins: list[str] | None
    suppressed: bool
    synthetic_included: bool
    demand_total: int
    supply_total_of_published_cells: int
    hidden_cells: int
    definitions: str
    rows: list[GapRowOut]


def _form_or_422(form_class, query, user):
    data = {k: ("on" if v is True else v) for k, v in query.dict().items() if v not in (None, False, "")}
    form = form_class(data, user=user)
    if not form.is_valid():
        raise ApiValidationError([{"loc": ["query", field], "msg": " ".join(str(m) for m in msgs)}
                                  for field, msgs in form.errors.items()])
    return form.params()


def _origins(user, origin):
    if origin:
        return [origin]
    if getattr(user, "role", None) == "origin_official":
        return sorted(user.country_codes)
    return None


@router.get("/gap", response={200: GapOut, 404: Error, 422: InvalidQuery}, url_name="supply_gap")
def gap(request, query: Query[GapQuery]):
    """Shortage/surplus by ISCO group × destination × month (negative gap = shortage)."""
    if not stats.can_see_statistics(request.user):
        raise Http404
    params = _form_or_422(GapForm, query, request.user)
    origins = _origins(request.user, params["origin"])
    suppressed = stats.needs_suppression(request.user, origins)
    table = stats.gap_table(start=params["start"], count=params["months"], level=params["level"],
                            destinations=[params["destination"]] if params["destination"] else None,
                            origins=origins, include_synthetic=params["include_synthetic"],
                            suppress_cells=suppressed, lang=current_language())
    return {
        "start": stats.month_label(params["start"]), "months": params["months"], "level": params["level"],
        "origins": origins, "suppressed": suppressed, "synthetic_included": params["include_synthetic"],
        "demand_total": table.demand_total, "supply_total_of_published_cells": table.supply_visible_total,
        "hidden_cells": table.hidden_cells, "definitions": stats.__doc__.split("Suppression")[0].strip(),
        "rows": [{"isco_group": r.group, "isco_title": r.title, "destination": r.destination,
                  "month": r.month_label, "demand_positions": r.demand, "supply_workers": r.supply, "gap": r.gap,
                  "status": r.status} for r in table.rows],
    }


class IndicatorRowOut(Schema):
    key: str
    label: str
    workers: int | None
    is_total_of_published_cells: bool = False


class IndicatorsOut(Schema):
    suppressed: bool
    synthetic_included: bool
    subdivision: list[IndicatorRowOut]
    occupation: list[IndicatorRowOut]
    month: list[IndicatorRowOut]


@router.get("/indicators", response={200: IndicatorsOut, 404: Error, 422: InvalidQuery}, url_name="supply_indicators")
def indicators(request, query: Query[StatsQuery]):
    """Available workers by origin subdivision, ISCO group and month (null = suppressed cell, fewer than 5)."""
    if not stats.can_see_statistics(request.user):
        raise Http404
    params = _form_or_422(IndicatorForm, query, request.user)
    origins = _origins(request.user, params["origin"])
    suppressed = stats.needs_suppression(request.user, origins)
    data = stats.indicator_tables(start=params["start"], count=params["months"], level=params["level"],
                                  origins=origins, include_synthetic=params["include_synthetic"],
                                  suppress_cells=suppressed, lang=current_language())

    def rows(name):
        return [{"key": r.get("key", ""), "label": r["label"], "workers": r["value"],
                 "is_total_of_published_cells": bool(r.get("is_total"))} for r in data[name]["rows"]]

    return {"suppressed": suppressed, "synthetic_included": params["include_synthetic"],
                 "subdivision": rows("subdivision"), "occupation": rows("occupation"), "month": rows("month")}
