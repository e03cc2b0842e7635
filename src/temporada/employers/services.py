"""Officials' decisions on employer identity: merge, split, rename. Each is audited.

A merge or split moves **aliases** (name + address variants) between employers and marks them
``manual-merge`` / ``manual-split``. Imports look aliases up before applying any automatic rule, so an
official's decision holds across every later re-import of the same files.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from temporada.core.audit import EventType, record

from .models import Employer, EmployerAlias
from .normalize import split_dba
from .resolution import JOB_ORDER_FIELDS, MANUAL_MERGE, MANUAL_SPLIT, variant_of

MAX_MERGE = 50


def _changeable(actor, ids) -> dict[int, Employer]:
    """The live employers among ``ids`` the actor may change, locked for the rest of the transaction."""
    qs = Employer.objects.restrict(actor, "change").filter(pk__in=ids, merged_into__isnull=True)
    return {e.pk: e for e in qs.select_for_update()}


@transaction.atomic
def merge_employers(*, actor, target: Employer, others, note: str = "", request=None) -> Employer:
    """Fold ``others`` into ``target``: their aliases and job orders move, they point to ``target``."""
    from temporada.demand.models import JobOrder

    other_ids = sorted({e.pk if isinstance(e, Employer) else int(e) for e in others} - {target.pk})
    if not other_ids:
        raise ValidationError(_("Elija al menos otro empleador para fusionar."))
    if len(other_ids) > MAX_MERGE:
        raise ValidationError(_("Se pueden fusionar como máximo %(n)d empleadores a la vez.") % {"n": MAX_MERGE})
    allowed = _changeable(actor, [target.pk, *other_ids])
    if target.pk not in allowed or any(pk not in allowed for pk in other_ids):
        raise PermissionDenied
    target = allowed[target.pk]
    sources = [allowed[pk] for pk in other_ids]
    for source in sources:
        if source.country_id != target.country_id or source.is_synthetic != target.is_synthetic:
            raise ValidationError(_("Solo se fusionan empleadores del mismo país."))
    aliases = list(EmployerAlias.objects.filter(employer_id__in=other_ids).values_list("pk", "resolution", "name"))
    EmployerAlias.objects.filter(employer_id__in=other_ids).update(employer=target, resolution=MANUAL_MERGE)
    moved = JobOrder.objects.filter(employer_id__in=other_ids).update(employer=target)
    Employer.objects.filter(merged_into_id__in=other_ids).update(merged_into=target)
    Employer.objects.filter(pk__in=other_ids).update(merged_into=target, manually_reviewed=True)
    target.manually_reviewed = True
    target.save(update_fields=["manually_reviewed", "updated_at"])
    details = {
        "target": target.pk, "merged": [{"id": s.pk, "name": s.name} for s in sources],
        "aliases_moved": [{"id": pk, "previous_rule": rule, "name": name} for pk, rule, name in aliases],
        "job_orders_moved": moved, "note": note[:500],
    }
    record(type=EventType.EMPLOYER_MERGED, actor=actor, obj=target, country=target.country_id, request=request,
           details=details)
    for source in sources:
        record(type=EventType.EMPLOYER_MERGED, actor=actor, obj=source, country=source.country_id, request=request,
               details={"merged_into": target.pk, "note": note[:500]})
    return target


def _job_orders_of_aliases(employer: Employer, aliases) -> list[int]:
    """Ids of the employer's job orders whose published name and address are one of ``aliases``."""
    from temporada.demand.models import JobOrder

    keys = {(a.normalized_name, a.address_key) for a in aliases if a.kind != EmployerAlias.Kind.TRADE}
    ids = []
    for row in JobOrder.objects.filter(employer=employer).order_by().values(*JOB_ORDER_FIELDS).iterator(2000):
        variant = variant_of(row)
        if (variant.normalized_name, variant.address_key) in keys:
            ids.append(row["id"])
    return ids


