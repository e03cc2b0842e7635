"""Writes to the catalogue. Every write checks scope, keeps a Revision and records an audit event."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from temporada.core.audit import EventType, record

from .models import (
    BestPractice,
    Citation,
    InstrumentParty,
    LegalInstrument,
    Procedure,
    ProcedureStep,
    Programme,
    PublicationState,
    Revision,
    Source,
    is_reviewer,
)

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj, fields) -> dict:
    """Plain values of ``fields`` (foreign keys as ids) for the revision history."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = _jsonable(getattr(obj, field.attname))
    return out


def _revision(*, obj, action, previous, new, actor):
    return Revision.objects.create(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action,
        previous=previous, new=new, changed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _country_of(obj):
    if isinstance(obj, Programme):
        return obj.destination_id
    if isinstance(obj, Procedure):
        return obj.origin_id
    if isinstance(obj, BestPractice):
        return obj.country_id
    return None


CHANGE_EVENT = {Programme: EventType.PROGRAMME_CHANGED, LegalInstrument: EventType.INSTRUMENT_CHANGED,
                Procedure: EventType.RECORD_CHANGED}
LANGS = ("es", "en", "fr")


def fact_of(model, name: str) -> str | None:
    """The cited fact a model column belongs to (``wage_rule_fr`` → ``wage_rule``), or None."""
    if model is Programme:
        if name in Programme.FACT_FIELDS:
            return name
        base = name.rsplit("_", 1)[0]
        if base in Programme.TRANSLATED_FACTS and name.rsplit("_", 1)[1] in LANGS:
            return base
        return {"family_accompany": "family", "eligible_list_name": "eligible_origins",
                "eligible_list_year": "eligible_origins", "eligible_list_partial": "eligible_origins",
                "eligible_origins_open": "eligible_origins", "destination_id": "destination"}.get(name)
    if model is LegalInstrument:
        if name in ("kind", "modality", "entry_into_force"):
            return name
        if name in ("adoption_date", "adoption_year"):
            return "adoption_date"
        if name.startswith("obligations_"):
            return "obligations"
    return None


def _source(*, url: str, title: str = "") -> Source:
    source, _created = Source.objects.get_or_create(url=url, defaults={"title": (title or url)[:300]})
    return source


def _cite(*, obj, facts, source_url, source_title, checked_on):
    """Keep one citation per fact: a filled fact needs a source; an emptied fact loses its citation."""
    from .facts import fact_statuses

    statuses = {s.field: s for s in fact_statuses(obj)}
    owner = {"programme": obj} if isinstance(obj, Programme) else {"instrument": obj}
    cited = {}
    for fact in sorted(facts):
        status = statuses.get(fact)
        if status is None:
            continue
        if not status.filled:
            Citation.objects.filter(field=fact, **owner).delete()
            cited[fact] = None
            continue
        if not source_url:
            raise ValidationError({"source_url": _("Indique la fuente (dirección) que respalda los datos modificados.")})
        source = _source(url=source_url, title=source_title)
        Citation.objects.update_or_create(field=fact, **owner, defaults={
            "source": source, "checked_on": checked_on or timezone.localdate()})
        cited[fact] = source.url
    return cited
PUBLISH_EVENT = {Programme: EventType.PROGRAMME_PUBLISHED, LegalInstrument: EventType.RECORD_PUBLISHED,
                 Procedure: EventType.RECORD_PUBLISHED}


def _back_to_draft(*, obj, actor, previous: dict, fields: list):
    # An edit by a non-reviewer waits for a reviewer before the public sees it.
    if not is_reviewer(actor) and obj.state == PublicationState.PUBLISHED:
        previous["state"] = obj.state
        obj.state = PublicationState.DRAFT
        fields.append("state")


@transaction.atomic
def update_record(*, actor, obj, changes: dict, source_url: str = "", source_title: str = "", checked_on=None,
                  request=None):
    """Apply validated field ``changes`` to a programme, instrument or procedure the actor may change.

    Changed facts need ``source_url`` (kept as their citation, dated ``checked_on``); emptied facts lose
    their citation and show as not verified. ``eligible_origins`` (ISO3 list) is the one many-to-many
    change accepted. An edit by a non-reviewer turns the record back into a draft."""
    model = type(obj)
    if not model.objects.restrict(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied
    changes = dict(changes)
    origins = changes.pop("eligible_origins", None)
    fields = [name for name in changes if changes[name] != getattr(obj, obj._meta.get_field(name).attname)]
    previous = snapshot(obj, fields)
    new_extra = {}
    if origins is not None and isinstance(obj, Programme):
        before = sorted(obj.eligible_origins.values_list("iso3", flat=True))
        if sorted(origins) != before:
            previous["eligible_origins"] = before
            new_extra["eligible_origins"] = sorted(origins)
    if not fields and not new_extra:
        return obj
    for name in fields:
        setattr(obj, obj._meta.get_field(name).attname, changes[name])
    _back_to_draft(obj=obj, actor=actor, previous=previous, fields=fields)
    obj.full_clean()
    obj.save()
    if "eligible_origins" in new_extra:
        obj.eligible_origins.set(new_extra["eligible_origins"])
    facts = {fact_of(model, obj._meta.get_field(name).attname) for name in fields} - {None}
    if new_extra:
        facts.add("eligible_origins")
    cited = _cite(obj=obj, facts=facts, source_url=source_url, source_title=source_title,
                  checked_on=checked_on) if facts else {}
    new = {**snapshot(obj, fields), **new_extra}
    if cited:
        new["citations"] = cited
    _revision(obj=obj, action="changed", previous=previous, new=new, actor=actor)
    record(type=CHANGE_EVENT[model], actor=actor, obj=obj, country=_country_of(obj), request=request,
           details={"fields": fields + list(new_extra)})
    return obj


def _may_create_programme(actor, *, destination_id, editor_country_id) -> bool:
    if is_reviewer(actor):
        return True
    codes = getattr(actor, "country_codes", set()) or set()
    role = getattr(actor, "role", None)
    if role == "destination_official":
        return destination_id in codes
    if role == "origin_official":
        return editor_country_id in codes
    return False


@transaction.atomic
def create_programme(*, actor, slug: str, names: dict, acronyms: dict, destination_id: str, modality: str,
                     editor_country_id: str | None = None, request=None) -> Programme:
    """A destination official (own country), an origin official (origin-side scheme of its country) or a
    reviewer creates a programme as a draft; its facts are added later, each with its source."""
    if not _may_create_programme(actor, destination_id=destination_id, editor_country_id=editor_country_id):
        raise PermissionDenied
    programme = Programme(slug=slug, destination_id=destination_id, modality=modality, state=PublicationState.DRAFT,
                          editor_country_id=editor_country_id or None,
                          origin_side=bool(editor_country_id and editor_country_id != destination_id))
    for lang in LANGS:
        setattr(programme, f"name_{lang}", names.get(lang, ""))
        setattr(programme, f"acronym_{lang}", acronyms.get(lang, ""))
    programme.full_clean()
    programme.save()
    _revision(obj=programme, action="created", previous={},
              new=snapshot(programme, ["slug", "destination", "modality", "editor_country", "state"]), actor=actor)
    record(type=EventType.RECORD_CREATED, actor=actor, obj=programme, country=destination_id, request=request)
    return programme


@transaction.atomic
def create_instrument(*, actor, slug: str, short_name: str, titles: dict, kind: str, modality: str,
                      party_countries: list, source_url: str, source_title: str = "", checked_on=None,
                      request=None) -> LegalInstrument:
    """An official of a party country (or a reviewer) drafts a legal instrument; its type, modality and
    parties are facts, so they need the source that names them."""
    codes = getattr(actor, "country_codes", set()) or set()
    if not (is_reviewer(actor) or (getattr(actor, "role", None) in ("origin_official", "destination_official")
                                   and codes & set(party_countries))):
        raise PermissionDenied
    if not party_countries:
        raise ValidationError({"party_countries": _("Indique al menos un país parte.")})
    if not source_url:
        raise ValidationError({"source_url": _("Indique la fuente (dirección) que respalda los datos modificados.")})
    instrument = LegalInstrument(slug=slug, short_name=short_name, kind=kind, modality=modality,
                                 state=PublicationState.DRAFT)
    for lang in LANGS:
        setattr(instrument, f"title_{lang}", titles.get(lang, ""))
    instrument.full_clean()
    instrument.save()
    source = _source(url=source_url, title=source_title)
    checked = checked_on or timezone.localdate()
    InstrumentParty.objects.bulk_create([InstrumentParty(instrument=instrument, country_id=c, source=source,
                                                         checked_on=checked) for c in sorted(set(party_countries))])
    Citation.objects.bulk_create([Citation(instrument=instrument, field=f, source=source, checked_on=checked)
                                  for f in ("kind", "modality", "parties")])
    _revision(obj=instrument, action="created", previous={},
              new={**snapshot(instrument, ["slug", "kind", "modality", "state"]), "parties": sorted(set(party_countries)),
                   "citations": {"kind": source.url, "modality": source.url, "parties": source.url}}, actor=actor)
    record(type=EventType.RECORD_CREATED, actor=actor, obj=instrument, request=request)
    return instrument


@transaction.atomic
def create_procedure(*, actor, programme: Programme, origin_id: str, summaries: dict, request=None) -> Procedure:
    """An origin official documents how its nationals reach a programme (draft until a reviewer publishes)."""
    codes = getattr(actor, "country_codes", set()) or set()
    role = getattr(actor, "role", None)
    allowed = is_reviewer(actor) or (role == "origin_official" and origin_id in codes) or (
        role == "destination_official" and programme.destination_id in codes)
    if not allowed or not Programme.objects.restrict(actor, "view").filter(pk=programme.pk).exists():
        raise PermissionDenied
    if Procedure.objects.filter(programme=programme, origin_id=origin_id).exists():
        raise ValidationError(_("Ya existe un procedimiento para este programa y este país de origen."))
    procedure = Procedure(programme=programme, origin_id=origin_id, state=PublicationState.DRAFT)
    for lang in LANGS:
        setattr(procedure, f"summary_{lang}", summaries.get(lang, ""))
    procedure.full_clean()
    procedure.save()
    _revision(obj=procedure, action="created", previous={},
              new={"programme": programme.slug, "origin": origin_id, "state": procedure.state}, actor=actor)
    record(type=EventType.RECORD_CREATED, actor=actor, obj=procedure, country=origin_id, request=request)
    return procedure


STEP_TEXT = ("title", "office", "documents", "fees", "typical_time", "where")


def _step_snapshot(step) -> dict:
    out = {f"{name}_{lang}": getattr(step, f"{name}_{lang}") for name in STEP_TEXT for lang in LANGS}
    out.update(order=step.order, fee_payer=step.fee_payer, source=step.source.url if step.source else None,
               checked_on=step.checked_on.isoformat() if step.checked_on else None)
    return out


@transaction.atomic
def save_procedure_steps(*, actor, procedure: Procedure, steps: list[dict], request=None) -> Procedure:
    """Replace the ordered steps of a procedure; every step names the source it comes from."""
    if not Procedure.objects.restrict(actor, "change").filter(pk=procedure.pk).exists():
        raise PermissionDenied
    previous = [_step_snapshot(s) for s in procedure.steps.select_related("source")]
    new_steps = []
    for order, data in enumerate(steps, start=1):
        if not data.get("source_url"):
            raise ValidationError({"source_url": _("Cada paso necesita la fuente que lo respalda.")})
        step = ProcedureStep(procedure=procedure, order=order, fee_payer=data.get("fee_payer", ""),
                             source=_source(url=data["source_url"], title=data.get("source_title", "")),
                             checked_on=data.get("checked_on") or timezone.localdate())
        for name in STEP_TEXT:
            for lang in LANGS:
                setattr(step, f"{name}_{lang}", clean_plain_text(data.get(f"{name}_{lang}", ""), max_length=2000,
                                                                  field=f"{name}_{lang}"))
        if not step.title_es:
            raise ValidationError({"title_es": _("Cada paso necesita un título.")})
        new_steps.append(step)
    new = [_step_snapshot(s) for s in new_steps]
    if new == previous:
        return procedure
    procedure.steps.all().delete()
    ProcedureStep.objects.bulk_create(new_steps)
    state = {}
    fields = []
    _back_to_draft(obj=procedure, actor=actor, previous=state, fields=fields)
    procedure.save()
    _revision(obj=procedure, action="changed", previous={"steps": previous, **state},
              new={"steps": new, **({"state": procedure.state} if fields else {})}, actor=actor)
    record(type=EventType.RECORD_CHANGED, actor=actor, obj=procedure, country=procedure.origin_id, request=request,
           details={"fields": ["steps"]})
    return procedure


def _party_snapshot(party) -> dict:
    return {"country": party.country_id,
            "signature_date": party.signature_date.isoformat() if party.signature_date else None,
            "ratification_date": party.ratification_date.isoformat() if party.ratification_date else None,
            "ratification_year": party.ratification_year, "ratification_kind": party.ratification_kind,
            "source": party.source.url if party.source else None}


@transaction.atomic
def save_instrument_parties(*, actor, instrument: LegalInstrument, parties: list[dict], request=None):
    """Replace the parties of an instrument with their signature and ratification dates, each with its source."""
    if not LegalInstrument.objects.restrict(actor, "change").filter(pk=instrument.pk).exists():
        raise PermissionDenied
    previous = [_party_snapshot(p) for p in instrument.parties.select_related("source")]
    rows = []
    for data in parties:
        if not data.get("source_url"):
            raise ValidationError({"source_url": _("Cada país parte necesita la fuente que lo respalda.")})
        rows.append(InstrumentParty(
            instrument=instrument, country_id=data["country"], signature_date=data.get("signature_date"),
            ratification_date=data.get("ratification_date"), ratification_year=data.get("ratification_year"),
            ratification_kind=data.get("ratification_kind", ""),
            source=_source(url=data["source_url"], title=data.get("source_title", "")),
            checked_on=data.get("checked_on") or timezone.localdate()))
    if len({r.country_id for r in rows}) != len(rows):
        raise ValidationError(_("Cada país aparece una sola vez."))
    new = [_party_snapshot(r) for r in rows]
    if sorted(new, key=lambda p: p["country"]) == sorted(previous, key=lambda p: p["country"]):
        return instrument
    instrument.parties.all().delete()
    InstrumentParty.objects.bulk_create(rows)
    state, fields = {}, []
    _back_to_draft(obj=instrument, actor=actor, previous=state, fields=fields)
    instrument.save()
    _revision(obj=instrument, action="changed", previous={"parties": previous, **state},
              new={"parties": new, **({"state": instrument.state} if fields else {})}, actor=actor)
    record(type=EventType.INSTRUMENT_CHANGED, actor=actor, obj=instrument, request=request,
           details={"fields": ["parties"]})
    return instrument


@transaction.atomic
def set_publication(*, actor, obj, publish: bool, request=None):
    """Publish or withdraw a record; only content reviewers and administrators may."""
    if not is_reviewer(actor):
        raise PermissionDenied
    target = PublicationState.PUBLISHED if publish else PublicationState.UNPUBLISHED
    if obj.state == target:
        return obj
    previous = {"state": obj.state}
    obj.state = target
    if publish:
        obj.published_at = timezone.now()
    obj.save(update_fields=["state", "published_at", "updated_at"])
    _revision(obj=obj, action="published" if publish else "unpublished", previous=previous,
              new={"state": target}, actor=actor)
    record(type=PUBLISH_EVENT[type(obj)] if publish else CHANGE_EVENT[type(obj)], actor=actor, obj=obj,
           country=_country_of(obj), request=request, details={"state": target})
    return obj


def clean_plain_text(value: str, *, max_length: int, field: str) -> str:
    """Plain text as typed (markup is kept as text and escaped when shown), without control characters."""
    value = CONTROL_CHARS.sub("", (value or "").replace("\r\n", "\n")).strip()
    if len(value) > max_length:
        raise ValidationError({field: _("El texto supera el máximo de %(max)d caracteres.") % {"max": max_length}})
    return value


@transaction.atomic
def submit_best_practice(*, actor, country_id: str, topic: str, language: str, title: str, text: str,
                         evidence: str = "", evidence_url: str = "", programme=None, request=None) -> BestPractice:
    """An official of ``country_id`` submits a best practice; it stays unpublished until reviewed."""
    if not (is_reviewer(actor) or (getattr(actor, "role", None) in ("origin_official", "destination_official", "consular")
                                   and country_id in actor.country_codes)):
        raise PermissionDenied
    practice = BestPractice(
        country_id=country_id, topic=topic, language=language, programme=programme, submitted_by=actor,
        title=clean_plain_text(title, max_length=BestPractice.TITLE_MAX, field="title"),
        text=clean_plain_text(text, max_length=BestPractice.TEXT_MAX, field="text"),
        evidence=clean_plain_text(evidence, max_length=BestPractice.EVIDENCE_MAX, field="evidence"),
        evidence_url=evidence_url or "", state=PublicationState.DRAFT,
    )
    if not practice.title or not practice.text:
        raise ValidationError(_("El título y la descripción son obligatorios."))
    practice.full_clean()
    practice.save()
    _revision(obj=practice, action="created", previous={}, new={"title": practice.title, "state": practice.state},
              actor=actor)
    record(type=EventType.PRACTICE_SUBMITTED, actor=actor, obj=practice, country=country_id, request=request)
    return practice


@transaction.atomic
def review_best_practice(*, actor, practice: BestPractice, publish: bool, note: str = "", request=None) -> BestPractice:
    """A reviewer publishes or rejects a submitted best practice."""
    if not is_reviewer(actor):
        raise PermissionDenied
    previous = {"state": practice.state}
    practice.state = PublicationState.PUBLISHED if publish else PublicationState.UNPUBLISHED
    practice.reviewed_by = actor
    practice.reviewed_at = timezone.now()
    practice.review_note = clean_plain_text(note, max_length=500, field="review_note")
    if publish:
        practice.published_at = practice.reviewed_at
    practice.save()
    _revision(obj=practice, action="reviewed", previous=previous, new={"state": practice.state}, actor=actor)
    record(type=EventType.PRACTICE_REVIEWED, actor=actor, obj=practice, country=practice.country_id, request=request,
           details={"state": practice.state})
    return practice
