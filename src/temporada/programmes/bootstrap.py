"""Default content: the sourced catalogue in data/programmes/catalogue.json, loaded as published.

Idempotent: records are matched by slug (programme, instrument) or natural key; citations, parties
and steps of a record are replaced by the file's version.
"""

from __future__ import annotations

import json
from datetime import date

from django.utils import timezone

from temporada.core.bootstrap import Step, data_path
from temporada.core.models import Country
from temporada.core.reference import load_countries

from .models import (
    Citation,
    InstrumentParty,
    LegalInstrument,
    Procedure,
    ProcedureStep,
    Programme,
    ProgrammeVolume,
    PublicationState,
    Source,
)

CATALOGUE = ("programmes", "catalogue.json")
LANGS = ("es", "en", "fr")


def _d(value):
    return date.fromisoformat(value) if value else None


def _tr(target: dict, name: str, values: dict | None):
    for lang in LANGS:
        target[f"{name}_{lang}"] = (values or {}).get(lang, "")


def load_catalogue(*, stdout=None, path=None) -> int:
    path = path or data_path(*CATALOGUE)
    content = json.loads(path.read_text(encoding="utf-8"))
    checked = _d(content["checked_on"])
    if not Country.objects.filter(iso3="USA").exists():
        load_countries()  # the country list must exist before foreign keys point at it
    now = timezone.now()
    sources = {}
    for key, info in content["sources"].items():
        sources[key], _ = Source.objects.update_or_create(
            url=info["url"], defaults={"title": info["title"][:300], "publisher": info["publisher"][:200]})
    rows = 0
    programmes = {}
    for item in content["programmes"]:
        values = {
            "destination_id": item["destination"], "modality": item["modality"],
            "destination_agencies": item.get("destination_agencies", ""), "origin_agencies": item.get("origin_agencies", ""),
            "eligible_origins_open": item.get("eligible_origins_open", False),
            "eligible_list_name": item.get("eligible_list_name", ""), "eligible_list_year": item.get("eligible_list_year"),
            "eligible_list_partial": item.get("eligible_list_partial", False),
            "family_accompany": item.get("family_accompany"),
            "sectors": item.get("sectors", []), "isco_codes": item.get("isco_codes", []),
            "max_stay_months": item.get("max_stay_months"), "status": item.get("status", ""),
            "start_year": item.get("start_year"), "end_year": item.get("end_year"),
            "official_url": item.get("official_url", ""), "origin_side": item.get("origin_side", False),
            "editor_country_id": item.get("editor_country"),
            "state": PublicationState.PUBLISHED,
        }
        for name in ("acronym", "name", "description", *Programme.TRANSLATED_FACTS):
            _tr(values, name, item.get(name))
        programme, created = Programme.objects.get_or_create(slug=item["slug"], defaults=values)
        if not created:
            for key, value in values.items():
                setattr(programme, key, value)
        if programme.published_at is None:
            programme.published_at = now
        programme.save()
        programme.eligible_origins.set(item.get("eligible_origins", []))
        programme.other_destinations.set(item.get("other_destinations", []))
        programme.citations.all().delete()
        Citation.objects.bulk_create([
            Citation(programme=programme, field=field, source=sources[key], checked_on=checked)
            for field, key in item.get("facts", {}).items()
        ])
        programme.volumes.all().delete()
        ProgrammeVolume.objects.bulk_create([
            ProgrammeVolume(programme=programme, year=v["year"], year_kind=v.get("year_kind", "calendar"),
                            measure=v["measure"], value=v["value"], source=sources[v["source"]],
                            checked_on=checked, note=v.get("note", ""))
            for v in item.get("volumes", [])
        ])
        programmes[item["slug"]] = programme
        rows += 1
    for item in content["instruments"]:
        values = {
            "short_name": item["short_name"], "kind": item["kind"], "modality": item["modality"],
            "adoption_date": _d(item.get("adoption_date")), "adoption_year": item.get("adoption_year"),
            "entry_into_force": _d(item.get("entry_into_force")), "official_url": item.get("official_url", ""),
            "state": PublicationState.PUBLISHED,
        }
        for name in ("title", "summary", "obligations"):
            _tr(values, name, item.get(name))
        instrument, created = LegalInstrument.objects.get_or_create(slug=item["slug"], defaults=values)
        if not created:
            for key, value in values.items():
                setattr(instrument, key, value)
        if instrument.published_at is None:
            instrument.published_at = now
        instrument.save()
        instrument.programmes.set([programmes[slug] for slug in item.get("programmes", [])])
        instrument.parties.all().delete()
        InstrumentParty.objects.bulk_create([
            InstrumentParty(instrument=instrument, country_id=p["country"], signature_date=_d(p.get("signature_date")),
                            ratification_date=_d(p.get("ratification_date")), ratification_year=p.get("ratification_year"),
                            ratification_kind=p.get("ratification_kind", ""),
                            source=sources.get(p.get("source")), checked_on=checked if p.get("source") else None)
            for p in item.get("parties", [])
        ])
        instrument.citations.all().delete()
        Citation.objects.bulk_create([
            Citation(instrument=instrument, field=field, source=sources[key], checked_on=checked)
            for field, key in item.get("facts", {}).items()
        ])
        rows += 1
    for item in content["procedures"]:
        values = {"state": PublicationState.PUBLISHED}
        _tr(values, "summary", item.get("summary"))
        procedure, _ = Procedure.objects.update_or_create(
            programme=programmes[item["programme"]], origin_id=item["origin"], defaults=values)
        if procedure.published_at is None:
            procedure.published_at = now
            procedure.save(update_fields=["published_at"])
        procedure.steps.all().delete()
        steps = []
        for order, step in enumerate(item["steps"], start=1):
            fields = {"procedure": procedure, "order": order, "fee_payer": step.get("fee_payer", ""),
                      "source": sources.get(step.get("source")), "checked_on": checked if step.get("source") else None}
            for name in ("title", "office", "documents", "fees", "typical_time", "where"):
                _tr(fields, name, step.get(name))
            steps.append(ProcedureStep(**fields))
        ProcedureStep.objects.bulk_create(steps)
        rows += 1
    if stdout is not None:
        stdout.write(f"    catalogue {content['version']}: {len(content['programmes'])} programmes, "
                     f"{len(content['instruments'])} instruments, {len(content['procedures'])} procedures")
    return rows


def steps() -> list[Step]:
    return [Step("programmes.catalogue", [data_path(*CATALOGUE)], load_catalogue, version="1")]
