"""The PDF study "Temporary worker programmes and their legal frameworks in the RCM countries" (WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from temporada.core.models import Country

from .facts import catalogue_fact_counts
from .models import Source
from .presentation import instrument_rows, programme_rows
from .queries import instruments_for, procedures_for, programmes_for

COMPARE_FIELDS = ["destination", "modality", "eligible_origins", "sectors", "max_stay_months", "recruitment_fee_rule",
                  "status"]


class ExternalResourceRefused(Exception):
    pass


def local_only_fetcher(url, *args, **kwargs):
    """The study embeds everything inline; any fetch (http, file, …) is refused so nothing leaves the server."""
    raise ExternalResourceRefused(url)


def study_context(user):
    programmes = list(programmes_for(user).order_by("destination_id", "slug"))
    instruments = list(instruments_for(user))
    sections = [{"programme": p, "rows": programme_rows(p)} for p in programmes]
    comparison = [{"programme": p, "cells": [r for r in s["rows"] if r["field"] in COMPARE_FIELDS]}
                  for p, s in zip(programmes, sections, strict=True)]
    by_country = []
    for country in Country.objects.filter(is_rcm_member=True).order_by("name_es"):
        items = [i for i in instruments if any(pt.country_id == country.iso3 for pt in i.parties.all())]
        progs = [p for p in programmes if p.destination_id == country.iso3
                 or any(c.iso3 == country.iso3 for c in p.other_destinations.all())]
        as_origin = [p for p in programmes if p not in progs and any(c.iso3 == country.iso3 for c in p.eligible_origins.all())]
        by_country.append({"country": country, "instruments": items, "programmes": progs, "as_origin": as_origin})
    source_ids = set()
    for p in programmes:
        source_ids.update(c.source_id for c in p.citations.all())
        source_ids.update(v.source_id for v in p.volumes.all())
    for i in instruments:
        source_ids.update(c.source_id for c in i.citations.all())
        source_ids.update(pt.source_id for pt in i.parties.all() if pt.source_id)
    procedures = list(procedures_for(user))
    for proc in procedures:
        source_ids.update(s.source_id for s in proc.steps.all() if s.source_id)
    return {
        "title": _("Programas de trabajadores temporales y sus marcos jurídicos en los países de la CRM"),
        "generated": timezone.now(), "sections": sections, "comparison": comparison,
        "compare_labels": [r["label"] for r in comparison[0]["cells"]] if comparison else [],
        "instruments": [{"instrument": i, "rows": instrument_rows(i)} for i in instruments],
        "by_country": by_country, "procedures": procedures,
        "sources": Source.objects.filter(pk__in=source_ids).order_by("publisher", "title"),
        "counts": catalogue_fact_counts(programmes, instruments),
    }


def render_study_html(request) -> str:
    return render_to_string("programmes/study.html", study_context(request.user), request=request)


def render_study_pdf(request) -> bytes:
    from weasyprint import HTML

    html = render_study_html(request)
    return HTML(string=html, base_url=None, url_fetcher=local_only_fetcher).write_pdf()
