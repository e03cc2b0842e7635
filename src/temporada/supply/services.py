"""Writes to the worker registry. Every function checks scope, runs in one transaction and is audited.

Inputs are the ``cleaned_data`` of ``forms.WorkerForm`` (the only validation of a profile)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from temporada.accounts.roles import Role
from temporada.core.audit import EventType, record

from . import pii
from .models import Certificate, Consent, Participation, Worker, WorkerLanguage, WorkerOccupation

DATE_FIELDS = {"birth_date", "passport_expiry", "available_from", "available_until"}
PROFILE_FIELDS = [
    "given_names", "family_names", "birth_date", "sex", "passport_expiry", "phone", "email", "residence_locality",
    "education_level", "skills", "available_from", "available_until",
]


def _can(actor, action, worker=None, nationality=None) -> bool:
    qs = Worker.objects.restrict(actor, action)
    if worker is not None:
        return qs.filter(pk=worker.pk).exists()
    # creating: the scope filter on nationality tells whether the actor may hold such a profile
    if getattr(actor, "is_authenticated", False) and actor.is_admin_role:
        return True
    return getattr(actor, "role", None) == Role.ORIGIN_OFFICIAL and nationality in actor.country_codes


def _primary(occupations: list[dict]) -> tuple[str, int]:
    """The occupation with most years (first listed on ties): each worker counts once in statistics."""
    if not occupations:
        return "", 0
    best = max(enumerate(occupations), key=lambda item: (item[1]["years"], -item[0]))[1]
    return best["isco_code"], best["years"]


def _apply_profile(worker: Worker, data: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in data:
            value = data[name]
            setattr(worker, name, value if value is not None or name in DATE_FIELDS else "")
    worker.residence_subdivision_id = data.get("residence_subdivision") or None
    if data.get("national_id"):
        protected = pii.protect("national_id", worker.nationality_id, data["national_id"])
        worker.national_id_hash, worker.national_id_encrypted, worker.national_id_last4 = (
            protected["hash"], protected["encrypted"], protected["last4"])
    if data.get("passport_number"):
        protected = pii.protect("passport", worker.nationality_id, data["passport_number"])
        worker.passport_hash, worker.passport_encrypted, worker.passport_last4 = (
            protected["hash"], protected["encrypted"], protected["last4"])
    worker.primary_isco, worker.primary_years = _primary(data.get("occupations", []))


def _replace_children(worker: Worker, data: dict) -> None:
    worker.occupations.all().delete()
    WorkerOccupation.objects.bulk_create([WorkerOccupation(worker=worker, **occ) for occ in data.get("occupations", [])])
    worker.languages.all().delete()
    WorkerLanguage.objects.bulk_create([WorkerLanguage(worker=worker, **lang) for lang in data.get("languages", [])])
    worker.participations.all().delete()
    Participation.objects.bulk_create([Participation(worker=worker, **part) for part in data.get("participations", [])])
    worker.certificates.all().delete()
    Certificate.objects.bulk_create([Certificate(worker=worker, name=name) for name in data.get("certificate_names", [])])
    worker.preferred_programmes.set(data.get("preferred_programme_ids", []))
    worker.preferred_destinations.set(data.get("preferred_destinations", []))


def _record_consents(worker: Worker, data: dict, method: str, actor) -> None:
    given_on = data["consent_date"]
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    purposes = [Consent.Purpose.REGISTRY] + ([Consent.Purpose.MATCHING] if data.get("consent_matching") else [])
    Consent.objects.bulk_create([
        Consent(worker=worker, purpose=purpose, given_on=given_on, method=method, recorded_by=recorder)
        for purpose in purposes
    ])
    worker.has_registry_consent = True
    worker.has_matching_consent = bool(data.get("consent_matching"))


def _build(*, actor, data: dict, origin: str, upload=None, account=None) -> Worker:
    worker = Worker(nationality_id=data["nationality"], origin=origin, upload=upload, account=account,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
    _apply_profile(worker, data)
    if origin == Worker.Origin.SELF:
        worker.status = Worker.Status.PENDING
    elif data.get("documents_verified"):
        worker.status = Worker.Status.VERIFIED
        worker.verified_by, worker.verified_at = actor, timezone.now()
    else:
        worker.status = Worker.Status.REGISTERED
    worker.save()
    _replace_children(worker, data)
    method = {Worker.Origin.UPLOAD: Consent.Method.UPLOAD, Worker.Origin.SELF: Consent.Method.SELF}.get(
        origin, Consent.Method.FORM)
    _record_consents(worker, data, method, actor)
    worker.save(update_fields=["has_registry_consent", "has_matching_consent"])
    return worker


@transaction.atomic
def create_worker(*, actor, data: dict, request=None) -> Worker:
    """Register a profile from an official's form (their own nationals only)."""
    if not _can(actor, "create", nationality=data.get("nationality")):
        raise PermissionDenied
    worker = _build(actor=actor, data=data, origin=Worker.Origin.FORM)
    record(type=EventType.WORKER_CREATED, actor=actor, obj=worker, country=worker.nationality_id, request=request,
           details={"origin": worker.origin, "status": worker.status})
    if worker.status == Worker.Status.VERIFIED:
        record(type=EventType.WORKER_VERIFIED, actor=actor, obj=worker, country=worker.nationality_id, request=request)
    return worker


