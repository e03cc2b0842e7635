"""Writing audit events. Service functions call ``record`` for every write."""

from __future__ import annotations

import uuid

from django.conf import settings

from .models import AuditEvent

EventType = AuditEvent.Type


def client_ip(request) -> str | None:
    """The caller's address. X-Forwarded-For is honoured only behind a configured number of proxies,
    and then read from the right (the part our own proxies appended), so clients cannot forge it."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TEMPORADA_TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return remote


def record(
    *,
    type: str,
    actor=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    country=None,
    request=None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one audit event; ``obj`` fills the object fields when given."""
    if type not in EventType.values:
        raise ValueError(f"unknown audit event type {type!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if request is not None and actor is None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    country_id = getattr(country, "pk", country)
    return AuditEvent.objects.create(
        type=type,
        actor=actor,
        actor_label=(actor.get_username() if actor is not None else "")[:150],
        object_type=object_type[:80],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:200],
        country_id=country_id,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
        request_id=(getattr(request, "request_id", "") if request is not None else "") or uuid.uuid4().hex,
        details=details or {},
    )


def record_read(*, actor, obj, request=None, country=None) -> AuditEvent:
    """Record that a protected record (worker profile, consular case…) was displayed."""
    return record(type=EventType.PROTECTED_READ, actor=actor, obj=obj, request=request, country=country)
