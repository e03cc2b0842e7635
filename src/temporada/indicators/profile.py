"""Country profiles (in the manner of the OAS SICREMI reports): figures and charts of one country.

Each chart is a ``ProfileChart``: the Vega-Lite ``Chart`` for the page (its table shows formatted
numbers), and the raw rows with stable field names behind its CSV download, its API endpoint and
the PDF. The page, the PDF, the CSV and the API all call the same builder, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from temporada.core.charts import Chart, bar_spec
from temporada.core.i18n import translated_value
from temporada.core.models import Country

from . import queries
from .catalogue import COUNTRY_INDICATORS, MIGRANT_STOCK, POPULATION
from .demand import demand_by_destination, demand_status, sources_for
from .phrases import country_phrases

TOP_PARTNERS = 10
GREEN, ORANGE = "#0b5d3b", "#b35900"


def fmt(value, places: int = 0) -> str:
    """A number as people read it in the active language (grouped thousands)."""
    if value is None:
        return ""
    # number_format truncates extra decimals; round half-up first so 18,204.55 shows as 18,204.6.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


@dataclass
class ProfileChart:
    chart: Chart
    fields: list[str]  # column names of the CSV / API rows
    raw_rows: list[dict]
    kind: str = "bars"  # how the PDF draws it: "bars" (horizontal), "columns" (by year), "table"
    value_field: str = ""
    label_field: str = ""

    @property
    def chart_id(self) -> str:
        return self.chart.chart_id

    def export_rows(self):
        return [[row.get(f) for f in self.fields] for row in self.raw_rows]


@dataclass
class ProfileContext:
    user: object
    country: Country
    year: int
    names: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)

    @property
    def iso3(self) -> str:
        return self.country.iso3

    @property
    def name(self) -> str:
        return translated_value(self.country, "name")

    @property
    def phrases(self) -> dict[str, str]:
        return country_phrases(self.iso3, self.name)

    def cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def emigrants(self):
        return self.cached("emigrants", lambda: queries.emigrant_series(self.user, self.iso3))

    def immigrants(self):
        return self.cached("immigrants", lambda: queries.immigrant_series(self.user, self.iso3))

    def population(self):
        return self.cached("population", lambda: queries.population_series(self.user, self.iso3))

    def indicator(self, code):
        return self.cached(("ind", code), lambda: queries.indicator_series(self.user, self.iso3, code))


def make_context(user, country: Country, year: int | None = None) -> ProfileContext:
    return ProfileContext(user=user, country=country, year=year or queries.latest_stock_year(user),
                          names=queries.area_names(user))


def _urls(ctx: ProfileContext, chart_id: str) -> dict:
    return {"csv_url": reverse("indicators:profile_chart_csv", args=[ctx.iso3, chart_id]) + f"?year={ctx.year}",
            "api_url": f"/api/v1/indicators/countries/{ctx.iso3}/charts/{chart_id}?year={ctx.year}"}


def _stock_source() -> str:
    return f"{MIGRANT_STOCK.publisher}, {MIGRANT_STOCK.version}"


def _trend(ctx: ProfileContext, chart_id: str, series: list[dict], title: str, description: str) -> ProfileChart:
    long = []
    for row in series:
        long += [{"year": row["year"], "sex": _("Mujeres"), "value": row["female"]},
                 {"year": row["year"], "sex": _("Hombres"), "value": row["male"]}]
    spec = {
        "data": {"values": long},
        "mark": "bar",
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": _("Año")},
            "y": {"field": "value", "type": "quantitative", "title": _("Personas"), "stack": "zero"},
            "color": {"field": "sex", "type": "nominal", "title": _("Sexo"),
                      "scale": {"range": [ORANGE, GREEN]}},
            "tooltip": [{"field": "year", "title": _("Año")}, {"field": "sex", "title": _("Sexo")},
                        {"field": "value", "title": _("Personas"), "format": ","}],
        },
    }
    display = [{"year": r["year"], "female": fmt(r["female"]), "male": fmt(r["male"]), "total": fmt(r["total"]),
                "women_share": fmt(r["women_share"], 1)} for r in series]
    chart = Chart(chart_id=chart_id, title=title, description=description, spec=spec,
                  columns=[("year", _("Año")), ("female", _("Mujeres")), ("male", _("Hombres")),
                           ("total", _("Total")), ("women_share", _("% mujeres"))],
                  rows=display, source=_stock_source(), as_of=str(series[-1]["year"]) if series else "",
                  **_urls(ctx, chart_id))
    raw = [{"country": ctx.iso3, **r} for r in series]
    return ProfileChart(chart, ["country", "year", "female", "male", "total", "women_share"], raw, kind="columns",
                        value_field="total", label_field="year")


def chart_emigrants(ctx: ProfileContext) -> ProfileChart:
    return _trend(ctx, "emigrants", ctx.emigrants(), _("Emigrantes: personas nacidas %(in_country)s que viven en otro país")
                  % {"in_country": ctx.phrases["in"]}, _("Stock a mitad de año, por sexo."))


def chart_immigrants(ctx: ProfileContext) -> ProfileChart:
    return _trend(ctx, "immigrants", ctx.immigrants(), _("Inmigrantes: personas nacidas en otro país que viven %(in_country)s")
                  % {"in_country": ctx.phrases["in"]}, _("Stock a mitad de año, por sexo."))


def _partners_chart(ctx: ProfileContext, chart_id: str, direction: str, title: str) -> ProfileChart:
    rows = queries.partners(ctx.user, ctx.iso3, direction=direction, year=ctx.year, limit=TOP_PARTNERS,
                            names=ctx.names)
    label = _("Destino") if direction == "out" else _("Origen")
    values = [{"name": r["name"], "value": r["value"]} for r in rows if r["code"]]
    spec = bar_spec(x="name", y="value", x_title=label, y_title=_("Personas"))
    spec["data"] = {"values": values}
    display = [{"name": r["name"], "value": fmt(r["value"]), "share": fmt(r["share"], 1)} for r in rows]
    chart = Chart(chart_id=chart_id, title=title, spec=spec,
                  description=_("Año %(year)d. Los %(n)d principales; la última fila suma el resto.")
                  % {"year": ctx.year, "n": TOP_PARTNERS},
                  columns=[("name", label), ("value", _("Personas")), ("share", _("% del total"))], rows=display,
                  source=_stock_source(), as_of=str(ctx.year), **_urls(ctx, chart_id))
    raw = [{"country": ctx.iso3, "year": ctx.year, "partner": r["code"] or "REST", "partner_name": r["name"],
            "migrant_stock": r["value"], "share_percent": r["share"]} for r in rows]
    return ProfileChart(chart, ["country", "year", "partner", "partner_name", "migrant_stock", "share_percent"], raw,
                        value_field="migrant_stock", label_field="partner_name")


def chart_destinations(ctx: ProfileContext) -> ProfileChart:
    return _partners_chart(ctx, "destinations", "out",
                           _("Principales países de residencia de los emigrantes %(of_country)s")
                           % {"of_country": ctx.phrases["of"]})


def chart_origins(ctx: ProfileContext) -> ProfileChart:
    return _partners_chart(ctx, "origins", "in",
                           _("Principales países de nacimiento de los inmigrantes %(in_country)s")
                           % {"in_country": ctx.phrases["in"]})


def chart_rcm_corridors(ctx: ProfileContext) -> ProfileChart:
    """The country's corridors with the other RCM members, both ways."""
    codes = [c for c in queries.rcm_codes(ctx.user) if c != ctx.iso3]
    pairs = queries.corridors(ctx.user, year=ctx.year, among=codes + [ctx.iso3], country=ctx.iso3, names=ctx.names)
    out = {p["destination"]: p["value"] for p in pairs if p["origin"] == ctx.iso3}
    inn = {p["origin"]: p["value"] for p in pairs if p["destination"] == ctx.iso3}
    rows = sorted(({"partner": c, "partner_name": ctx.names.get(c, c), "emigrants_there": out.get(c, 0),
                    "immigrants_from": inn.get(c, 0)} for c in codes),
                  key=lambda r: -(r["emigrants_there"] + r["immigrants_from"]))
    to_label = _("%(country)s → país") % {"country": ctx.name}
    from_label = _("País → %(country)s") % {"country": ctx.name}
    long = []
    for r in rows:
        long += [{"partner": r["partner_name"], "direction": to_label, "value": r["emigrants_there"]},
                 {"partner": r["partner_name"], "direction": from_label, "value": r["immigrants_from"]}]
    spec = {
        "data": {"values": long},
        "mark": "bar",
        "encoding": {
            "y": {"field": "partner", "type": "nominal", "title": _("País de la CRM"), "sort": None},
            "yOffset": {"field": "direction"},
            "x": {"field": "value", "type": "quantitative", "title": _("Personas")},
            "color": {"field": "direction", "type": "nominal", "title": _("Sentido"),
                      "scale": {"range": [GREEN, ORANGE]}, "legend": {"orient": "bottom"}},
            "tooltip": [{"field": "partner"}, {"field": "direction"}, {"field": "value", "format": ","}],
        },
    }
    display = [{"partner_name": r["partner_name"], "emigrants_there": fmt(r["emigrants_there"]),
                "immigrants_from": fmt(r["immigrants_from"])} for r in rows]
    chart = Chart(chart_id="rcm-corridors", title=_("Corredores con los demás países de la CRM, %(year)d")
                  % {"year": ctx.year},
                  description=_("Personas nacidas en un país que viven en el otro."), spec=spec,
                  columns=[("partner_name", _("País")), ("emigrants_there", to_label), ("immigrants_from", from_label)],
                  rows=display, source=_stock_source(), as_of=str(ctx.year), **_urls(ctx, "rcm-corridors"))
    raw = [{"country": ctx.iso3, "year": ctx.year, **r} for r in rows]
    return ProfileChart(chart, ["country", "year", "partner", "partner_name", "emigrants_there", "immigrants_from"],
                        raw, kind="table")


