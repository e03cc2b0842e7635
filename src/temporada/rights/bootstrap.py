"""Default content of the workers' portal: rights statements and help contacts from ``content.json``
(in this app: written by us, each entry with its source and check date), loaded as published.

Idempotent: rows are matched by slug; rows that disappeared from the file are deleted.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.utils import timezone

from temporada.core.bootstrap import Step
from temporada.core.models import Country
from temporada.core.reference import load_countries, load_subdivisions
from temporada.programmes.models import PublicationState

from .models import HelpContact, Source, Statement, Topic

CONTENT = Path(__file__).resolve().parent / "content.json"
LANGS = ("es", "en", "fr")


class ContentError(ValueError):
    """The content file refers to something that does not exist (unknown source, topic or programme)."""


def _tr(target: dict, name: str, values: dict | None, *, required: bool = False):
    for lang in LANGS:
        value = (values or {}).get(lang, "")
        if required and not value:
            raise ContentError(f"missing {name}_{lang}")
        target[f"{name}_{lang}"] = value


def load_content(*, stdout=None, path: Path | None = None) -> int:
    content = json.loads((path or CONTENT).read_text(encoding="utf-8"))
    checked = date.fromisoformat(content["checked_on"])
    if not Country.objects.filter(iso3="USA").exists():
        load_countries()
        load_subdivisions()
    from temporada.programmes.models import Programme

    known_programmes = set(Programme.objects.values_list("slug", flat=True))
    now = timezone.now()
    sources = {}
    for key, info in content["sources"].items():
        sources[key], _ = Source.objects.update_or_create(url=info["url"], defaults={
            "title": info["title"][:300], "publisher": info["publisher"][:200], "is_official": info.get("official", False)})
    seen = []
    for order, item in enumerate(content["statements"]):
        if item["topic"] not in Topic.values:
            raise ContentError(f"{item['slug']}: unknown topic {item['topic']!r}")
        if item["source"] not in sources:
            raise ContentError(f"{item['slug']}: unknown source {item['source']!r}")
        unknown = set(item.get("programmes", [])) - known_programmes
        if unknown and known_programmes:
            raise ContentError(f"{item['slug']}: unknown programmes {sorted(unknown)}")
        values = {"topic": item["topic"], "destination_id": item["destination"],
                  "programme_slugs": item.get("programmes", []), "source": sources[item["source"]],
                  "checked_on": date.fromisoformat(item["checked_on"]) if item.get("checked_on") else checked,
                  "order": order, "state": PublicationState.PUBLISHED}
        _tr(values, "text", item["text"], required=True)
        statement, _ = Statement.objects.update_or_create(slug=item["slug"], defaults=values)
        if statement.published_at is None:
            statement.published_at = now
            statement.save(update_fields=["published_at"])
        seen.append(statement.pk)
    Statement.objects.exclude(pk__in=seen).delete()
    seen = []
    for item in content["contacts"]:
        if item["source"] not in sources:
            raise ContentError(f"{item['slug']}: unknown source {item['source']!r}")
        values = {"kind": item["kind"], "operator_id": item["operator"], "nationality_id": item.get("nationality"),
                  "destination_id": item["destination"], "subdivision_id": item.get("subdivision"),
                  "city": item.get("city", ""), "address": item.get("address", ""), "phone": item.get("phone", ""),
                  "website": item.get("website", ""), "source": sources[item["source"]],
                  "checked_on": date.fromisoformat(item["checked_on"]) if item.get("checked_on") else checked,
                  "state": PublicationState.PUBLISHED}
        _tr(values, "name", item["name"], required=True)
        _tr(values, "note", item.get("note"))
        contact, _ = HelpContact.objects.update_or_create(slug=item["slug"], defaults=values)
        if contact.published_at is None:
            contact.published_at = now
            contact.save(update_fields=["published_at"])
        seen.append(contact.pk)
    HelpContact.objects.exclude(pk__in=seen).delete()
    if stdout is not None:
        stdout.write(f"    rights content {content['version']}: {len(content['statements'])} statements, "
                     f"{len(content['contacts'])} help contacts")
    return len(content["statements"]) + len(content["contacts"])


def steps() -> list[Step]:
    return [Step("rights.content", [CONTENT], load_content, version="1")]