@transaction.atomic
def update_worker(*, actor, worker: Worker, data: dict, request=None) -> Worker:
    """Change a profile (official of the nationality, or the worker on their own profile)."""
    if not _can(actor, "change", worker=worker):
        raise PermissionDenied
    if data.get("nationality") and data["nationality"] != worker.nationality_id:
        raise ValidationError(_("La nacionalidad no se cambia: registre un perfil nuevo."))
    before = {name: str(getattr(worker, name)) for name in PROFILE_FIELDS}
    _apply_profile(worker, data)
    is_worker = getattr(actor, "role", None) == Role.WORKER
    verified_now = False
    if is_worker and worker.status == Worker.Status.VERIFIED:
        # identity details changed by the worker must be checked again by an official
        if any(before[name] != str(getattr(worker, name)) for name in ("given_names", "family_names", "birth_date")) \
                or data.get("national_id") or data.get("passport_number"):
            worker.status = Worker.Status.PENDING
    elif not is_worker and data.get("documents_verified") and worker.status != Worker.Status.VERIFIED:
        worker.status, worker.verified_by, worker.verified_at = Worker.Status.VERIFIED, actor, timezone.now()
        verified_now = True
    worker.save()
    _replace_children(worker, data)
    changed = sorted(name for name in PROFILE_FIELDS if before[name] != str(getattr(worker, name)))
    if data.get("national_id"):
        changed.append("national_id")
    if data.get("passport_number"):
        changed.append("passport_number")
    record(type=EventType.WORKER_CHANGED, actor=actor, obj=worker, country=worker.nationality_id, request=request,
           details={"fields": changed, "status": worker.status})
    if verified_now:
        record(type=EventType.WORKER_VERIFIED, actor=actor, obj=worker, country=worker.nationality_id, request=request)
    return worker


@transaction.atomic
def verify_worker(*, actor, worker: Worker, request=None) -> Worker:
    """An official of the worker's nationality confirms identity documents."""
    if not _can(actor, "review", worker=worker):
        raise PermissionDenied
    if worker.status not in (Worker.Status.PENDING, Worker.Status.REGISTERED):
        raise ValidationError(_("Este perfil no está pendiente de verificación."))
    if not worker.has_registry_consent:
        raise ValidationError(_("El consentimiento fue retirado: el perfil no se puede verificar."))
    worker.status, worker.verified_by, worker.verified_at = Worker.Status.VERIFIED, actor, timezone.now()
    worker.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    record(type=EventType.WORKER_VERIFIED, actor=actor, obj=worker, country=worker.nationality_id, request=request)
    return worker


