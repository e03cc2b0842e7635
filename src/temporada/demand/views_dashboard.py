"""Demand dashboard: where, in which occupations and when temporary workers are requested, and at which wage.

Every chart is a ``core.charts.Chart`` built from ``aggregates.aggregate`` (or ``wage_quantiles``), so its
table view, its CSV download (``demand:dashboard_csv``) and its API link show the same rows. The filter
form is a plain GET form: the page works without JavaScript (tables instead of charts).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from temporada.core.charts import Chart, bar_spec
from temporada.core.exports import csv_response
from temporada.core.i18n import current_language

from .aggregates import (
    PROGRAMME_SOURCES,
    AggregateParams,
    Filters,
    aggregate,
    ensure_cubes,
    one_state,
    provenance,
    source_line,
    totals,
    wage_quantiles,
)
from .models import JobOrder, Source

GREEN = "#0b5d3b"


# --- the filter form -----------------------------------------------------------------------------------

class DashboardForm(AggregateParams):
    """The aggregates' parameters as selects (values are still validated by AggregateParams)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from temporada.core.i18n import translated_value
        from temporada.core.models import Country, Subdivision
        from temporada.occupations.models import IscoGroup

        years = _years()
        self.fields["fiscal_year"].widget = forms.Select(choices=[("", _("Todos"))] + [(y, y) for y in years])
        countries = Country.objects.filter(iso3__in=["USA", "CAN"]).order_by("iso3")
        self.fields["country"].widget = forms.Select(
            choices=[("", _("Todos"))] + [(c.iso3, translated_value(c, "name")) for c in countries])
        subdivisions = Subdivision.objects.filter(country_id__in=["USA", "CAN"]).order_by("country_id", "name_en")
        groups: dict[str, list] = {}
        for s in subdivisions:
            groups.setdefault(translated_value(s.country, "name"), []).append((s.code, translated_value(s, "name")))
        self.fields["subdivision"].widget = forms.Select(choices=[("", _("Todos"))] + list(groups.items()))
        isco = list(IscoGroup.objects.filter(level__in=[1, 2]).order_by("code"))
        occupation_choices: list = [("", _("Todas"))]
        for major in (g for g in isco if g.level == 1):
            subs = [(f"isco:{g.code}", f"{g.code} {translated_value(g, 'title')}") for g in isco
                    if g.level == 2 and g.code.startswith(major.code)]
            occupation_choices.append((f"{major.code} {translated_value(major, 'title')}",
                                       [(f"isco:{major.code}", _("%(code)s (todo el gran grupo)") % {"code": major.code})]
                                       + subs))
        value = (self.data.get("occupation") or "") if self.is_bound else ""
        if value and not value.startswith("isco:") or (value.startswith("isco:") and len(value) > 6):
            occupation_choices.append((value, value))  # a native or unit code given in the URL stays selectable
        self.fields["occupation"].widget = forms.Select(choices=occupation_choices)
        self.fields["counting"].widget = forms.RadioSelect(choices=self.fields["counting"].choices)


def _years() -> list[int]:
    from django.core.cache import cache

    from .aggregates import cube_stamp
    from .models import DemandCube

    stamp = cube_stamp(False)
    years = cache.get(f"demand:years:{stamp}") if stamp else None
    if years is None:
        source = DemandCube.objects if stamp else JobOrder.objects
        years = sorted(set(source.filter(is_synthetic=False).order_by().values_list("fiscal_year", flat=True)
                           .distinct()), reverse=True)
        if stamp:
            cache.set(f"demand:years:{stamp}", years, 24 * 3600)
    return years


# --- chart definitions ---------------------------------------------------------------------------------

@dataclass
class ChartDef:
    chart_id: str
    title: str
    group_by: list[str]
    columns: list[tuple[str, str]]
    limit: int = 500
    ignore: tuple[str, ...] = ()  # filters this chart leaves out (the trend shows every year)
    wages: str = ""  # wage_quantiles group instead of aggregate()
    only_country: str = ""
    description: str = ""
    ranked: bool | None = None


