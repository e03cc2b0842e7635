"""`/api/v1/rights/`: legal-channel finder, offer verification (same validation and rate limit as the
page), and the sourced rights statements and help contacts."""


from django.urls import reverse
from ninja import Query, Router, Schema, Status

from . import ratelimit, services
from .finder import find
from .forms import FinderForm, VerifyForm
from .queries import contacts_for, fee_rules, published_programmes, statements_for
from .schemas import ContactOut, ErrorOut, FinderOut, StatementOut, VerifyIn, VerifyOut
from .verification import fee_rule_slugs, verify

router = Router(tags=["rights"])


class FinderQuery(Schema):
    nationality: str
    destination: str = ""
    sector: str = ""
    months: int | None = None
    family: str = ""


def _errors(form) -> dict[str, list[str]]:
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def _match_out(m) -> dict:
    p = m.programme
    steps = []
    for proc in m.procedures:
        for s in proc.steps.all():
            steps.append({"order": s.order, "title": s.t("title"), "office": s.t("office"),
                          "documents": s.t("documents"), "fees": s.t("fees"), "fee_payer": s.fee_payer,
                          "typical_time": s.t("typical_time"), "where": s.t("where"),
                          "source_url": s.source.url if s.source else None})
    return {"programme": p.slug, "name": p.t("name"), "destination": p.destination_id, "open": m.open,
            "needs_check": m.needs_check, "reasons": m.reasons, "warnings": m.warnings, "fee_rules": m.fee_rules,
            "where": m.where, "family": m.family_text, "steps": steps,
            "rights_url": reverse("rights:programme", args=[p.slug]), "official_url": p.official_url}


@router.get("/finder", response={200: FinderOut, 422: ErrorOut}, summary="Programmes legally open to a person")
def finder(request, params: Query[FinderQuery]):
    programmes = list(published_programmes(request.user))
    form = FinderForm(params.dict(), destinations={p.destination_id for p in programmes})
    if not form.is_valid():
        return Status(422, {"detail": "invalid answers", "errors": _errors(form)})
    result = find(request.user, form.answers())
    return Status(200, {"open": [_match_out(m) for m in result.open], "closed": [_match_out(m) for m in result.closed]})


@router.post("/verify", response={200: VerifyOut, 422: ErrorOut, 429: ErrorOut},
             summary="Check a job offer against the official job orders (rate-limited, nothing stored but counts)")
def verify_offer(request, payload: VerifyIn):
    allowed, retry_after = ratelimit.hit(request)
    if not allowed:
        return Status(429, {"detail": f"too many checks: try again in {max(1, retry_after // 60)} minutes"})
    data = {k: ("" if v is None else str(v)) for k, v in payload.dict().items()}
    form = VerifyForm(data)
    if not form.is_valid():
        return Status(422, {"detail": "invalid offer details", "errors": _errors(form)})
    result = verify(form.claim())
    services.record_verification(outcome=result.outcome, programme=result.programme,
                                 subdivision=result.subdivision, failed_checks=result.failed_checks)
    rules = fee_rules(request.user, fee_rule_slugs(result))
    return Status(200, {"outcome": result.outcome, "findings": [vars(f) for f in result.findings],
                 "orders": [vars(o) for o in result.orders], "fee_forbidden": result.fee_forbidden,
                 "fee_rules": rules, "coverage": result.coverage})


@router.get("/statements", response=list[StatementOut], summary="Sourced rights statements")
def statements(request, programme: str = "", destination: str = ""):
    rows = list(statements_for(request.user))
    if destination:
        rows = [s for s in rows if s.destination_id == destination.upper()[:3]]
    if programme:
        match = published_programmes(request.user).filter(slug=programme[:60]).first()
        rows = [s for s in rows if match is not None and s.applies_to(match)]
    return [{"slug": s.slug, "topic": s.topic, "destination": s.destination_id, "programmes": s.programme_slugs,
             "text": s.t("text"), "source_url": s.source.url, "source_title": s.source.title,
             "source_is_official": s.source.is_official, "checked_on": s.checked_on} for s in rows]


@router.get("/contacts", response=list[ContactOut], summary="Help directory: complaint channels, hotlines, consulates")
def contacts(request, destination: str = "", nationality: str = ""):
    qs = contacts_for(request.user)
    if destination:
        qs = qs.filter(destination_id=destination.upper()[:3])
    if nationality:
        code = nationality.upper()[:3]
        qs = qs.filter(nationality_id=code) | qs.filter(nationality__isnull=True)
    return [{"slug": c.slug, "kind": c.kind, "name": c.t("name"), "note": c.t("note"), "operator": c.operator_id,
             "nationality": c.nationality_id, "destination": c.destination_id, "subdivision": c.subdivision_id,
             "city": c.city, "address": c.address, "phone": c.phone, "website": c.website,
             "source_url": c.source.url, "checked_on": c.checked_on} for c in qs.order_by("destination_id", "slug")]
