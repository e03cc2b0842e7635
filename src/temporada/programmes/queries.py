"""Reads. Every query starts from ``restrict()``."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from .models import BestPractice, InstrumentParty, LegalInstrument, Procedure, ProcedureStep, Programme

DURATION_BANDS = {"short": (0, 6), "medium": (7, 12), "long": (13, 10_000)}


def programmes_for(user, action="view"):
    return (Programme.objects.restrict(user, action).select_related("destination")
            .prefetch_related("eligible_origins", "other_destinations"))


def search_programmes(user, filters: dict, action="view"):
    """Faceted search; ``filters`` is the cleaned data of ProgrammeSearchForm (never raw GET)."""
    qs = programmes_for(user, action)
    if filters.get("origin"):
        qs = qs.filter(Q(eligible_origins__iso3=filters["origin"]) | Q(eligible_origins_open=True))
    if filters.get("destination"):
        code = filters["destination"]
        qs = qs.filter(Q(destination_id=code) | Q(other_destinations__iso3=code))
    if filters.get("modality"):
        qs = qs.filter(modality=filters["modality"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("duration"):
        low, high = DURATION_BANDS[filters["duration"]]
        qs = qs.filter(max_stay_months__gte=low, max_stay_months__lte=high)
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(Q(name_es__icontains=term) | Q(name_en__icontains=term) | Q(name_fr__icontains=term)
                       | Q(acronym_es__icontains=term) | Q(acronym_en__icontains=term) | Q(slug__icontains=term))
    programmes = list(qs.distinct().order_by("destination_id", "slug"))
    # JSON list fields are filtered in Python: same behaviour on SQLite and PostgreSQL.
    if filters.get("sector"):
        programmes = [p for p in programmes if filters["sector"] in p.sectors or "any" in p.sectors]
    if filters.get("occupation"):
        code = filters["occupation"]
        programmes = [p for p in programmes if any(c.startswith(code) or code.startswith(c) for c in p.isco_codes)]
    return programmes


def instruments_for(user, action="view"):
    return LegalInstrument.objects.restrict(user, action).prefetch_related(
        Prefetch("parties", queryset=InstrumentParty.objects.select_related("country", "source")),
        "programmes",
    )


def procedures_for(user, action="view"):
    return (Procedure.objects.restrict(user, action).select_related("programme", "origin")
            .prefetch_related(Prefetch("steps", queryset=ProcedureStep.objects.select_related("source"))))


def practices_for(user, action="view"):
    return BestPractice.objects.restrict(user, action).select_related("country", "programme")


def programmes_for_country(user, iso3: str):
    """Programmes a country takes part in, as destination, as an eligible origin or through an origin-side scheme.

    Programmes open to any nationality are listed apart (``open_to_all``) so indicators do not overstate
    participation."""
    base = programmes_for(user)
    return {
        "destination": list(base.filter(Q(destination_id=iso3) | Q(other_destinations__iso3=iso3)).distinct()),
        "origin": list(base.filter(eligible_origins__iso3=iso3).distinct()),
        "open_to_all": list(base.filter(eligible_origins_open=True).exclude(destination_id=iso3)),
    }


# ---------------------------------------------------------------------------------------------------------------
# Read-only interface for other apps (``rights`` worker portal, ``indicators``). Every function starts from
# restrict(): pass the request user (None = public) and you get published records only, or the drafts the user
# may see. Values come with their source so callers can show "not verified" instead of guessing.
# ---------------------------------------------------------------------------------------------------------------

EMPLOYER_OBLIGATIONS = ("wage_rule", "housing", "transport", "meals", "insurance", "recruitment_fee_rule")
WORKER_CONDITIONS = ("max_stay_months", "seasonal_window", "contract_language", "employer_change", "family",
                     "permanent_residence")


def cited_facts(programme, fields) -> dict:
    """``{field: {"value", "verified", "source_url", "source_title", "checked_on"}}`` for the given facts.

    ``value`` is the display text in the active language ("" when empty); ``verified`` is True only for a
    filled fact with a citation. An empty or uncited fact must be shown as "not verified"."""
    from .facts import fact_statuses
    from .presentation import programme_value

    statuses = {s.field: s for s in fact_statuses(programme)}
    out = {}
    for field in fields:
        status = statuses[field]
        citation = status.citation if status.verified else None
        out[field] = {
            "value": programme_value(programme, field) if status.filled else "",
            "verified": status.verified,
            "source_url": citation.source.url if citation else None,
            "source_title": citation.source.title if citation else None,
            "checked_on": citation.checked_on if citation else None,
        }
    return out


def employer_obligations(programme) -> dict:
    """Employer obligations (wage rule, housing, transport, meals, insurance) and the recruitment-fee rule of a
    programme, each with its source (see ``cited_facts``)."""
    return cited_facts(programme, EMPLOYER_OBLIGATIONS)


def worker_conditions(programme) -> dict:
    """Maximum stay, season, contract and language, change of employer, family and path to residence, each with
    its source (see ``cited_facts``)."""
    return cited_facts(programme, WORKER_CONDITIONS)


def eligibility_for(programme, nationality: str) -> dict:
    """Whether a national of ``nationality`` (ISO3) may use ``programme``, and on what basis.

    Returns ``{"eligible": True/False/None, "basis": "open" | "list" | "not_listed" | "not_verified",
    "list_name", "list_year", "list_partial", "source_url", "checked_on"}``. ``None`` means we cannot tell: the
    programme has no verified list, or the list we entered is only its RCM part (``list_partial``) and the
    nationality is not an RCM country we entered."""
    citation = programme.citations.select_related("source").filter(field="eligible_origins").first()
    codes = {c.iso3 for c in programme.eligible_origins.all()}
    base = {"list_name": programme.eligible_list_name, "list_year": programme.eligible_list_year,
            "list_partial": programme.eligible_list_partial,
            "source_url": citation.source.url if citation else None,
            "checked_on": citation.checked_on if citation else None}
    if citation is None or not (codes or programme.eligible_origins_open):
        return {**base, "eligible": None, "basis": "not_verified"}
    if programme.eligible_origins_open:
        return {**base, "eligible": True, "basis": "open"}
    if nationality in codes:
        return {**base, "eligible": True, "basis": "list"}
    if programme.eligible_list_partial:
        from temporada.core.models import Country

        if not Country.objects.filter(iso3=nationality, is_rcm_member=True).exists():
            return {**base, "eligible": None, "basis": "not_verified"}
    return {**base, "eligible": False, "basis": "not_listed"}


def _criterion(verified: bool, ok: bool):
    """True / False when the fact is verified, None (unknown) when it is not."""
    return ok if verified else None


def legal_channels(user=None, *, nationality: str, destination: str | None = None, sector: str | None = None,
                   months: int | None = None, family: bool | None = None) -> list[dict]:
    """Legal channels open to a national of ``nationality``, for the worker portal's channel finder.

    Filters: ``destination`` (ISO3; main or other destinations), ``sector`` (a ``Sector`` value), ``months``
    (the stay wanted: the programme's verified maximum stay must reach it), ``family`` (True: the family must be
    able to come along). A programme is left out only when a *verified* fact rules it out; a criterion we could
    not verify is reported as ``None`` in ``criteria`` so the portal can say "not verified".

    Each item: ``{"programme", "eligibility" (see eligibility_for), "criteria": {"sector", "duration",
    "family"}, "max_stay_months", "employer_obligations" (see employer_obligations)}``. Channels whose every
    criterion is verified come first."""
    from .facts import fact_statuses

    qs = programmes_for(user)
    if destination:
        qs = qs.filter(Q(destination_id=destination) | Q(other_destinations__iso3=destination)).distinct()
    out = []
    for programme in qs.order_by("destination_id", "slug"):
        eligibility = eligibility_for(programme, nationality)
        if eligibility["eligible"] is False:
            continue
        statuses = {s.field: s for s in fact_statuses(programme)}
        criteria = {}
        if sector:
            verified = statuses["sectors"].verified
            criteria["sector"] = _criterion(verified, sector in programme.sectors or "any" in programme.sectors)
        if months:
            verified = statuses["max_stay_months"].verified
            criteria["duration"] = _criterion(verified, (programme.max_stay_months or 0) >= months)
        if family:
            verified = statuses["family"].verified and programme.family_accompany is not None
            criteria["family"] = _criterion(verified, bool(programme.family_accompany))
        if False in criteria.values():
            continue
        out.append({"programme": programme, "eligibility": eligibility, "criteria": criteria,
                    "max_stay_months": programme.max_stay_months if statuses["max_stay_months"].verified else None,
                    "employer_obligations": employer_obligations(programme)})
    out.sort(key=lambda c: (c["eligibility"]["eligible"] is not True, None in c["criteria"].values()))
    return out


def procedure_for(user, programme, origin: str):
    """The documentation procedure of ``programme`` for nationals of ``origin`` (ISO3), with its ordered steps
    (office, documents, fees and who pays, typical time, where to go, source per step), or None."""
    return procedures_for(user).filter(programme=programme, origin_id=origin).first()


def fees_and_payers(procedure) -> list[dict]:
    """Per step of a procedure: ``{"order", "step", "fees", "fee_payer", "source_url", "checked_on"}``;
    ``fee_payer`` "" means who pays is not verified."""
    return [{"order": s.order, "step": s.t("title"), "fees": s.t("fees"), "fee_payer": s.fee_payer,
             "source_url": s.source.url if s.source else None, "checked_on": s.checked_on}
            for s in procedure.steps.all()]


def instruments_for_country(user, iso3: str):
    """Legal instruments a country is party to (signature and ratification dates on ``parties``)."""
    return instruments_for(user).filter(parties__country_id=iso3).distinct()
