"""Which facts of a record are verified (non-empty with a citation) and which are not."""

from __future__ import annotations

from dataclasses import dataclass

from .models import LegalInstrument, Programme


@dataclass
class FactStatus:
    field: str
    filled: bool
    citation: object | None  # Citation or None

    @property
    def verified(self) -> bool:
        return self.filled and self.citation is not None


def _programme_filled(p: Programme, field: str) -> bool:
    if field in Programme.TRANSLATED_FACTS:
        return any(getattr(p, f"{field}_{lang}") for lang in ("es", "en", "fr"))
    if field == "eligible_origins":
        return p.eligible_origins_open or p.eligible_origins.exists()
    if field == "destination":
        return p.destination_id is not None
    value = getattr(p, field)
    return value not in (None, "", [], {})


def _instrument_filled(i: LegalInstrument, field: str) -> bool:
    if field == "obligations":
        return any(getattr(i, f"obligations_{lang}") for lang in ("es", "en", "fr"))
    if field == "adoption_date":
        return i.year is not None
    if field == "parties":
        return i.parties.exists()
    if field == "programmes":
        return i.programmes.exists()
    return getattr(i, field) not in (None, "")


def fact_statuses(obj) -> list[FactStatus]:
    citations = {c.field: c for c in obj.citations.select_related("source")}
    if isinstance(obj, Programme):
        filled = _programme_filled
        fields = Programme.FACT_FIELDS
    else:
        filled = _instrument_filled
        fields = LegalInstrument.FACT_FIELDS
    return [FactStatus(field, filled(obj, field), citations.get(field)) for field in fields]


def catalogue_fact_counts(programmes=None, instruments=None) -> dict:
    """Totals over records: verified facts, empty (not verified) facts, and filled facts lacking a citation."""
    programmes = Programme.objects.all() if programmes is None else programmes
    instruments = LegalInstrument.objects.all() if instruments is None else instruments
    result = {"records": [], "verified": 0, "not_verified": 0, "uncited": 0}
    for obj in [*programmes, *instruments]:
        statuses = fact_statuses(obj)
        verified = sum(s.verified for s in statuses)
        empty = sum(not s.filled for s in statuses)
        uncited = [s.field for s in statuses if s.filled and s.citation is None]
        result["records"].append({"kind": obj._meta.model_name, "slug": obj.slug, "name": str(obj),
                                  "verified": verified, "not_verified": empty, "uncited": uncited})
        result["verified"] += verified
        result["not_verified"] += empty
        result["uncited"] += len(uncited)
    return result