def _measure_columns():
    return [("positions_certified", _("Puestos certificados")), ("positions_requested", _("Puestos solicitados")),
            ("job_orders", _("Órdenes de trabajo"))]


def _wage_columns(group_label):
    return [(group_label[0], group_label[1]), ("currency", _("Moneda")), ("job_orders", _("Órdenes de trabajo")),
            ("p10", _("Percentil 10")), ("p25", _("Percentil 25")), ("median", _("Mediana")),
            ("p75", _("Percentil 75")), ("p90", _("Percentil 90"))]


def chart_defs() -> dict[str, ChartDef]:
    subdivision = ("worksite_subdivision_label", _("Estado o provincia"))
    defs = [
        ChartDef("map-us", _("Puestos certificados por estado del lugar de trabajo (EE. UU.)"), ["worksite_subdivision"],
                 [subdivision, ("worksite_subdivision", _("Código"))] + _measure_columns(), only_country="USA"),
        ChartDef("map-rcm", _("Puestos certificados o aprobados por país de destino de la CRM"), ["country"],
                 [("country_label", _("País")), ("country", _("Código"))] + _measure_columns()),
        ChartDef("subdivisions", _("Estados y provincias con más puestos"), ["worksite_subdivision"],
                 [subdivision, ("worksite_subdivision", _("Código"))] + _measure_columns(), limit=25, ranked=True),
        ChartDef("isco-major", _("Puestos por gran grupo de la CIUO-08"), ["isco_major"],
                 [("isco_major_label", _("Gran grupo CIUO-08"))] + _measure_columns()),
        ChartDef("isco-submajor", _("Puestos por subgrupo principal de la CIUO-08"), ["isco_submajor"],
                 [("isco_submajor_label", _("Subgrupo principal CIUO-08"))] + _measure_columns(), limit=20),
        ChartDef("native", _("Ocupaciones más solicitadas según el código publicado (SOC / CNP)"), ["native_code"],
                 [("native_code_label", _("Ocupación (código publicado)"))] + _measure_columns(), limit=20),
        ChartDef("season", _("Estacionalidad: puestos por mes de inicio y gran grupo de la CIUO-08"),
                 ["month", "isco_major"],
                 [("month_label", _("Mes de inicio")), ("isco_major_label", _("Gran grupo CIUO-08"))]
                 + _measure_columns(),
                 description=_("Mes de la fecha de inicio del empleo. Las listas de EIMT de Canadá no publican "
                               "fechas de inicio y no aparecen aquí.")),
        ChartDef("trend", _("Tendencia por programa y año fiscal"), ["programme", "fiscal_year"],
                 [("programme_label", _("Programa")), ("fiscal_year", _("Año fiscal")), ("period", _("Periodo"))]
                 + _measure_columns(), ignore=("fiscal_year",),
                 description=_("Todos los años disponibles con los demás filtros. EE. UU.: año fiscal federal "
                               "(octubre a septiembre); Canadá: año civil.")),
        ChartDef("employers", _("Empleadores con más puestos certificados"), ["employer"],
                 [("employer_label", _("Empleador"))] + _measure_columns(), limit=15),
        ChartDef("wages-occupation", _("Salario por hora ofrecido según el gran grupo de la CIUO-08"), [],
                 _wage_columns(("isco_major_label", _("Gran grupo CIUO-08"))), wages="isco_major", limit=10,
                 description=_("Una observación por orden de trabajo (casos principales). Barra: del percentil 25 "
                               "al 75; línea: del 10 al 90; marca: mediana.")),
        ChartDef("wages-state", _("Salario por hora ofrecido según el estado del lugar de trabajo"), [],
                 _wage_columns(subdivision), wages="worksite_subdivision", limit=15,
                 description=_("Los 15 estados o provincias con más órdenes de trabajo con salario publicado.")),
    ]
    return {d.chart_id: d for d in defs}