def _indicator_source() -> str:
    return COUNTRY_INDICATORS.publisher


def chart_remittances(ctx: ProfileContext) -> ProfileChart:
    received = {r["year"]: r["value"] for r in ctx.indicator("remin")}
    paid = {r["year"]: r["value"] for r in ctx.indicator("remout")}
    years = sorted(set(received) | set(paid))
    rec_label, paid_label = _("Recibidas"), _("Enviadas")
    long = [{"year": y, "flow": rec_label, "value": round(received[y] / 1e6, 1)} for y in years if y in received]
    long += [{"year": y, "flow": paid_label, "value": round(paid[y] / 1e6, 1)} for y in years if y in paid]
    spec = {
        "data": {"values": long},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": _("Año")},
            "y": {"field": "value", "type": "quantitative", "title": _("Millones de USD corrientes")},
            "color": {"field": "flow", "type": "nominal", "title": _("Remesas"), "scale": {"range": [GREEN, ORANGE]}},
            "tooltip": [{"field": "year"}, {"field": "flow"}, {"field": "value", "format": ",.1f"}],
        },
    }
    display = [{"year": y, "received": fmt(received[y] / 1e6, 1) if y in received else "",
                "paid": fmt(paid[y] / 1e6, 1) if y in paid else ""} for y in years]
    chart = Chart(chart_id="remittances", title=_("Remesas de trabajadores, %(country)s") % {"country": ctx.name},
                  description=_("Millones de dólares estadounidenses corrientes."), spec=spec,
                  columns=[("year", _("Año")), ("received", _("Recibidas (millones USD)")),
                           ("paid", _("Enviadas (millones USD)"))],
                  rows=display, source=_indicator_source(), as_of=str(years[-1]) if years else "",
                  notes=[_("La relación de las remesas con el PIB no se muestra: los datos cargados no incluyen el PIB "
                           "en dólares corrientes, y dividir por el PIB en paridad de poder adquisitivo daría una "
                           "cifra que no es la publicada.")],
                  **_urls(ctx, "remittances"))
    raw = [{"country": ctx.iso3, "year": y, "remittances_received_usd": received.get(y),
            "remittances_paid_usd": paid.get(y)} for y in years]
    return ProfileChart(chart, ["country", "year", "remittances_received_usd", "remittances_paid_usd"], raw,
                        kind="columns", value_field="remittances_received_usd", label_field="year")


