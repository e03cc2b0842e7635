"""Offer verification: compare what a person was told with the official job orders Temporada holds.

Only public, non-personal facts of a job order leave this module (programme, case number, status,
worksite state and city, dates, positions, link to the official record). Employer names, addresses,
e-mails and phone numbers are never returned: the person learns only whether the name they gave
matches the one on the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext as _

from temporada.demand.models import JobOrder, Worksite
from temporada.demand.models import Source as DemandSource

from .models import Check, Outcome
from .names import normalise, search_token, similarity

# Programme the person names -> job-order programme codes it covers.
CLAIM_PROGRAMMES = {
    "H-2A": ["H-2A"],
    "H-2B": ["H-2B"],
    "CA": ["CA-AG", "CA-LW", "CA-HW", "CA-GTS", "CA-PR"],
}
# Catalogue programmes whose recruitment-fee rule applies to each claim programme.
FEE_RULE_PROGRAMMES = {"H-2A": ["us-h2a"], "H-2B": ["us-h2b"], "CA": ["ca-tfwp-agricultural"]}
DATE_TOLERANCE = timedelta(days=14)
NAME_MATCH = 0.85
MAX_NAME_CANDIDATES = 400
MAX_SHOWN = 5


@dataclass
class Claim:
    programme: str = ""  # "", H-2A, H-2B, CA
    case_number: str = ""
    employer_name: str = ""
    subdivision: str = ""  # ISO 3166-2 code or ""
    city: str = ""
    begin_date: date | None = None
    end_date: date | None = None
    fee_amount: Decimal | None = None
    contact_channel: str = ""


@dataclass
class Finding:
    check: str
    failed: bool
    message: str


@dataclass
class OrderSummary:
    """Public facts of a matched job order (no employer identity or contact data)."""

    programme: str
    case_number: str
    status: str
    status_category: str
    subdivision: str
    city: str
    begin_date: date | None
    end_date: date | None
    positions: int | None
    fiscal_year: int
    source: str
    official_url: str
    employer_matches: bool | None


@dataclass
class Result:
    outcome: str
    findings: list[Finding] = field(default_factory=list)
    orders: list[OrderSummary] = field(default_factory=list)
    programme: str = ""
    subdivision: str = ""
    fee_forbidden: bool = False
    coverage: list[dict] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[str]:
        return [f.check for f in self.findings if f.failed]


def normalise_case_number(value: str) -> str:
    return "".join(value.split()).upper()


def _orders():
    return JobOrder.objects.restrict(AnonymousUser(), "view").select_related("worksite_subdivision")


def coverage() -> list[dict]:
    """Which official files the check covers: rows and year range per source (cached briefly)."""
    cached = cache.get("rights:coverage")
    if cached is not None:
        return cached
    labels = dict(DemandSource.choices)
    rows = (_orders().values("source").annotate(n=Count("id"), first=Min("fiscal_year"), last=Max("fiscal_year"))
            .order_by("source"))
    result = [{"source": r["source"], "label": str(labels.get(r["source"], r["source"])), "rows": r["n"],
               "first_year": r["first"], "last_year": r["last"]} for r in rows]
    cache.set("rights:coverage", result, 300)
    return result


def _by_case_number(number: str) -> list[JobOrder]:
    if not number:
        return []
    # Published numbers are upper case and the input is upper-cased: exact match keeps the index in use.
    return list(_orders().filter(Q(source_key=number) | Q(job_order_number=number))
                .order_by("line")[:50])


def _by_employer(name: str) -> list[tuple[float, JobOrder]]:
    wanted = normalise(name)
    if not wanted:
        return []
    # Employers already resolved by the employers app: an indexed exact match on a normalised name or alias.
    exact = list(_orders().filter(Q(employer__normalized_name=wanted) | Q(employer__aliases__normalized_name=wanted))
                 .distinct().order_by("-fiscal_year")[:MAX_NAME_CANDIDATES])
    if exact:
        return [(1.0, order) for order in exact]
    token = search_token(wanted)
    if len(token) < 3:
        return []
    qs = _orders().filter(Q(employer_name__icontains=token) | Q(trade_name__icontains=token)).order_by("-fiscal_year")
    scored = []
    for order in qs[:MAX_NAME_CANDIDATES]:
        score = max(similarity(wanted, normalise(order.employer_name)),
                    similarity(wanted, normalise(order.trade_name)) if order.trade_name else 0.0)
        if score >= NAME_MATCH:
            scored.append((score, order))
    scored.sort(key=lambda pair: (-pair[0], -(pair[1].fiscal_year or 0)))
    return scored


def _order_places(order: JobOrder) -> tuple[set[str], set[str]]:
    subdivisions = {order.worksite_subdivision_id} if order.worksite_subdivision_id else set()
    cities = {normalise(order.worksite_city)} if order.worksite_city else set()
    for site in Worksite.objects.filter(job_order=order).only("subdivision_id", "city"):
        if site.subdivision_id:
            subdivisions.add(site.subdivision_id)
        if site.city:
            cities.add(normalise(site.city))
    return subdivisions, cities


def _official_url(order: JobOrder) -> str:
    if order.source == DemandSource.SEASONALJOBS and order.source_key:
        return f"https://seasonaljobs.dol.gov/jobs/{order.source_key}"
    return ""


def _summary(order: JobOrder, claim: Claim) -> OrderSummary:
    matches = None
    if claim.employer_name:
        wanted = normalise(claim.employer_name)
        matches = max(similarity(wanted, normalise(order.employer_name)),
                      similarity(wanted, normalise(order.trade_name)) if order.trade_name else 0.0) >= NAME_MATCH
    return OrderSummary(
        programme=order.programme, case_number=order.source_key, status=order.get_status_category_display(),
        status_category=order.status_category,
        subdivision=str(order.worksite_subdivision) if order.worksite_subdivision_id else "",
        city=order.worksite_city, begin_date=order.begin_date, end_date=order.end_date,
        positions=order.positions_certified or order.positions_requested, fiscal_year=order.fiscal_year,
        source=order.get_source_display(), official_url=_official_url(order), employer_matches=matches)


def _compare(order: JobOrder, claim: Claim) -> list[Finding]:
    findings = []
    if claim.programme and order.programme not in CLAIM_PROGRAMMES.get(claim.programme, []):
        findings.append(Finding(Check.PROGRAMME, True, _(
            "Le dijeron %(told)s, pero la orden oficial es del programa %(real)s.")
            % {"told": claim.programme, "real": order.programme}))
    if order.status_category in (JobOrder.StatusCategory.DENIED, JobOrder.StatusCategory.WITHDRAWN):
        findings.append(Finding(Check.STATUS, True, _(
            "La orden oficial fue %(status)s: no se pueden dar visas con ella.")
            % {"status": order.get_status_category_display().lower()}))
    subdivisions, cities = _order_places(order)
    if claim.subdivision and subdivisions:
        if claim.subdivision not in subdivisions:
            findings.append(Finding(Check.PLACE, True, _(
                "El lugar que le dijeron no coincide con el lugar de trabajo de la orden oficial.")))
        elif claim.city and cities and normalise(claim.city) not in cities:
            findings.append(Finding(Check.PLACE, False, _(
                "El estado coincide, pero la ciudad no aparece en la orden: pregunte por la dirección exacta.")))
        else:
            findings.append(Finding(Check.PLACE, False, _("El lugar coincide con la orden oficial.")))
    if order.begin_date and order.end_date and (claim.begin_date or claim.end_date):
        bad_begin = claim.begin_date and not (order.begin_date - DATE_TOLERANCE <= claim.begin_date <= order.end_date)
        bad_end = claim.end_date and not (order.begin_date <= claim.end_date <= order.end_date + DATE_TOLERANCE)
        if bad_begin or bad_end:
            findings.append(Finding(Check.DATES, True, _(
                "Las fechas que le dieron no coinciden con las de la orden oficial (del %(begin)s al %(end)s).")
                % {"begin": order.begin_date.isoformat(), "end": order.end_date.isoformat()}))
        else:
            findings.append(Finding(Check.DATES, False, _("Las fechas coinciden con la orden oficial.")))
    if claim.employer_name and claim.case_number:
        summary = _summary(order, claim)
        if summary.employer_matches is False:
            findings.append(Finding(Check.EMPLOYER, True, _(
                "El empleador que le nombraron no es el de la orden con ese número.")))
        elif summary.employer_matches:
            findings.append(Finding(Check.EMPLOYER, False, _("El nombre del empleador coincide.")))
    return findings


def _fee_finding(claim: Claim, programme: str) -> tuple[Finding | None, bool]:
    """A fee the programme forbids. ``programme`` is the claim's programme or the matched order's."""
    if claim.fee_amount is None or claim.fee_amount <= 0:
        return None, False
    if programme in ("H-2A", "H-2B"):
        return Finding(Check.FEE, True, _(
            "Le pidieron un pago. En los programas H-2A y H-2B cobrar una comisión de reclutamiento al "
            "trabajador es ilegal: no pague.")), True
    if programme == "CA":
        return Finding(Check.FEE, True, _(
            "Le pidieron un pago. En los programas canadienses de trabajadores temporales el empleador no puede "
            "hacerle pagar el reclutamiento: no pague y denúncielo.")), True
    return Finding(Check.FEE, False, _(
        "Le pidieron un pago. No sabemos de qué programa se trata: en los programas H-2A, H-2B y en los "
        "canadienses cobrar por el reclutamiento está prohibido. No pague sin comprobarlo.")), False


def _claim_programme_of(order: JobOrder) -> str:
    for claim_code, codes in CLAIM_PROGRAMMES.items():
        if order.programme in codes:
            return claim_code
    return ""


def _rank(order: JobOrder, claim: Claim) -> tuple:
    findings = _compare(order, claim)
    return (sum(f.failed for f in findings), -(order.fiscal_year or 0))


def verify(claim: Claim) -> Result:
    """Check a claim against the job orders; the outcome is one of ``Outcome``."""
    findings: list[Finding] = []
    number = normalise_case_number(claim.case_number)
    by_number = _by_case_number(number)
    candidates = by_number
    if number and not by_number:
        findings.append(Finding(Check.EXISTS, True, _(
            "El número %(number)s no aparece en las órdenes de trabajo oficiales que consultamos.")
            % {"number": number}))
    if not candidates and claim.employer_name:
        candidates = [order for _score, order in _by_employer(claim.employer_name)]
    if not candidates:
        if not number:
            findings.append(Finding(Check.EXISTS, True, _(
                "No encontramos ninguna orden de trabajo oficial con ese empleador.")))
        fee, forbidden = _fee_finding(claim, claim.programme or _programme_from_place(claim))
        if fee:
            findings.append(fee)
        return Result(Outcome.NOT_FOUND, findings, [], claim.programme, claim.subdivision, forbidden, coverage())
    candidates.sort(key=lambda order: _rank(order, claim))
    best = candidates[0]
    findings.extend(_compare(best, claim))
    fee, forbidden = _fee_finding(claim, claim.programme or _claim_programme_of(best))
    if fee:
        findings.append(fee)
    outcome = Outcome.CONTRADICTIONS if any(f.failed for f in findings) else Outcome.CONSISTENT
    orders = [_summary(order, claim) for order in candidates[:MAX_SHOWN]]
    subdivision = claim.subdivision or (best.worksite_subdivision_id or "")
    return Result(outcome, findings, orders, claim.programme or _claim_programme_of(best), subdivision, forbidden,
                  coverage())


def _programme_from_place(claim: Claim) -> str:
    """Without a named programme, a US place means an H-2 offer (both forbid fees), a Canadian one Canada's."""
    if claim.subdivision.startswith("US-"):
        return "H-2B" if claim.programme == "H-2B" else "H-2A"
    if claim.subdivision.startswith("CA-"):
        return "CA"
    return ""


def fee_rule_slugs(result: Result) -> list[str]:
    """Catalogue programmes whose fee rule backs a fee finding of ``result``."""
    if not any(f.check == Check.FEE for f in result.findings):
        return []
    slugs = FEE_RULE_PROGRAMMES.get(result.programme, [])
    if not slugs and result.subdivision.startswith("US-"):
        slugs = FEE_RULE_PROGRAMMES["H-2A"] + FEE_RULE_PROGRAMMES["H-2B"]
    elif not slugs and result.subdivision.startswith("CA-"):
        slugs = FEE_RULE_PROGRAMMES["CA"]
    return slugs
