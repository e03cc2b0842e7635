"""Reads. Content and statistics start from ``restrict()``; programmes come from the catalogue's queries."""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from temporada.programmes.facts import fact_statuses
from temporada.programmes.presentation import FIELD_LABELS, programme_value
from temporada.programmes.queries import procedures_for, programmes_for

from .models import (
    CATALOGUE_FACTS_BY_TOPIC,
    Check,
    CheckFailureCount,
    HelpContact,
    Outcome,
    PageVisit,
    Statement,
    Topic,
    VerificationCount,
)


def published_programmes(user):
    """Catalogue programmes the portal describes: published ones only, whoever is looking."""
    return programmes_for(user).filter(state="published").order_by("destination_id", "slug")


def statements_for(user):
    return Statement.objects.restrict(user).filter(state="published").select_related("source", "destination")


def contacts_for(user):
    return (HelpContact.objects.restrict(user).filter(state="published")
            .select_related("source", "operator", "nationality", "destination", "subdivision"))


def rights_sections(user, programme) -> list[dict]:
    """Topics of a programme's rights page: our statements plus the catalogue's cited facts.

    Each item is {"text", "source_url", "source_title", "publisher", "official", "checked_on"}; a topic
    with nothing verified has an empty list (the page says "not verified")."""
    statements = [s for s in statements_for(user) if s.applies_to(programme)]
    statuses = {s.field: s for s in fact_statuses(programme)}
    sections = OrderedDict((topic, []) for topic in Topic.values)
    for field_list_topic, fields in CATALOGUE_FACTS_BY_TOPIC.items():
        for field in fields:
            status = statuses.get(field)
            if status is None or not status.verified:
                continue
            value = programme_value(programme, field)
            if field == "max_stay_months":
                value = f"{FIELD_LABELS['max_stay_months']}: {value}"
            source = status.citation.source
            sections[field_list_topic].append({
                "text": value, "source_url": source.url, "source_title": source.title,
                "publisher": source.publisher, "official": None, "checked_on": status.citation.checked_on,
                "from_catalogue": True})
    for s in statements:
        sections[s.topic].append({
            "text": s.t("text"), "source_url": s.source.url, "source_title": s.source.title,
            "publisher": s.source.publisher, "official": s.source.is_official, "checked_on": s.checked_on,
            "from_catalogue": False, "slug": s.slug})
    labels = dict(Topic.choices)
    return [{"topic": topic, "label": labels[topic], "items": items} for topic, items in sections.items()]


def fee_rules(user, slugs) -> list[dict]:
    """Sourced recruitment-fee rules of catalogue programmes: the catalogue's cited fact, then our statements."""
    rules = []
    programmes = list(published_programmes(user).filter(slug__in=list(slugs)))
    statements = [s for s in statements_for(user) if s.topic == Topic.FEES]
    for programme in programmes:
        status = {s.field: s for s in fact_statuses(programme)}.get("recruitment_fee_rule")
        if status is not None and status.verified:
            source = status.citation.source
            rules.append({"programme": programme.slug, "text": programme.t("recruitment_fee_rule"),
                          "source_url": source.url, "source_title": source.title, "official": None,
                          "checked_on": status.citation.checked_on})
        for s in statements:
            if s.applies_to(programme) and not any(r.get("slug") == s.slug for r in rules):
                rules.append({"programme": programme.slug, "slug": s.slug, "text": s.t("text"),
                              "source_url": s.source.url, "source_title": s.source.title,
                              "official": s.source.is_official, "checked_on": s.checked_on})
    return rules


def procedures_for_programme(user, programme, origin: str | None = None):
    qs = procedures_for(user).filter(programme=programme, state="published")
    if origin:
        qs = qs.filter(origin_id=origin)
    return list(qs)


def statistics(user, weeks: int = 12, days: int = 30) -> dict:
    """Aggregates for the officials' page (empty querysets for anyone else)."""
    since_week = timezone.now().date() - timedelta(weeks=weeks)
    since_day = timezone.now().date() - timedelta(days=days)
    outcomes = VerificationCount.objects.restrict(user).filter(week__gte=since_week)
    failures = CheckFailureCount.objects.restrict(user).filter(week__gte=since_week)
    visits = PageVisit.objects.restrict(user).filter(day__gte=since_day)
    outcome_labels, check_labels = dict(Outcome.choices), dict(Check.choices)
    outcome_totals = list(outcomes.values("outcome").annotate(total=Sum("count")).order_by("-total"))
    for row in outcome_totals:
        row["label"] = outcome_labels.get(row["outcome"], row["outcome"])
    failure_places = list(failures.values("check_name", "subdivision", "programme")
                          .annotate(total=Sum("count")).order_by("-total")[:50])
    for row in failure_places:
        row["label"] = check_labels.get(row["check_name"], row["check_name"])
    return {
        "outcomes": list(outcomes.order_by("-week", "outcome", "programme", "subdivision")),
        "failure_totals": list(failures.values("check_name").annotate(total=Sum("count")).order_by("-total")),
        "failure_places": failure_places,
        "outcome_totals": outcome_totals,
        "visits": list(visits.order_by("-day", "page")),
        "visit_totals": list(visits.values("page").annotate(total=Sum("count")).order_by("-total")),
    }
