"""Printable leaflet per programme: A5 PDF rendered by WeasyPrint from the same content as the page."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from temporada.programmes.study import local_only_fetcher

from .models import HelpContact, Statement
from .queries import contacts_for, rights_sections


def leaflet_context(request, programme) -> dict:
    sections = rights_sections(request.user, programme)
    contacts = contacts_for(request.user).filter(destination_id=programme.destination_id,
                                                 kind__in=[HelpContact.Kind.COMPLAINT, HelpContact.Kind.HOTLINE,
                                                           HelpContact.Kind.VERIFICATION])
    return {"programme": programme, "sections": [s for s in sections if s["items"]],
            "missing": [s for s in sections if not s["items"]], "contacts": list(contacts),
            "generated": timezone.now()}


def render_leaflet_html(request, programme) -> str:
    return render_to_string("rights/leaflet.html", leaflet_context(request, programme), request=request)


def _content_stamp(programme) -> str:
    """Changes whenever the programme or any statement or contact changes (so a cached PDF is never stale)."""
    stamps = [programme.updated_at, Statement.objects.aggregate(m=Max("updated_at"))["m"],
              HelpContact.objects.aggregate(m=Max("updated_at"))["m"]]
    return "-".join(f"{s.timestamp():.6f}" if s else "0" for s in stamps)


def render_leaflet_pdf(request, programme) -> bytes:
    """The PDF, cached per programme, language and content version: rendering costs about a second of CPU,
    which an anonymous visitor should not be able to demand over and over."""
    from weasyprint import HTML

    key = f"rights:leaflet:{programme.slug}:{get_language()}:{_content_stamp(programme)}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = HTML(string=render_leaflet_html(request, programme), base_url=None,
                   url_fetcher=local_only_fetcher).write_pdf()
        cache.set(key, pdf, 60 * 60)
    return pdf
