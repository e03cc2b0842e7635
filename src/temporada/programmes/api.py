"""`/api/v1/programmes/`: programmes, legal instruments, procedures and best practices (published or in scope)."""


from collections import OrderedDict
from datetime import date

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import ValidationError as ApiValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from temporada.core.models import Country
from temporada.core.restrict import get_restricted_or_404

from .facts import fact_statuses
from .forms import ProgrammeSearchForm
from .models import LegalInstrument, Modality, Sector
from .presentation import programme_rows
from .queries import (
    instruments_for,
    legal_channels,
    practices_for,
    procedures_for,
    programmes_for,
    search_programmes,
)

MAX_COMPARE = 4


def _bad(field: str, message: str):
    raise ApiValidationError([{"loc": ["query", field], "msg": message}])


def _country_code(field: str, value: str | None) -> str | None:
    """An ISO3 code that exists, or a 422 (never a silent empty result for a typo)."""
    if not value:
        return None
    code = value.strip().upper()
    if len(code) != 3 or not Country.objects.filter(iso3=code).exists():
        _bad(field, "Unknown country code (ISO 3166-1 alpha-3 expected).")
    return code

router = Router(tags=["programmes"])


class FactOut(Schema):
    field: str
    verified: bool
    source_url: str | None = None
    checked_on: date | None = None


class VolumeOut(Schema):
    year: int
    year_kind: str
    measure: str
    value: int
    source_url: str
    checked_on: date


class ProgrammeOut(Schema):
    slug: str
    acronym: str
    name: str
    destination: str
    other_destinations: list[str]
    modality: str
    status: str
    eligible_origins: list[str]
    eligible_origins_open: bool
    eligible_list_name: str
    eligible_list_year: int | None
    eligible_list_partial: bool
    origin_side: bool
    family_accompany: bool | None
    sectors: list[str]
    isco_codes: list[str]
    max_stay_months: int | None
    start_year: int | None
    end_year: int | None
    official_url: str


class FactValueOut(Schema):
    value: str
    verified: bool
    source_url: str | None = None
    checked_on: date | None = None


class ProgrammeDetailOut(ProgrammeOut):
    description: str
    employer_obligations: dict[str, str]
    recruitment_fee_rule: str
    values: dict[str, FactValueOut]
    facts: list[FactOut]
    volumes: list[VolumeOut]
    instruments: list[str]


class PartyOut(Schema):
    country: str
    signature_date: date | None
    ratification_date: date | None
    ratification_year: int | None
    ratification_kind: str = ""
    source_url: str | None
    checked_on: date | None = None


class InstrumentOut(Schema):
    slug: str
    short_name: str
    title: str
    kind: str
    modality: str
    adoption_date: date | None
    adoption_year: int | None
    entry_into_force: date | None
    obligations: str
    official_url: str
    parties: list[PartyOut]
    programmes: list[str]


class StepOut(Schema):
    order: int
    title: str
    office: str
    documents: str
    fees: str
    fee_payer: str
    typical_time: str
    where: str
    source_url: str | None


class ProcedureOut(Schema):
    id: int
    programme: str
    origin: str
    summary: str
    steps: list[StepOut]


class CompareRowOut(Schema):
    field: str
    label: str
    values: list[FactValueOut]


class CompareOut(Schema):
    programmes: list[str]
    rows: list[CompareRowOut]


class EligibilityOut(Schema):
    eligible: bool | None
    basis: str
    list_name: str
    list_year: int | None
    list_partial: bool
    source_url: str | None
    checked_on: date | None


class ChannelOut(Schema):
    programme: str
    name: str
    destination: str
    eligibility: EligibilityOut
    criteria: dict[str, bool | None]
    max_stay_months: int | None
    employer_obligations: dict[str, FactValueOut]


class PracticeOut(Schema):
    id: int
    country: str
    programme: str | None
    topic: str
    language: str
    title: str
    text: str
    evidence: str
    evidence_url: str


class ProgrammeFilters(Schema):
    origin: str | None = None
    destination: str | None = None
    sector: str | None = None
    occupation: str | None = None
    duration: str | None = None
    modality: str | None = None
    status: str | None = None
    q: str | None = None


