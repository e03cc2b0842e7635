"""Printable leaflet per programme: A5 PDF rendered by WeasyPrint from the same content as the page."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from temporada.programmes.study import local_only_fetcher

from .models import HelpContact
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


def render_leaflet_pdf(request, programme) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_leaflet_html(request, programme), base_url=None,
                url_fetcher=local_only_fetcher).write_pdf()