def chart_rows(d: ChartDef, filters: Filters) -> list[dict]:
    f = filters.without(*d.ignore)
    if d.only_country:
        if f.country and f.country != d.only_country:
            return []
        f = Filters(**{**f.__dict__, "country": d.only_country})
    if d.wages:
        return wage_quantiles(f, d.wages, limit=d.limit)
    rows = aggregate(f, d.group_by, limit=d.limit, ranked=d.ranked)
    if d.chart_id == "map-us":
        from temporada.core.models import Subdivision

        fips = dict(Subdivision.objects.filter(country_id="USA").values_list("code", "fips"))
        for row in rows:
            row["fips"] = fips.get(row["worksite_subdivision"], "")
    if d.chart_id in ("subdivisions", "employers", "native", "isco-submajor", "season"):
        rows = [r for r in rows if r[d.group_by[0]] not in (None, "")]
    return rows


# --- specs ---------------------------------------------------------------------------------------------

def _month_axis():
    names = [_("ene"), _("feb"), _("mar"), _("abr"), _("may"), _("jun"), _("jul"), _("ago"), _("sep"), _("oct"),
             _("nov"), _("dic")]
    return "[" + ",".join(f"'{n}'" for n in names) + "][datum.value - 1]"


def _tooltip(label_field, label):
    return [{"field": label_field, "title": label},
            {"field": "positions_certified", "title": _("Puestos certificados"), "format": ","},
            {"field": "job_orders", "title": _("Órdenes de trabajo"), "format": ","}]


def _choropleth(rows, *, shapes, key, feature_key, label_field, projection):
    return {
        "data": {"url": static(shapes), "format": {"type": "json", "property": "features"}},
        "transform": [{"lookup": feature_key, "from": {"data": {"values": rows}, "key": key,
                                                      "fields": ["positions_certified", "job_orders", label_field]},
                       "default": 0}],
        "projection": {"type": projection},
        "height": 320,
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.6},
        "encoding": {
            "color": {"field": "positions_certified", "type": "quantitative", "title": _("Puestos certificados"),
                      "scale": {"scheme": "greens"}},
            "tooltip": [{"field": "properties.name" if key == "fips" else f"properties.name_{current_language()}",
                         "title": _("Lugar")},
                        {"field": "positions_certified", "title": _("Puestos certificados"), "format": ","}],
        },
    }


def _wage_spec(label_field, label):
    y = {"field": label_field, "type": "nominal", "title": label, "sort": None}
    x_title = _("Salario por hora")
    return {
        "height": {"step": 22},
        "layer": [
            {"mark": {"type": "rule", "color": "#5f6b66"},
             "encoding": {"y": y, "x": {"field": "p10", "type": "quantitative", "title": x_title, "scale": {"zero": False}},
                          "x2": {"field": "p90"}}},
            {"mark": {"type": "bar", "size": 14, "color": "#7fbf9b"},
             "encoding": {"y": y, "x": {"field": "p25", "type": "quantitative"}, "x2": {"field": "p75"},
                          "tooltip": [{"field": label_field, "title": label}, {"field": "currency"},
                                      {"field": "p10", "title": "P10"}, {"field": "p25", "title": "P25"},
                                      {"field": "median", "title": _("Mediana")}, {"field": "p75", "title": "P75"},
                                      {"field": "p90", "title": "P90"},
                                      {"field": "job_orders", "title": _("Órdenes de trabajo")}]}},
            {"mark": {"type": "tick", "color": GREEN, "thickness": 3, "size": 16},
             "encoding": {"y": y, "x": {"field": "median", "type": "quantitative"}}},
        ],
    }


def _empty_spec() -> dict:
    return {"data": {"values": [{"text": _("Sin datos para estos filtros.")}]}, "height": 40,
            "mark": {"type": "text", "fontSize": 14, "color": "#5f6b66"}, "encoding": {"text": {"field": "text"}}}