@transaction.atomic
def set_inactive(*, actor, worker: Worker, request=None) -> Worker:
    """Take a profile out of matching without deleting it (e.g. the worker found other work)."""
    if not _can(actor, "change", worker=worker) or getattr(actor, "role", None) == Role.WORKER:
        raise PermissionDenied
    worker.status = Worker.Status.INACTIVE
    worker.save(update_fields=["status", "updated_at"])
    record(type=EventType.WORKER_CHANGED, actor=actor, obj=worker, country=worker.nationality_id, request=request,
           details={"fields": ["status"], "status": worker.status})
    return worker


@transaction.atomic
def withdraw_consent(*, actor, worker: Worker, purpose: str, reason: str = "", request=None) -> Worker:
    """Withdraw consent. Registry: the profile leaves lists and matching (kept only as the legal record).
    Matching: the profile stays in the registry but is never proposed."""
    if not _can(actor, "change", worker=worker):
        raise PermissionDenied
    purposes = [Consent.Purpose.REGISTRY, Consent.Purpose.MATCHING] if purpose == Consent.Purpose.REGISTRY else [purpose]
    if purpose not in Consent.Purpose.values:
        raise ValidationError(_("Finalidad desconocida."))
    now = timezone.now()
    Consent.objects.filter(worker=worker, purpose__in=purposes, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawal_reason=reason[:300])
    worker.has_matching_consent = False
    if purpose == Consent.Purpose.REGISTRY:
        worker.has_registry_consent = False
    worker.consent_withdrawn_at = now
    worker.save(update_fields=["has_registry_consent", "has_matching_consent", "consent_withdrawn_at", "updated_at"])
    record(type=EventType.CONSENT_CHANGED, actor=actor, obj=worker, country=worker.nationality_id, request=request,
           details={"withdrawn": purposes})
    return worker


@transaction.atomic
def self_register(*, data: dict, username: str, password: str, request=None) -> Worker:
    """A worker creates an account and a profile; it waits for an official of their nationality to verify it."""
    from temporada.accounts.services import create_user

    user = create_user(username=username, password=password, role=Role.WORKER, countries=[data["nationality"]],
                       email=data.get("email", ""))
    worker = _build(actor=user, data=data, origin=Worker.Origin.SELF, account=user)
    record(type=EventType.WORKER_CREATED, actor=user, obj=worker, country=worker.nationality_id, request=request,
           details={"origin": worker.origin, "status": worker.status})
    return worker


@transaction.atomic
def self_register_existing(*, account, data: dict, request=None) -> Worker:
    """A signed-in worker without a profile registers one; it waits for verification."""
    if getattr(account, "role", None) != Role.WORKER or Worker.objects.filter(account=account).exists():
        raise PermissionDenied
    worker = _build(actor=account, data=data, origin=Worker.Origin.SELF, account=account)
    record(type=EventType.WORKER_CREATED, actor=account, obj=worker, country=worker.nationality_id, request=request,
           details={"origin": worker.origin, "status": worker.status})
    return worker


def reveal_documents(*, actor, worker: Worker, request=None) -> dict[str, str]:
    """Decrypt ONE profile's document numbers for an official of its nationality; the reading is audited."""
    if not _can(actor, "review", worker=worker):
        raise PermissionDenied
    with transaction.atomic():
        record(type=EventType.PROTECTED_READ, actor=actor, obj=worker, country=worker.nationality_id, request=request,
               details={"fields": ["national_id", "passport_number"]})
    return {"national_id": pii.decrypt(worker.national_id_encrypted),
            "passport_number": pii.decrypt(worker.passport_encrypted)}


@transaction.atomic
def record_profile_view(*, actor, worker: Worker, request=None) -> None:
    """Reading a full profile is audited (who saw whose data, when)."""
    record(type=EventType.WORKER_VIEWED, actor=actor, obj=worker, country=worker.nationality_id, request=request)