def _most_frequent_name(employer_id: int) -> tuple[str, str, str, str] | None:
    from temporada.demand.models import JobOrder

    counts = Counter(JobOrder.objects.filter(employer_id=employer_id).order_by().values_list(
        "employer_name", "employer_address", "employer_city", "employer_postal_code"))
    if not counts:
        return None
    (name, address, city, postal), _n = min(counts.items(), key=lambda kv: (-kv[1], kv[0][0].isupper(), kv[0]))
    return split_dba(name)[0][:300], (address or "")[:300], (city or "")[:120], (postal or "")[:20]


@transaction.atomic
def split_employer(*, actor, employer: Employer, alias_ids, name: str = "", note: str = "", request=None) -> Employer:
    """Move the chosen aliases (and their job orders) of ``employer`` to a new employer; returns it."""
    from temporada.demand.models import JobOrder

    allowed = _changeable(actor, [employer.pk])
    if employer.pk not in allowed:
        raise PermissionDenied
    employer = allowed[employer.pk]
    all_aliases = list(employer.aliases.all())
    wanted = {int(pk) for pk in alias_ids}
    chosen = [a for a in all_aliases if a.pk in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise ValidationError(_("Elija los alias que pertenecen a otro empleador."))
    if len(chosen) == len(all_aliases):
        raise ValidationError(_("Deje al menos un alias en el empleador actual."))
    job_ids = _job_orders_of_aliases(employer, chosen)
    first = min(chosen, key=lambda a: (a.kind != EmployerAlias.Kind.LEGAL, a.name))
    new = Employer.objects.create(
        name=(name.strip() or first.name)[:300], normalized_name=first.normalized_name, country_id=employer.country_id,
        subdivision_id=_subdivision(employer, first),
        city=first.city, postal_code=first.postal_code, address=first.address, manually_reviewed=True,
        is_synthetic=employer.is_synthetic,
    )
    EmployerAlias.objects.filter(pk__in=[a.pk for a in chosen]).update(employer=new, resolution=MANUAL_SPLIT)
    for start in range(0, len(job_ids), 900):
        JobOrder.objects.filter(pk__in=job_ids[start:start + 900]).update(employer=new)
    # Both sides now show the name their own job orders use most (unless the official named the new one).
    for target, keep_name in ((employer, False), (new, bool(name.strip()))):
        found = _most_frequent_name(target.pk)
        if found:
            if not keep_name:
                target.name = found[0]
            target.address, target.city, target.postal_code = found[1], found[2], found[3]
        target.manually_reviewed = True
        target.save()
    details = {"from": employer.pk, "to": new.pk, "aliases": [{"id": a.pk, "name": a.name, "previous_rule": a.resolution}
                                                            for a in chosen],
               "job_orders_moved": len(job_ids), "note": note[:500]}
    record(type=EventType.EMPLOYER_SPLIT, actor=actor, obj=employer, country=employer.country_id, request=request,
           details=details)
    record(type=EventType.EMPLOYER_SPLIT, actor=actor, obj=new, country=new.country_id, request=request,
           details=details)
    return new


def _subdivision(employer: Employer, alias: EmployerAlias):
    from temporada.core.models import Subdivision

    from .normalize import state_code

    state = state_code(alias.state, employer.country_id)
    if not state:
        return employer.subdivision_id
    code = f"{employer.country.iso2}-{state}"
    return code if Subdivision.objects.filter(pk=code).exists() else employer.subdivision_id


@transaction.atomic
def rename_employer(*, actor, employer: Employer, name: str, request=None) -> Employer:
    """Set the name shown for an employer (its aliases keep the names as published)."""
    allowed = _changeable(actor, [employer.pk])
    if employer.pk not in allowed:
        raise PermissionDenied
    employer = allowed[employer.pk]
    name = " ".join(name.split())[:300]
    if not name:
        raise ValidationError(_("El nombre no puede quedar vacío."))
    previous = employer.name
    if name == previous:
        return employer
    employer.name = name
    employer.manually_reviewed = True
    employer.save(update_fields=["name", "manually_reviewed", "updated_at"])
    record(type=EventType.EMPLOYER_CHANGED, actor=actor, obj=employer, country=employer.country_id, request=request,
           details={"name": {"from": previous, "to": name}})
    return employer
