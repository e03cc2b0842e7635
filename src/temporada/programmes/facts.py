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


def party_fact_counts(instruments=None) -> dict:
    """Signature and ratification dates of instrument parties: verified (date or year with a source) or not.

    Accessions and ILO conventions have no signature by nature, so no signature is not counted as a gap."""
    from .models import InstrumentParty

    qs = InstrumentParty.objects.select_related("instrument")
    if instruments is not None:
        qs = qs.filter(instrument__in=instruments)
    out = {"parties": 0, "signature_verified": 0, "signature_not_verified": 0, "ratification_verified": 0,
           "ratification_not_verified": 0, "by_instrument": {}}
    for party in qs:
        sourced = party.source_id is not None and party.checked_on is not None
        has_signature = party.signature_date is not None
        no_signature_expected = not party.signature_applies
        has_ratification = party.ratification_date is not None or party.ratification_year is not None
        row = out["by_instrument"].setdefault(party.instrument.slug, {"parties": 0, "dates_verified": 0,
                                                                     "dates_not_verified": 0})
        row["parties"] += 1
        out["parties"] += 1
        if not no_signature_expected:
            key = "signature_verified" if sourced and has_signature else "signature_not_verified"
            out[key] += 1
            row["dates_verified" if key == "signature_verified" else "dates_not_verified"] += 1
        key = "ratification_verified" if sourced and has_ratification else "ratification_not_verified"
        out[key] += 1
        row["dates_verified" if key == "ratification_verified" else "dates_not_verified"] += 1
    return out


STEP_FIELDS = ("office", "documents", "fees", "typical_time", "where")


def procedure_fact_counts(procedures=None) -> dict:
    """Per procedure: steps, and how many step attributes (office, documents, fees and who pays, typical time,
    where to go) are filled from the step's source vs left empty (not verified)."""
    from .models import Procedure

    qs = Procedure.objects.select_related("programme").prefetch_related("steps")
    if procedures is not None:
        qs = qs.filter(pk__in=[p.pk for p in procedures])
    out = {"procedures": 0, "steps": 0, "verified": 0, "not_verified": 0, "records": []}
    for proc in qs:
        verified = not_verified = 0
        steps = list(proc.steps.all())
        for step in steps:
            sourced = step.source_id is not None
            for name in STEP_FIELDS:
                filled = any(getattr(step, f"{name}_{lang}") for lang in ("es", "en", "fr"))
                if name == "fees":
                    filled = filled or bool(step.fee_payer)
                if filled and sourced:
                    verified += 1
                else:
                    not_verified += 1
        out["records"].append({"programme": proc.programme.slug, "origin": proc.origin_id, "state": proc.state,
                               "steps": len(steps), "verified": verified, "not_verified": not_verified})
        out["procedures"] += 1
        out["steps"] += len(steps)
        out["verified"] += verified
        out["not_verified"] += not_verified
    return out
