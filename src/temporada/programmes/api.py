"""`/api/v1/programmes/`: programmes, legal instruments, procedures and best practices (published or in scope)."""


from datetime import date

from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from temporada.core.restrict import get_restricted_or_404

from .facts import fact_statuses
from .forms import ProgrammeSearchForm
from .queries import instruments_for, practices_for, procedures_for, programmes_for, search_programmes

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
    sectors: list[str]
    isco_codes: list[str]
    max_stay_months: int | None
    start_year: int | None
    end_year: int | None
    official_url: str


class ProgrammeDetailOut(ProgrammeOut):
    description: str
    employer_obligations: dict[str, str]
    recruitment_fee_rule: str
    facts: list[FactOut]
    volumes: list[VolumeOut]
    instruments: list[str]


class PartyOut(Schema):
    country: str
    signature_date: date | None
    ratification_date: date | None
    ratification_year: int | None
    source_url: str | None


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
        "eligible_list_name": p.eligible_list_name, "eligible_list_year": p.eligible_list_year, "sectors": p.sectors,
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
        "employer_obligations": {f: p.t(f) for f in ("wage_rule", "housing", "transport", "meals", "insurance")},
        "facts": [{"field": s.field, "verified": s.verified,
                   "source_url": s.citation.source.url if s.citation else None,
                   "checked_on": s.citation.checked_on if s.citation else None} for s in fact_statuses(p)],
        "volumes": [{"year": v.year, "year_kind": v.year_kind, "measure": v.measure, "value": v.value,
                     "source_url": v.source.url, "checked_on": v.checked_on} for v in p.volumes.select_related("source")],
        "instruments": list(instruments_for(request.user).filter(programmes=p).values_list("slug", flat=True)),
    })
    return out


def _instrument(i) -> dict:
    return {
        "slug": i.slug, "short_name": i.short_name, "title": i.t("title"), "kind": i.kind, "modality": i.modality,
        "adoption_date": i.adoption_date, "adoption_year": i.adoption_year, "entry_into_force": i.entry_into_force,
        "obligations": i.t("obligations"), "official_url": i.official_url,
        "parties": [{"country": pt.country_id, "signature_date": pt.signature_date,
                     "ratification_date": pt.ratification_date, "ratification_year": pt.ratification_year,
                     "source_url": pt.source.url if pt.source else None} for pt in i.parties.all()],
        "programmes": [p.slug for p in i.programmes.all() if p.state == "published"],
    }


@router.get("/instruments", response=list[InstrumentOut])
@paginate(LimitOffsetPagination)
def list_instruments(request, modality: str | None = None, country: str | None = None):
    qs = instruments_for(request.user)
    if modality:
        qs = qs.filter(modality=modality)
    if country:
        qs = qs.filter(parties__country_id=country.upper()[:3])
    return [_instrument(i) for i in qs.distinct()]


@router.get("/instruments/{slug}", response=InstrumentOut)
def instrument_detail(request, slug: str):
    return _instrument(get_restricted_or_404(instruments_for(request.user), request.user, slug=slug))


@router.get("/procedures", response=list[ProcedureOut])
@paginate(LimitOffsetPagination)
def list_procedures(request, programme: str | None = None, origin: str | None = None):
    qs = procedures_for(request.user)
    if programme:
        qs = qs.filter(programme__slug=programme)
    if origin:
        qs = qs.filter(origin_id=origin.upper()[:3])
    return [{"id": p.pk, "programme": p.programme.slug, "origin": p.origin_id, "summary": p.t("summary"),
             "steps": [{"order": s.order, "title": s.t("title"), "office": s.t("office"), "documents": s.t("documents"),
                        "fees": s.t("fees"), "fee_payer": s.fee_payer, "typical_time": s.t("typical_time"),
                        "where": s.t("where"), "source_url": s.source.url if s.source else None}
                       for s in p.steps.all()]} for p in qs]


@router.get("/best-practices", response=list[PracticeOut])
@paginate(LimitOffsetPagination)
def list_practices(request, country: str | None = None, topic: str | None = None):
    qs = practices_for(request.user).filter(state="published")
    if country:
        qs = qs.filter(country_id=country.upper()[:3])
    if topic:
        qs = qs.filter(topic=topic)
    return [{"id": b.pk, "country": b.country_id, "programme": b.programme.slug if b.programme else None,
             "topic": b.topic, "language": b.language, "title": b.title, "text": b.text, "evidence": b.evidence,
             "evidence_url": b.evidence_url} for b in qs]