def _programme(p) -> dict:
    return {
        "slug": p.slug, "acronym": p.t("acronym"), "name": p.t("name"), "destination": p.destination_id,
        "other_destinations": [c.iso3 for c in p.other_destinations.all()], "modality": p.modality, "status": p.status,
        "eligible_origins": [c.iso3 for c in p.eligible_origins.all()], "eligible_origins_open": p.eligible_origins_open,
        "eligible_list_name": p.eligible_list_name, "eligible_list_year": p.eligible_list_year,
        "eligible_list_partial": p.eligible_list_partial, "origin_side": p.origin_side,
        "family_accompany": p.family_accompany, "sectors": p.sectors,
        "isco_codes": p.isco_codes, "max_stay_months": p.max_stay_months, "start_year": p.start_year,
        "end_year": p.end_year, "official_url": p.official_url,
    }


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(LimitOffsetPagination)
def list_programmes(request, filters: Query[ProgrammeFilters]):
    """Programmes the caller may see; the same facets as the search page (invalid values: 422)."""
    data = {k: v for k, v in filters.dict().items() if v}
    form = ProgrammeSearchForm(data)
    if not form.is_valid():
        from ninja.errors import ValidationError

        raise ValidationError([{"loc": ["query", k], "msg": str(v[0])} for k, v in form.errors.items()])
    if form.impossible_reason():
        return []
    return [_programme(p) for p in search_programmes(request.user, form.cleaned_data)]


@router.get("/programmes/{slug}", response=ProgrammeDetailOut)
def programme_detail(request, slug: str):
    p = get_restricted_or_404(programmes_for(request.user), request.user, slug=slug)
    out = _programme(p)
    out.update({
        "description": p.t("description"), "recruitment_fee_rule": p.t("recruitment_fee_rule"),
        "values": {row["field"]: _fact_value(row) for row in programme_rows(p)},
        "employer_obligations": {f: p.t(f) for f in ("wage_rule", "housing", "transport", "meals", "insurance")},
        "facts": [{"field": s.field, "verified": s.verified,
                   "source_url": s.citation.source.url if s.citation else None,
                   "checked_on": s.citation.checked_on if s.citation else None} for s in fact_statuses(p)],
        "volumes": [{"year": v.year, "year_kind": v.year_kind, "measure": v.measure, "value": v.value,
                     "source_url": v.source.url, "checked_on": v.checked_on} for v in p.volumes.select_related("source")],
        "instruments": list(instruments_for(request.user).filter(programmes=p).values_list("slug", flat=True)),
    })
    return out


def _fact_value(row) -> dict:
    citation = row["citation"]
    return {"value": str(row["value"] or ""), "verified": bool(row["verified"] and row["value"]),
            "source_url": citation.source.url if citation else None,
            "checked_on": citation.checked_on if citation else None}


@router.get("/compare", response=CompareOut)
def compare_programmes(request, p: list[str] = Query(...)):  # noqa: B008
    """Side-by-side comparison of 2 to 4 programmes (by slug), attribute by attribute, each value with its source.

    Fewer than 2 or more than 4 distinct slugs: 422. An unknown or hidden slug: 404."""
    slugs = list(OrderedDict.fromkeys(s.strip() for s in p if s.strip()))
    if len(slugs) < 2 or len(slugs) > MAX_COMPARE:
        _bad("p", f"Give between 2 and {MAX_COMPARE} distinct programme slugs.")
    found = {x.slug: x for x in programmes_for(request.user).filter(slug__in=slugs)}
    if len(found) != len(slugs):
        raise Http404
    tables = [programme_rows(found[s]) for s in slugs]
    return {"programmes": slugs,
            "rows": [{"field": first["field"], "label": str(first["label"]),
                      "values": [_fact_value(t[i]) for t in tables]} for i, first in enumerate(tables[0])]}


@router.get("/channels", response=list[ChannelOut])
def channels(request, nationality: str, destination: str | None = None, sector: str | None = None,
             months: int | None = None, family: bool | None = None):
    """Legal channels open to a nationality (ISO3), optionally by destination, sector, stay wanted (months) and
    family. Criteria that could not be verified come back as null, never guessed."""
    nationality = _country_code("nationality", nationality)
    destination = _country_code("destination", destination)
    if sector and sector not in Sector.values:
        _bad("sector", "Unknown sector.")
    if months is not None and not 1 <= months <= 120:
        _bad("months", "Between 1 and 120.")
    out = []
    for c in legal_channels(request.user, nationality=nationality, destination=destination, sector=sector or None,
                            months=months, family=family):
        prog = c["programme"]
        out.append({"programme": prog.slug, "name": prog.t("name"), "destination": prog.destination_id,
                    "eligibility": c["eligibility"], "criteria": c["criteria"], "max_stay_months": c["max_stay_months"],
                    "employer_obligations": {k: {"value": v["value"], "verified": v["verified"],
                                                 "source_url": v["source_url"], "checked_on": v["checked_on"]}
                                             for k, v in c["employer_obligations"].items()}})
    return out


