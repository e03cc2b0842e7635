"""The PDF country profile (WeasyPrint), in the request's language, from the same builders as the page.

Charts are drawn as server-side SVG next to their tables; every fetch is refused, so the PDF is made
without any network access (same rule as the programmes study)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from temporada.programmes.study import local_only_fetcher

from . import svg
from .profile import build_profile


def chart_svg(profile_chart) -> SafeString:
    pc = profile_chart
    if pc.kind == "table" or not pc.raw_rows:
        return SafeString("")
    labels = [r.get(pc.label_field) for r in pc.raw_rows]
    values = [r.get(pc.value_field) for r in pc.raw_rows]
    if pc.kind == "bars":
        return svg.bars(labels, values, title=pc.chart.title)
    return svg.columns(labels, values, title=pc.chart.title)


def profile_context(request, country, year):
    context = build_profile(request.user, country, year)
    context["sections"] = [
        {"chart": pc.chart, "svg": chart_svg(pc)}
        for key, pc in context["charts"].items()
        if key != "temporary-demand" or context["demand"]["is_destination"]
    ]
    context["generated"] = timezone.now()
    return context


def render_profile_html(request, country, year=None) -> str:
    return render_to_string("indicators/profile_pdf.html", profile_context(request, country, year), request=request)


def render_profile_pdf(request, country, year=None) -> bytes:
    from weasyprint import HTML

    html = render_profile_html(request, country, year)
    return HTML(string=html, base_url=None, url_fetcher=local_only_fetcher).write_pdf()