def build_spec(d: ChartDef, rows) -> dict:
    if not rows and not d.chart_id.startswith("map-"):
        return _empty_spec()
    if d.chart_id == "map-us":
        return _choropleth(rows, shapes="core/geo/us_states.geojson", key="fips", feature_key="id",
                           label_field="worksite_subdivision_label", projection="albersUsa")
    if d.chart_id == "map-rcm":
        return _choropleth(rows, shapes="core/geo/rcm_countries.geojson", key="country", feature_key="id",
                           label_field="country_label", projection="equalEarth")
    if d.chart_id == "season":
        return {
            "mark": "rect",
            "encoding": {
                "x": {"field": "month", "type": "ordinal", "title": _("Mes de inicio"),
                      "scale": {"domain": list(range(1, 13))},
                      "axis": {"labelExpr": _month_axis(), "labelAngle": 0}},
                "y": {"field": "isco_major_label", "type": "nominal", "title": None,
                      "axis": {"labelLimit": 160}},
                "color": {"field": "positions_certified", "type": "quantitative", "title": _("Puestos certificados"),
                          "scale": {"scheme": "greens"}},
                "tooltip": [{"field": "month_label", "title": _("Mes")},
                            {"field": "isco_major_label", "title": _("Gran grupo")},
                            {"field": "positions_certified", "title": _("Puestos certificados"), "format": ","}],
            },
        }
    if d.chart_id == "trend":
        return {
            "mark": {"type": "line", "point": {"filled": True, "size": 50}},
            "encoding": {
                "x": {"field": "fiscal_year", "type": "ordinal", "title": _("Año fiscal")},
                "y": {"field": "positions_certified", "type": "quantitative", "title": _("Puestos certificados")},
                "color": {"field": "programme_label", "type": "nominal", "title": _("Programa"),
                          "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260}},
                "strokeDash": {"field": "period", "type": "nominal", "title": _("Periodo"), "legend": None},
                "tooltip": [{"field": "programme_label", "title": _("Programa")},
                            {"field": "fiscal_year", "title": _("Año fiscal")}, {"field": "period", "title": _("Periodo")},
                            {"field": "positions_certified", "title": _("Puestos certificados"), "format": ","}],
            },
        }
    if d.wages:
        label = d.columns[0]
        return _wage_spec(label[0], label[1])
    label_field, label = d.columns[0]
    spec = bar_spec(x=label_field, y="positions_certified", x_title=label, y_title=_("Puestos certificados"))
    spec["encoding"]["y"]["axis"] = {"labelLimit": 180}
    spec["encoding"]["tooltip"] = _tooltip(label_field, label)
    return spec


# --- views ---------------------------------------------------------------------------------------------

def _filters_from(request) -> tuple[DashboardForm, Filters]:
    form = DashboardForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, Filters.from_cleaned(form.cleaned_data)
    return form, Filters()


def _mark_partial(rows, prov):
    partial = set(map(tuple, prov["partial_years"]))
    for row in rows:
        sources = PROGRAMME_SOURCES.get(row.get("programme"), [Source.LMIA])
        row["period"] = _("parcial") if any((s, row["fiscal_year"]) in partial for s in sources) else _("año completo")


def build_chart(d: ChartDef, filters: Filters, prov_cache: dict) -> Chart:
    rows = chart_rows(d, filters)
    key = d.ignore
    if key not in prov_cache:
        prov_cache[key] = provenance(filters.without(*d.ignore))
    prov = prov_cache[key]
    if d.chart_id == "trend":
        _mark_partial(rows, prov)
    query = filters.without(*d.ignore).query_items()
    api_query = dict(query)
    if d.only_country:
        api_query["country"] = d.only_country
    if d.wages:
        api_url = "/api/v1/demand/wages?" + urlencode({"group_by": d.wages, **api_query, "limit": d.limit})
    else:
        order = {"order": "positions"} if d.ranked else {}
        api_url = "/api/v1/demand/aggregates?" + urlencode({"group_by": ",".join(d.group_by), **api_query,
                                                            "limit": d.limit, **order})
    notes = []
    columns = [(f, str(lbl)) for f, lbl in d.columns]
    if prov["partial"]:
        notes.append(_("Incluye archivos de periodo parcial (solo los primeros trimestres del año fiscal): %(files)s.")
                     % {"files": ", ".join(f"{p['file']} ({p['period']})" for p in prov["partial"])})
    if filters.counting == "primary" and not d.wages:
        differ = [r for r in rows if r["positions_certified_all_rows"] != r["positions_certified"]]
        if differ:
            # Both figures side by side in the table view.
            at = [f for f, _label in columns].index("positions_certified") + 1
            columns.insert(at, ("positions_certified_all_rows", _("Certificados, todas las filas")))
            notes.append(_("Casos principales. Sumando también las filas repetidas de miembros de asociaciones "
                           "(archivos H-2A del OFLC hasta 2019), %(n)d de estas filas darían otra cifra; la columna «todas las "
                           "filas» de la tabla las muestra.") % {"n": len(differ)})
    return Chart(
        chart_id=d.chart_id, title=str(d.title), spec=build_spec(d, rows), columns=columns,
        rows=rows, source=source_line(prov), as_of=prov["as_of"],
        csv_url=reverse("demand:dashboard_csv", args=[d.chart_id]) + ("?" + urlencode(query) if query else ""),
        api_url=api_url, description=str(d.description), notes=notes,
    )


@require_GET
def dashboard(request):
    with one_state():
        return _dashboard(request)


def _dashboard(request):
    ensure_cubes()
    form, filters = _filters_from(request)
    prov_cache: dict = {}
    defs = chart_defs()
    charts = {}
    for chart_id, d in defs.items():
        if d.only_country and filters.country and filters.country != d.only_country:
            continue
        charts[chart_id] = build_chart(d, filters, prov_cache)
    headline = totals(filters)
    prov = prov_cache.get(()) or provenance(filters)
    sections = []
    for section_id, title, intro, ids in SECTIONS:
        sections.append({"id": section_id, "title": title, "intro": intro,
                         "charts": [charts[i] for i in ids if i in charts]})
    return render(request, "demand/dashboard.html", {
        "form": form, "filters": filters, "sections": sections, "totals": headline, "provenance": prov,
        "differs": headline["positions_certified_all_rows"] != headline["positions_certified_primary"],
        "api_base": "/api/v1/demand/aggregates",
    })


SECTIONS = [
    ("where", gettext_lazy("Dónde"), gettext_lazy("Lugar de trabajo declarado en cada orden (el estado o provincia "
                                                  "principal cuando hay varios lugares)."),
     ["map-us", "map-rcm", "subdivisions"]),
    ("what", gettext_lazy("Qué ocupaciones"), gettext_lazy("Ocupación publicada (SOC, O*NET-SOC o CNP) y su "
                                                            "correspondencia con la CIUO-08."),
     ["isco-major", "isco-submajor", "native"]),
    ("when", gettext_lazy("Cuándo"), "", ["season", "trend"]),
    ("who", gettext_lazy("Quién"), "", ["employers"]),
    ("wages", gettext_lazy("Salarios"), gettext_lazy("Salario por hora ofrecido en su moneda (dólares de EE. UU. "
                                                      "en las órdenes de EE. UU.)."),
     ["wages-occupation", "wages-state"]),
]

CSV_EXTRA = ["positions_certified_primary", "positions_certified_all_rows"]


@require_GET
def dashboard_csv(request, chart_id):
    d = chart_defs().get(chart_id)
    if d is None:
        raise Http404
    form = AggregateParams(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    filters = Filters.from_cleaned(form.cleaned_data) if form.is_bound else Filters()
    with one_state():
        ensure_cubes()
        chart = build_chart(d, filters, {})
    fields = [f for f, _label in chart.columns]
    keys = [k for k in d.group_by if k not in fields]
    extra = [] if d.wages else [c for c in CSV_EXTRA if c not in fields]
    header = fields + keys + extra + ["source", "as_of"]
    rows = ([row.get(f) for f in fields + keys + extra] + [chart.source, chart.as_of] for row in chart.rows)
    return csv_response(f"temporada-demand-{chart_id}.csv", header, rows)


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("dashboard/<slug:chart_id>.csv", dashboard_csv, name="dashboard_csv"),
]