def _instrument(i) -> dict:
    return {
        "slug": i.slug, "short_name": i.short_name, "title": i.t("title"), "kind": i.kind, "modality": i.modality,
        "adoption_date": i.adoption_date, "adoption_year": i.adoption_year, "entry_into_force": i.entry_into_force,
        "obligations": i.t("obligations"), "official_url": i.official_url,
        "parties": [{"country": pt.country_id, "signature_date": pt.signature_date,
                     "ratification_date": pt.ratification_date, "ratification_year": pt.ratification_year,
                     "ratification_kind": pt.ratification_kind, "checked_on": pt.checked_on,
                     "source_url": pt.source.url if pt.source else None} for pt in i.parties.all()],
        "programmes": [p.slug for p in i.programmes.all() if p.state == "published"],
    }


@router.get("/instruments", response=list[InstrumentOut])
@paginate(LimitOffsetPagination)
def list_instruments(request, modality: str | None = None, country: str | None = None, kind: str | None = None):
    """Legal instruments, by cooperation modality, type and party country (invalid values: 422)."""
    qs = instruments_for(request.user)
    if modality:
        if modality not in Modality.values:
            _bad("modality", "Unknown cooperation modality.")
        qs = qs.filter(modality=modality)
    if kind:
        if kind not in LegalInstrument.Kind.values:
            _bad("kind", "Unknown instrument type.")
        qs = qs.filter(kind=kind)
    country = _country_code("country", country)
    if country:
        qs = qs.filter(parties__country_id=country)
    return [_instrument(i) for i in qs.distinct()]


@router.get("/instruments/{slug}", response=InstrumentOut)
def instrument_detail(request, slug: str):
    return _instrument(get_restricted_or_404(instruments_for(request.user), request.user, slug=slug))


@router.get("/procedures", response=list[ProcedureOut])
@paginate(LimitOffsetPagination)
def list_procedures(request, programme: str | None = None, origin: str | None = None):
    """Documentation procedures per programme × origin country, with their ordered steps."""
    qs = procedures_for(request.user)
    if programme:
        qs = qs.filter(programme__slug=programme)
    origin = _country_code("origin", origin)
    if origin:
        qs = qs.filter(origin_id=origin)
    return [_procedure(p) for p in qs]


def _procedure(p) -> dict:
    return {"id": p.pk, "programme": p.programme.slug, "origin": p.origin_id, "summary": p.t("summary"),
            "steps": [{"order": s.order, "title": s.t("title"), "office": s.t("office"), "documents": s.t("documents"),
                       "fees": s.t("fees"), "fee_payer": s.fee_payer, "typical_time": s.t("typical_time"),
                       "where": s.t("where"), "source_url": s.source.url if s.source else None}
                      for s in p.steps.all()]}


@router.get("/procedures/{procedure_id}", response=ProcedureOut)
def procedure_detail(request, procedure_id: int):
    return _procedure(get_restricted_or_404(procedures_for(request.user), request.user, pk=procedure_id))


@router.get("/best-practices", response=list[PracticeOut])
@paginate(LimitOffsetPagination)
def list_practices(request, country: str | None = None, topic: str | None = None):
    """Published best practices on documentation processes, by country and topic."""
    qs = practices_for(request.user).filter(state="published")
    country = _country_code("country", country)
    if country:
        qs = qs.filter(country_id=country)
    if topic:
        qs = qs.filter(topic=topic)
    return [_practice(b) for b in qs]


def _practice(b) -> dict:
    programme = b.programme.slug if b.programme and b.programme.state == "published" else None
    return {"id": b.pk, "country": b.country_id, "programme": programme, "topic": b.topic, "language": b.language,
            "title": b.title, "text": b.text, "evidence": b.evidence, "evidence_url": b.evidence_url}


@router.get("/best-practices/{practice_id}", response=PracticeOut)
def practice_detail(request, practice_id: int):
    qs = practices_for(request.user).filter(state="published")
    return _practice(get_restricted_or_404(qs, request.user, pk=practice_id))