def _single_indicator(ctx: ProfileContext, chart_id: str, code: str, title: str, y_title: str, places: int,
                      mark: str = "line") -> ProfileChart:
    series = ctx.indicator(code)
    spec = {
        "data": {"values": series},
        "mark": {"type": mark, "point": True, "color": GREEN} if mark == "line" else {"type": mark, "color": GREEN},
        "encoding": {"x": {"field": "year", "type": "ordinal", "title": _("Año")},
                     "y": {"field": "value", "type": "quantitative", "title": y_title},
                     "tooltip": [{"field": "year"}, {"field": "value", "format": ",." + str(places) + "f"}]},
    }
    display = [{"year": r["year"], "value": fmt(r["value"], places)} for r in series]
    chart = Chart(chart_id=chart_id, title=title, spec=spec, columns=[("year", _("Año")), ("value", y_title)],
                  rows=display, source=_indicator_source(), as_of=str(series[-1]["year"]) if series else "",
                  **_urls(ctx, chart_id))
    raw = [{"country": ctx.iso3, "indicator": code, "year": r["year"], "value": r["value"]} for r in series]
    return ProfileChart(chart, ["country", "indicator", "year", "value"], raw, kind="columns", value_field="value",
                        label_field="year")


def chart_net_migration(ctx: ProfileContext) -> ProfileChart:
    return _single_indicator(ctx, "net-migration", "nmig", _("Migración neta, %(country)s") % {"country": ctx.name},
                             _("Personas (inmigrantes menos emigrantes)"), 0, mark="bar")


