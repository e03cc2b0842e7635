"""Indicator explorer: one or a few indicators × countries × years, as a chart, a table and a CSV.

World Bank indicators come from ``IndicatorValue``; "emigrants", "immigrants" and "population" are
series computed from the UN files (five-yearly stocks, WPP population)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from temporada.core.charts import Chart
from temporada.core.i18n import translated_value

from . import queries
from .catalogue import COUNTRY_INDICATORS, MIGRANT_STOCK, POPULATION
from .forms import STOCK_SERIES
from .models import MigrantStock, Population, Sex
from .profile import fmt

FIELDS = ["iso3", "country", "indicator", "indicator_name", "unit", "year", "value"]


def indicator_choices(user) -> dict[str, str]:
    """code → label in the active language, World Bank indicators first."""
    choices = {i.code: translated_value(i, "name") for i in queries.indicators(user)}
    choices.update({code: str(label) for code, label in STOCK_SERIES.items()})
    return choices


def indicator_units(user) -> dict[str, str]:
    units = {i.code: translated_value(i, "unit") for i in queries.indicators(user)}
    units.update({"emigrants": _("personas"), "immigrants": _("personas"), "population": _("miles de personas")})
    return units


def year_bounds(user) -> dict[str, tuple[int, int]]:
    bounds = queries.indicator_year_bounds(user)
    years = queries.stock_years(user)
    bounds["emigrants"] = bounds["immigrants"] = (years[0], years[-1])
    pop = Population.objects.restrict(user).values_list("year", flat=True)
    bounds["population"] = (min(pop, default=1950), max(pop, default=2021))
    return bounds


def _stock_rows(user, code, countries, start, end):
    from django.db.models import Sum

    field = "origin" if code == "emigrants" else "destination"
    qs = (MigrantStock.objects.restrict(user).filter(**{f"{field}__in": countries}, year__gte=start, year__lte=end)
          .values(field, "year").annotate(v=Sum("value")).order_by(field, "year"))
    return [(r[field], r["year"], r["v"]) for r in qs]


def series_rows(user, *, indicators: list[str], countries: list[str], start: int, end: int) -> list[dict]:
    names = queries.area_names(user)
    labels = indicator_choices(user)
    units = indicator_units(user)
    out = []
    for code in indicators:
        if code in ("emigrants", "immigrants"):
            triples = _stock_rows(user, code, countries, start, end)
        elif code == "population":
            triples = [(p.iso3, p.year, p.thousands) for p in Population.objects.restrict(user)
                       .filter(iso3__in=countries, sex=Sex.TOTAL, year__gte=start, year__lte=end).order_by("iso3", "year")]
        else:
            triples = [(r["iso3"], r["year"], r["value"]) for r in
                       queries.indicator_values(user, codes=[code], countries=countries, start=start, end=end)]
        out += [{"iso3": iso3, "country": names.get(iso3, iso3), "indicator": code, "indicator_name": labels[code],
                 "unit": units.get(code, ""), "year": year, "value": value} for iso3, year, value in triples]
    return out


def source_of(codes) -> str:
    parts = []
    if any(c in ("emigrants", "immigrants") for c in codes):
        parts.append(f"{MIGRANT_STOCK.publisher}, {MIGRANT_STOCK.version}")
    if "population" in codes:
        parts.append(POPULATION.version)
    if any(c not in STOCK_SERIES for c in codes):
        parts.append(COUNTRY_INDICATORS.publisher)
    return "; ".join(parts)


def explorer_chart(rows: list[dict], *, indicators: list[str], countries: list[str], csv_url: str, api_url: str,
                   names: dict) -> Chart:
    """Line chart per country (one panel per indicator when several), table years × series."""
    series_key = "series"
    values = [{**r, series_key: r["country"] if len(indicators) == 1 else f"{r['country']} · {r['indicator_name']}",
               "value": float(r["value"])} for r in rows]
    spec = {
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": _("Año")},
            "y": {"field": "value", "type": "quantitative", "title": rows[0]["unit"] if rows and len(indicators) == 1
                  else _("Valor"), "scale": {"zero": False}},
            "color": {"field": series_key, "type": "nominal", "title": _("Serie")},
            "tooltip": [{"field": series_key, "title": _("Serie")}, {"field": "year", "title": _("Año")},
                        {"field": "value", "title": _("Valor"), "format": ",.2~f"}],
        },
    }
    if len(indicators) > 1:
        spec["encoding"]["row"] = {"field": "indicator_name", "type": "nominal", "title": None}
        spec["resolve"] = {"scale": {"y": "independent"}}
        spec["width"] = 600
    # Table: one row per year, one column per series (country × indicator).
    series = []
    for code in indicators:
        for iso3 in countries:
            series.append((code, iso3))
    cells = {(r["indicator"], r["iso3"], r["year"]): r["value"] for r in rows}
    years = sorted({r["year"] for r in rows})
    columns = [("year", _("Año"))]
    labels = {r["indicator"]: r["indicator_name"] for r in rows}
    for code, iso3 in series:
        label = names.get(iso3, iso3) if len(indicators) == 1 else f"{names.get(iso3, iso3)} · {labels.get(code, code)}"
        columns.append((f"{code}:{iso3}", label))
    places = {code: (2 if code in ("inf", "unem", "birth", "depend", "polstb") else 0) for code in indicators}
    table = []
    for year in years:
        row = {"year": year}
        for code, iso3 in series:
            value = cells.get((code, iso3, year))
            row[f"{code}:{iso3}"] = fmt(value, places[code]) if value is not None else "—"
        table.append(row)
    title = ", ".join(labels.get(c, c) for c in indicators) if rows else _("Sin datos para esta consulta")
    return Chart(chart_id="explorer", title=title, spec=spec, columns=columns, rows=table,
                 source=source_of(indicators), as_of=str(years[-1]) if years else "", csv_url=csv_url, api_url=api_url,
                 notes=[_("«—»: el editor no publica un valor para ese año.")])
