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
    LegalInstrument,
    Procedure,
    Programme,
    PublicationState,
    Revision,
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
PUBLISH_EVENT = {Programme: EventType.PROGRAMME_PUBLISHED, LegalInstrument: EventType.RECORD_PUBLISHED,
                 Procedure: EventType.RECORD_PUBLISHED}


@transaction.atomic
def update_record(*, actor, obj, changes: dict, request=None):
    """Apply validated field ``changes`` to a programme, instrument or procedure the actor may change.

    An edit by a non-reviewer turns the record back into a draft: a reviewer must publish it again."""
    model = type(obj)
    if not model.objects.restrict(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied
    fields = [name for name in changes if changes[name] != getattr(obj, obj._meta.get_field(name).attname)]
    if not fields:
        return obj
    previous = snapshot(obj, fields)
    for name in fields:
        setattr(obj, obj._meta.get_field(name).attname, changes[name])
    if not is_reviewer(actor) and obj.state == PublicationState.PUBLISHED:
        previous["state"] = obj.state
        obj.state = PublicationState.DRAFT
        fields.append("state")
    obj.full_clean()
    obj.save()
    _revision(obj=obj, action="changed", previous=previous, new=snapshot(obj, fields), actor=actor)
    record(type=CHANGE_EVENT[model], actor=actor, obj=obj, country=_country_of(obj), request=request,
           details={"fields": fields})
    return obj


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