def chart_unemployment(ctx: ProfileContext) -> ProfileChart:
    return _single_indicator(ctx, "unemployment", "unem", _("Tasa de desempleo, %(country)s") % {"country": ctx.name},
                             _("% de la población activa"), 1)


def chart_population(ctx: ProfileContext) -> ProfileChart:
    rows = queries.immigrant_share_of_population(ctx.immigrants(), ctx.population())
    spec = {
        "data": {"values": rows},
        "mark": {"type": "bar", "color": GREEN},
        "encoding": {"x": {"field": "year", "type": "ordinal", "title": _("Año")},
                     "y": {"field": "share", "type": "quantitative", "title": _("% de la población")},
                     "tooltip": [{"field": "year"}, {"field": "share", "format": ".2f"}]},
    }
    display = [{"year": r["year"], "immigrants": fmt(r["immigrants"]), "population": fmt(r["population"]),
                "share": fmt(r["share"], 2)} for r in rows]
    chart = Chart(chart_id="immigrant-share", title=_("Inmigrantes en la población, %(country)s") % {"country": ctx.name},
                  description=_("Stock de inmigrantes (ONU DAES) dividido por la población total (ONU, WPP 2022), "
                                "en los años que cubren ambas fuentes. Cálculo de Temporada."),
                  spec=spec, columns=[("year", _("Año")), ("immigrants", _("Inmigrantes")),
                                      ("population", _("Población")), ("share", _("% de la población"))],
                  rows=display, source=f"{_stock_source()}; {POPULATION.version}",
                  as_of=str(rows[-1]["year"]) if rows else "", **_urls(ctx, "immigrant-share"))
    raw = [{"country": ctx.iso3, **r} for r in rows]
    return ProfileChart(chart, ["country", "year", "immigrants", "population", "share"], raw, kind="columns",
                        value_field="share", label_field="year")


def chart_temporary_demand(ctx: ProfileContext) -> ProfileChart:
    rows = demand_by_destination(ctx.user, ctx.iso3)
    # The chart shows certified positions where the source publishes them; the table shows every row.
    long = [{"fiscal_year": r["fiscal_year"], "programme": r["programme"], "value": r["positions_certified"]}
            for r in rows if r["positions_certified"] is not None]
    spec = {
        "data": {"values": long},
        "mark": "bar",
        "encoding": {"x": {"field": "fiscal_year", "type": "ordinal", "title": _("Año fiscal")},
                     "y": {"field": "value", "type": "quantitative", "title": _("Puestos certificados"),
                           "stack": "zero"},
                     "color": {"field": "programme", "type": "nominal", "title": _("Programa")},
                     "tooltip": [{"field": "fiscal_year"}, {"field": "programme"}, {"field": "value", "format": ","}]},
    }
    display = [{"fiscal_year": r["fiscal_year"], "programme": r["programme"], "source": r["source_label"],
                "job_orders": fmt(r["job_orders"]),
                "positions_requested": fmt(r["positions_requested"]) if r["positions_requested"] is not None else "—",
                "positions_certified": fmt(r["positions_certified"]) if r["positions_certified"] is not None else "—"}
               for r in rows]
    chart = Chart(chart_id="temporary-demand",
                  title=_("Demanda de trabajadores temporales, %(country)s") % {"country": ctx.name},
                  description=_("Puestos de las órdenes de trabajo principales (sin las filas repetidas de miembros "
                                "de asociaciones), por año fiscal, programa y fuente. El gráfico muestra los puestos "
                                "certificados allí donde la fuente los publica."),
                  spec=spec, columns=[("fiscal_year", _("Año fiscal")), ("programme", _("Programa")),
                                      ("source", _("Fuente")), ("job_orders", _("Órdenes")),
                                      ("positions_requested", _("Puestos solicitados")),
                                      ("positions_certified", _("Puestos certificados"))],
                  rows=display, source=sources_for(ctx.user, ctx.iso3) if rows else "",
                  notes=[_("«—»: la fuente no publica esa cifra (las ofertas de SeasonalJobs.dol.gov aún no tienen "
                           "decisión de certificación). Un año fiscal cubierto solo por un archivo trimestral no es "
                           "un año completo.")] if rows else [],
                  as_of=str(max((r["fiscal_year"] for r in rows if r["positions_certified"] is not None),
                                default="")), **_urls(ctx, "temporary-demand"))
    raw = [{"destination": ctx.iso3, **{k: v for k, v in r.items() if k != "source_label"}} for r in rows]
    return ProfileChart(chart, ["destination", "programme", "fiscal_year", "source", "job_orders",
                                "positions_requested", "positions_certified"], raw, kind="table")


