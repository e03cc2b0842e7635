"""Workers' portal pages: public, anonymous and light. Thin: logic lives in finder/verification/queries,
writes (anonymous counters) in services."""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from temporada.core.restrict import get_restricted_or_404

from . import ratelimit, services
from .forms import FinderForm, VerifyForm
from .models import HelpContact, _can_see_statistics
from .queries import contacts_for, fee_rules, published_programmes, rights_sections, statistics
from .verification import FEE_RULE_PROGRAMMES, fee_rule_slugs, verify


def counted(page):
    """Count successful visits of a page (per page and day, nothing else)."""
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not getattr(request, "htmx", False):
                services.count_visit(page=page)
            return response
        return wrapper
    return decorator


def _destinations(programmes):
    seen = {}
    for p in programmes:
        seen.setdefault(p.destination_id, p.destination)
    return seen


@require_GET
@counted("home")
def home(request):
    programmes = list(published_programmes(request.user))
    by_destination = {}
    for p in programmes:
        by_destination.setdefault(p.destination, []).append(p)
    return render(request, "rights/home.html", {
        "by_destination": by_destination, "can_see_statistics": _can_see_statistics(request.user),
        "fee_rules": fee_rules(request.user, ["us-h2a", "us-h2b", "ca-tfwp-agricultural"])})


@require_GET
@counted("programme")
def programme_rights(request, slug):
    programme = get_restricted_or_404(published_programmes(request.user), request.user, slug=slug)
    contacts = contacts_for(request.user).filter(destination_id=programme.destination_id,
                                                 kind__in=[HelpContact.Kind.COMPLAINT, HelpContact.Kind.HOTLINE])
    return render(request, "rights/programme.html", {
        "programme": programme, "sections": rights_sections(request.user, programme), "contacts": contacts,
        "languages": ["es", "en", "fr"]})


@require_GET
@counted("finder")
def finder(request):
    from .finder import find

    programmes = list(published_programmes(request.user))
    form = FinderForm(request.GET or None, destinations=_destinations(programmes).keys())
    result = None
    if form.is_bound and form.is_valid():
        result = find(request.user, form.answers())
    return render(request, "rights/finder.html", {"form": form, "result": result})


@require_http_methods(["GET", "POST"])
@counted("verify")
def verify_offer(request):
    form = VerifyForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "result": None}
    status = 200
    if request.method == "POST":
        allowed, retry_after = ratelimit.hit(request)
        if not allowed:
            context["rate_limited"] = True
            context["retry_minutes"] = max(1, retry_after // 60)
            response = render(request, "rights/verify.html", context, status=_htmx_status(request, 429))
            response["Retry-After"] = str(retry_after)
            return response
        if form.is_valid():
            result = verify(form.claim())
            services.record_verification(outcome=result.outcome, programme=result.programme,
                                         subdivision=result.subdivision, failed_checks=result.failed_checks)
            context["result"] = result
            context["contacts"] = _next_step_contacts(request, result)
            context["fee_sources"] = _fee_sources(request, result)
            slugs = FEE_RULE_PROGRAMMES.get(result.programme, [])
            context["rights_programme"] = published_programmes(request.user).filter(slug__in=slugs[:1]).first()
        else:
            status = 400
    # htmx swaps #verify-area out of the same full page, so one template serves both.
    return render(request, "rights/verify.html", context, status=_htmx_status(request, status))


def _htmx_status(request, status):
    """htmx does not swap error responses: it gets 200 with the same message; other clients get the real code."""
    return 200 if getattr(request, "htmx", False) else status


def _next_step_contacts(request, result):
    qs = contacts_for(request.user).filter(kind__in=[HelpContact.Kind.VERIFICATION, HelpContact.Kind.COMPLAINT,
                                                     HelpContact.Kind.HOTLINE])
    destination = {"H-2A": "USA", "H-2B": "USA", "CA": "CAN"}.get(result.programme) or \
        {"US": "USA", "CA": "CAN"}.get(result.subdivision[:2], "")
    if destination:
        qs = qs.filter(destination_id=destination)
    return list(qs.filter(nationality__isnull=True)[:6])


def _fee_sources(request, result):
    """The sourced fee rules behind a fee finding (statements of the programme's catalogue records)."""
    if not any(f.check == "fee" for f in result.findings):
        return []
    return fee_rules(request.user, fee_rule_slugs(result))


@require_GET
@counted("help")
def help_directory(request):
    contacts = contacts_for(request.user)
    nationality = request.GET.get("nationality", "")
    destination = request.GET.get("destination", "")
    nationalities = {c.nationality_id: c.nationality for c in contacts if c.nationality_id}
    destinations = {c.destination_id: c.destination for c in contacts}
    if nationality in nationalities:
        contacts = contacts.filter(nationality_id__in=[nationality]) | contacts.filter(nationality__isnull=True)
    if destination in destinations:
        contacts = contacts.filter(destination_id=destination)
    contacts = list(contacts.order_by("destination_id", "kind", "subdivision_id", "slug"))
    map_states = sorted({c.subdivision.fips for c in contacts if c.subdivision_id and c.subdivision.fips})
    map_countries = sorted({c.destination_id for c in contacts})
    return render(request, "rights/help.html", {
        "contacts": contacts, "nationalities": sorted(nationalities.values(), key=str),
        "destinations": sorted(destinations.values(), key=str), "nationality": nationality,
        "destination": destination, "map_states": map_states, "map_countries": map_countries})


@require_GET
@counted("leaflet")
def leaflet_pdf(request, slug):
    from .leaflet import render_leaflet_pdf

    programme = get_restricted_or_404(published_programmes(request.user), request.user, slug=slug)
    lang = get_language() or "es"
    pdf = render_leaflet_pdf(request, programme)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="temporada-{programme.slug}-{lang}.pdf"'
    return response


@require_GET
def stats(request):
    if not _can_see_statistics(request.user):
        raise Http404()
    context = statistics(request.user)
    context["title"] = _("Verificaciones de ofertas y visitas: estadísticas anónimas")
    return render(request, "rights/stats.html", context)
