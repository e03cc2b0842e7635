"""Writes of the workers' portal: anonymous counters only.

Counters are incremented in the database with ``F()`` so concurrent requests do not lose counts.
No function here accepts a request, an address or free text: only categorical values.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from temporada.core.audit import EventType, record

from .models import Check, CheckFailureCount, Outcome, PageVisit, VerificationCount

PAGES = ("home", "programme", "finder", "verify", "help", "leaflet")


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _increment(model, **key):
    updated = model.objects.filter(**key).update(count=F("count") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            model.objects.create(count=1, **key)
    except IntegrityError:  # another request created the row first
        model.objects.filter(**key).update(count=F("count") + 1)


@transaction.atomic
def record_verification(*, outcome: str, programme: str, subdivision: str, failed_checks: list[str],
                        day: date | None = None) -> None:
    """Count one offer check by outcome, programme, destination subdivision and week (nothing else)."""
    if outcome not in Outcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    if any(check not in Check.values for check in failed_checks):
        raise ValueError(f"unknown check in {failed_checks!r}")
    week = week_of(day or timezone.now().date())
    programme, subdivision = programme[:10], subdivision[:8]
    _increment(VerificationCount, week=week, outcome=outcome, programme=programme, subdivision=subdivision)
    for check in sorted(set(failed_checks)):
        _increment(CheckFailureCount, week=week, check_name=check, programme=programme, subdivision=subdivision)
    # The audit trail gets the same categorical facts and nothing about the visitor (no request, no address).
    record(type=EventType.VERIFICATION_REQUESTED, object_type="rights.verificationcount",
           object_repr=f"{outcome} {programme} {subdivision}".strip(),
           details={"outcome": outcome, "programme": programme, "subdivision": subdivision,
                    "failed_checks": sorted(set(failed_checks)), "week": week.isoformat()})


@transaction.atomic
def count_visit(*, page: str, day: date | None = None) -> None:
    """Add one visit to a page's counter for the day.

    Not audited: an audit row per anonymous page view would itself be the visitor log this counter avoids."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    _increment(PageVisit, day=day or timezone.now().date(), page=page)
