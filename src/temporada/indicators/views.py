"""Statistics pages. Thin: validation in forms.py, reads in queries/profile/explorer/corridors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from temporada.core.exports import csv_response
from temporada.core.models import Country
from temporada.core.restrict import get_restricted_or_404

from . import corridors as corridor_views
from . import explorer, queries, services
from .forms import (
    MAX_CELLS,
    MAX_COUNTRIES,
    MAX_INDICATORS,
    SEX_CHOICES,
    CorridorForm,
    DatasetEditForm,
    ExplorerForm,
    YearForm,
    year_error_message,
)
from .models import Dataset, ImportBatch
from .opendata import catalogue_entries, dataset_rows, download_catalog_path, download_path
from .profile import PROFILE_CHARTS, build_chart, build_profile, fmt

DEFAULT_EXPLORER = {"indicator": ["remin"], "country": ["GTM", "HND", "SLV", "MEX"], "start": "2000"}
MAX_PREVIEW = 20
MAX_REJECTS_SHOWN = 200


def _error_page(request, message: str, status: int = 400):
    return render(request, "indicators/error.html", {"message": message}, status=status)


def _rcm_country(request, iso3: str) -> Country:
    """Profiles exist for the RCM members; any other code, like a missing one, is a 404."""
    code = str(iso3)
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise Http404()
    return get_restricted_or_404(Country.objects.filter(is_rcm_member=True), request.user, iso3=code.upper())


def _profile_year(request):
    form = YearForm(request.GET)
    if not form.is_valid():
        return None, _error_page(request, year_error_message())
    return form.cleaned_data["year"], None


@require_GET
def home(request):
    year = queries.latest_stock_year(request.user)
    overview = queries.rcm_overview(request.user, year)
    from temporada.core.charts import Chart

    long = []
    for row in overview:
        long += [{"country": row["name"], "kind": _("Emigrantes"), "value": row["emigrants"]},
                 {"country": row["name"], "kind": _("Inmigrantes"), "value": row["immigrants"]}]
    chart = Chart(
        chart_id="rcm-overview", title=_("Emigrantes e inmigrantes de los países de la CRM, %(year)d") % {"year": year},
        spec={"data": {"values": long}, "mark": "bar",
              "encoding": {"y": {"field": "country", "type": "nominal", "title": _("País"), "sort": "-x"},
                           "yOffset": {"field": "kind"},
                           "x": {"field": "value", "type": "quantitative", "title": _("Personas")},
                           "color": {"field": "kind", "type": "nominal", "title": None,
                                     "scale": {"range": ["#0b5d3b", "#b35900"]}, "legend": {"orient": "bottom"}},
                           "tooltip": [{"field": "country"}, {"field": "kind"}, {"field": "value", "format": ","}]}},
        columns=[("name", _("País")), ("emigrants", _("Emigrantes")), ("immigrants", _("Inmigrantes"))],
        rows=[{"code": r["code"], "name": r["name"], "emigrants": fmt(r["emigrants"]), "immigrants": fmt(r["immigrants"])}
              for r in overview],
        source=_("ONU DAES, International Migrant Stock 2020"), as_of=str(year),
        csv_url=reverse("indicators:overview_csv"), api_url=f"/api/v1/indicators/overview?year={year}",
    )
    return render(request, "indicators/home.html", {"overview": overview, "chart": chart, "year": year,
                                                    "loaded": any(r["emigrants"] for r in overview)})


@require_GET
def overview_csv(request):
    year = queries.latest_stock_year(request.user)
    rows = queries.rcm_overview(request.user, year)
    return csv_response(f"temporada-rcm-overview-{year}.csv", ["iso3", "country", "year", "emigrants", "immigrants"],
                        ([r["code"], r["name"], year, r["emigrants"], r["immigrants"]] for r in rows))


@require_GET
def profile(request, iso3):
    country = _rcm_country(request, iso3)
    year, error = _profile_year(request)
    if error:
        return error
    context = build_profile(request.user, country, year)
    context["years"] = queries.stock_years(request.user)
    context["pdf_links"] = []
    for code in ("es", "en", "fr"):
        with translation.override(code):
            context["pdf_links"].append((code, reverse("indicators:profile_pdf", args=[country.iso3])))
    return render(request, "indicators/profile.html", context)


@require_GET
def profile_chart_csv(request, iso3, chart_id):
    country = _rcm_country(request, iso3)
    if chart_id not in PROFILE_CHARTS:
        raise Http404()
    year, error = _profile_year(request)
    if error:
        return error
    chart = build_chart(request.user, country, chart_id, year)
    return csv_response(f"temporada-{country.iso3}-{chart_id}.csv", chart.fields, chart.export_rows())


@require_GET
def profile_pdf(request, iso3):
    from .pdf import render_profile_pdf

    country = _rcm_country(request, iso3)
    year, error = _profile_year(request)
    if error:
        return error
    pdf = render_profile_pdf(request, country, year)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="temporada-profile-{country.iso3}-'
                                       f'{request.LANGUAGE_CODE}.pdf"')
    return response


@require_GET
def corridors(request):
    codes = queries.known_area_codes(request.user)
    form = CorridorForm(request.GET or None, countries=codes)
    context = {"form": form, "rcm": queries.rcm_countries(request.user)}
    if request.GET and not form.is_valid():
        return render(request, "indicators/corridors.html", context, status=400)
    data = form.cleaned_data if request.GET else {"year": 2020, "sex": "total", "scope": "rcm", "country": ""}
    among = queries.rcm_codes(request.user) if data["scope"] == "rcm" else None
    rows = queries.corridors(request.user, year=data["year"], sex=data["sex"], among=among,
                             country=data["country"] or None, limit=500 if among else 100)
    query = f"year={data['year']}&sex={data['sex']}&scope={data['scope']}" + (
        f"&country={data['country']}" if data["country"] else "")
    if request.GET.get("format") == "csv":
        return csv_response(f"temporada-corridors-{data['year']}-{data['sex']}.csv",
                            ["origin_iso3", "origin", "destination_iso3", "destination", "year", "sex", "migrant_stock"],
                            ([r["origin"], r["origin_name"], r["destination"], r["destination_name"], r["year"],
                              r["sex"], r["value"]] for r in rows))
    sex_label = dict(SEX_CHOICES)[data["sex"]]
    context.update({
        "data": data, "rows": rows, "map": corridor_views.map_data(rows),
        "chart": corridor_views.corridor_chart(rows, year=data["year"], sex_label=str(sex_label),
                                               csv_url=f"{request.path}?{query}&format=csv",
                                               api_url=f"/api/v1/indicators/corridors?{query}"),
    })
    return render(request, "indicators/corridors.html", context)


@require_GET
def explorer_view(request):
    user = request.user
    choices = explorer.indicator_choices(user)
    params = request.GET if request.GET.get("indicator") or request.GET.get("country") else None
    query = params
    if query is None:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for key, values in DEFAULT_EXPLORER.items():
            query.setlist(key, values if isinstance(values, list) else [values])
    known = queries.known_area_codes(user)
    form = ExplorerForm(query, indicators=choices, countries=known, bounds=explorer.year_bounds(user))
    names = queries.area_names(user)
    context = {"form": form, "choices": choices, "rcm": queries.rcm_countries(user),
               "others": sorted(((c, n) for c, n in names.items() if c in known), key=lambda item: item[1]),
               "selected_indicators": form.raw_indicators, "selected_countries": form.raw_countries,
               "rcm_codes": queries.rcm_codes(user), "max_indicators": MAX_INDICATORS, "max_countries": MAX_COUNTRIES,
               "max_cells": MAX_CELLS}
    if not form.is_valid():
        return render(request, "indicators/explorer.html", context, status=400)
    data = form.cleaned_data
    rows = explorer.series_rows(user, indicators=data["indicators"], countries=data["countries"], start=data["start"],
                                end=data["end"])
    querystring = "&".join([f"indicator={c}" for c in data["indicators"]] + [f"country={c}" for c in data["countries"]]
                           + [f"start={data['start']}", f"end={data['end']}"])
    if request.GET.get("format") == "csv":
        return csv_response("temporada-indicators.csv", explorer.FIELDS,
                            ([r[f] for f in explorer.FIELDS] for r in rows))
    context.update({"data": data, "rows": rows,
                    "chart": explorer.explorer_chart(rows, indicators=data["indicators"], countries=data["countries"],
                                                     csv_url=f"{request.path}?{querystring}&format=csv",
                                                     api_url=f"/api/v1/indicators/series?{querystring}", names=names)})
    return render(request, "indicators/explorer.html", context)


@require_GET
def catalog(request):
    entries = catalogue_entries(request.user)
    for entry in entries:
        entry["downloads"] = [(fmt.upper(), download_path(entry["dataset"].key, fmt)) for fmt in ("csv", "json")]
    return render(request, "indicators/catalog.html", {"entries": entries, "dcat_url": download_catalog_path()})


@require_GET
def dataset(request, key):
    ds = get_restricted_or_404(Dataset.objects.all(), request.user, key=key)
    entry = next((e for e in catalogue_entries(request.user) if e["dataset"].key == ds.key), None)
    if entry is None:
        raise Http404()
    batches = list(ImportBatch.objects.restrict(request.user).filter(dataset=ds)[:10])
    current = next((b for b in batches if b.is_current), None)
    rejects = list(current.rejects.all()[:MAX_REJECTS_SHOWN]) if current else []
    preview = []
    for row in dataset_rows(request.user, ds.key):
        preview.append(row)
        if len(preview) >= MAX_PREVIEW:
            break
    return render(request, "indicators/dataset.html", {
        **entry, "batches": batches, "current": current, "rejects": rejects, "preview": preview,
        "columns": entry["info"].columns, "max_rejects": MAX_REJECTS_SHOWN,
        "can_edit": Dataset.objects.restrict(request.user, "change").filter(pk=ds.pk).exists(),
        "downloads": [(fmt.upper(), download_path(ds.key, fmt)) for fmt in ("csv", "json")],
        "dcat_url": download_catalog_path()})


@login_required
@require_http_methods(["GET", "POST"])
def dataset_edit(request, key):
    """Administrators correct a catalogue entry (audited service); anyone else gets the same 404 as a missing key."""
    ds = get_restricted_or_404(Dataset.objects.all(), request.user, "change", key=key)
    form = DatasetEditForm(request.POST or None, instance=Dataset.objects.get(pk=ds.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_dataset(actor=request.user, dataset=ds, changes=changes, request=request)
        except PermissionDenied:
            raise Http404() from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ficha del conjunto de datos guardada."))
            return redirect("indicators:dataset", key=ds.key)
    return render(request, "indicators/dataset_edit.html", {"form": form, "dataset": ds})
