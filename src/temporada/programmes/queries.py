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