PROFILE_CHARTS: dict[str, Callable[[ProfileContext], ProfileChart]] = {
    "emigrants": chart_emigrants,
    "destinations": chart_destinations,
    "immigrants": chart_immigrants,
    "origins": chart_origins,
    "immigrant-share": chart_population,
    "rcm-corridors": chart_rcm_corridors,
    "remittances": chart_remittances,
    "net-migration": chart_net_migration,
    "unemployment": chart_unemployment,
    "temporary-demand": chart_temporary_demand,
}


def key_figures(ctx: ProfileContext) -> list[dict]:
    """The headline numbers at the top of the profile, each with its year and source."""
    figures = []

    def add(label, value, year, source, note="", places=0):
        figures.append({"label": label, "value": fmt(value, places) if value is not None else None, "raw": value,
                        "year": year, "source": source, "note": note})

    emi = ctx.emigrants()[-1] if ctx.emigrants() else None
    imm = ctx.immigrants()[-1] if ctx.immigrants() else None
    add(_("Emigrantes"), emi and emi["total"], emi and emi["year"], _stock_source(),
        _("%(share)s %% mujeres") % {"share": fmt(emi["women_share"], 1)} if emi else "")
    add(_("Inmigrantes"), imm and imm["total"], imm and imm["year"], _stock_source(),
        _("%(share)s %% mujeres") % {"share": fmt(imm["women_share"], 1)} if imm else "")
    remit = queries.latest_value(ctx.indicator("remin"))
    add(_("Remesas recibidas (millones USD)"), remit and remit["value"] / 1e6, remit and remit["year"],
        COUNTRY_INDICATORS.publisher, places=1)
    nmig = queries.latest_value(ctx.indicator("nmig"))
    add(_("Migración neta (personas)"), nmig and nmig["value"], nmig and nmig["year"], COUNTRY_INDICATORS.publisher)
    unem = queries.latest_value(ctx.indicator("unem"))
    add(_("Tasa de desempleo (%)"), unem and unem["value"], unem and unem["year"], COUNTRY_INDICATORS.publisher,
        places=1)
    pop = ctx.population()[-1] if ctx.population() else None
    add(_("Población (miles)"), pop and pop["thousands"], pop and pop["year"], POPULATION.version)
    return figures


def programmes_section(ctx: ProfileContext) -> dict:
    from temporada.programmes.queries import programmes_for_country

    return programmes_for_country(ctx.user, ctx.iso3)


def build_profile(user, country: Country, year: int | None = None, *, include_charts: bool = True) -> dict:
    ctx = make_context(user, country, year)
    charts = {key: builder(ctx) for key, builder in PROFILE_CHARTS.items()} if include_charts else {}
    demand = demand_status(user, country.iso3)
    return {"ctx": ctx, "country": country, "name": ctx.name, "in_country": ctx.phrases["in"],
            "of_country": ctx.phrases["of"], "year": ctx.year, "figures": key_figures(ctx),
            "charts": charts, "c": {key.replace("-", "_"): pc.chart for key, pc in charts.items()}, "programmes": programmes_section(ctx), "demand": demand}


def build_chart(user, country: Country, chart_id: str, year: int | None = None) -> ProfileChart:
    return PROFILE_CHARTS[chart_id](make_context(user, country, year))
