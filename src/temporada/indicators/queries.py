"""Reads. Every query starts from ``restrict()`` (public aggregates, but the rule holds everywhere)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Max, Min, Q, Sum
from django.utils.translation import gettext as _

from temporada.core.i18n import translated_value
from temporada.core.models import Country

from .importers.files import STOCK_YEARS, WITHDRAWN_CODES
from .models import OTHER_AREA, Area, Indicator, IndicatorValue, MigrantStock, Population, Sex

SEX_FILTERS = {"total": None, "female": Sex.FEMALE, "male": Sex.MALE}


def rcm_countries(user) -> list[Country]:
    return list(Country.objects.restrict(user).filter(is_rcm_member=True).order_by("name_es"))


def rcm_codes(user) -> list[str]:
    return [c.iso3 for c in rcm_countries(user)]


def area_names(user) -> dict[str, str]:
    """Display name of every code the statistics use, in the active language (English for areas that
    only the IOM table names)."""
    names = {a.iso3: a.name for a in Area.objects.restrict(user).only("iso3", "name")}
    for country in Country.objects.restrict(user):
        names[country.iso3] = translated_value(country, "name")
    names[OTHER_AREA] = _("Otros (país de nacimiento sin detalle)")
    for code in WITHDRAWN_CODES:
        names.setdefault(code, _("Antillas Neerlandesas (antiguas)"))
    return names


def known_area_codes(user) -> set[str]:
    return set(Country.objects.restrict(user).values_list("iso3", flat=True)) | set(
        Area.objects.restrict(user).values_list("iso3", flat=True))


# --- Migrant stock -----------------------------------------------------------------------------

def stocks(user):
    return MigrantStock.objects.restrict(user)


def _by_year_and_sex(qs) -> list[dict]:
    """Rows per year with women, men, total and the women's share (percent, one decimal)."""
    cells: dict[int, dict] = defaultdict(lambda: {"female": 0, "male": 0})
    for row in qs.values("year", "sex").annotate(v=Sum("value")):
        cells[row["year"]]["female" if row["sex"] == Sex.FEMALE else "male"] += row["v"]
    out = []
    for year in sorted(cells):
        female, male = cells[year]["female"], cells[year]["male"]
        total = female + male
        out.append({"year": year, "female": female, "male": male, "total": total,
                    "women_share": round(100 * female / total, 1) if total else None})
    return out


def emigrant_series(user, iso3: str) -> list[dict]:
    """People born in ``iso3`` living abroad, per year (UN DESA)."""
    return _by_year_and_sex(stocks(user).filter(origin=iso3))


def immigrant_series(user, iso3: str) -> list[dict]:
    """People born abroad living in ``iso3``, per year, whatever their origin (including "Other")."""
    return _by_year_and_sex(stocks(user).filter(destination=iso3))


def partners(user, iso3: str, *, direction: str, year: int, sex: str = "total", limit: int | None = 10,
             names: dict | None = None) -> list[dict]:
    """Main destinations of the country's emigrants (``direction="out"``) or origins of its immigrants ("in").

    When ``limit`` cuts the list, a last row sums the remaining partners, so the rows add up to the total."""
    qs = stocks(user).filter(year=year)
    if SEX_FILTERS[sex]:
        qs = qs.filter(sex=SEX_FILTERS[sex])
    if direction == "out":
        qs, field = qs.filter(origin=iso3), "destination"
    else:
        qs, field = qs.filter(destination=iso3), "origin"
    rows = list(qs.values(field).annotate(v=Sum("value")).order_by("-v", field))
    total = sum(r["v"] for r in rows)
    names = names if names is not None else area_names(user)
    out = [{"code": r[field], "name": names.get(r[field], r[field]), "value": r["v"],
            "share": round(100 * r["v"] / total, 1) if total else None} for r in rows]
    if limit is not None and len(out) > limit:
        rest = sum(r["value"] for r in out[limit:])
        out = out[:limit] + [{"code": "", "name": _("Resto (%(n)d países o zonas)") % {"n": len(rows) - limit},
                              "value": rest, "share": round(100 * rest / total, 1) if total else None}]
    return out


def corridors(user, *, year: int, sex: str = "total", among: list[str] | None = None, country: str | None = None,
              limit: int = 500, names: dict | None = None) -> list[dict]:
    """Origin → destination stocks for ``year``; ``among`` keeps pairs whose both ends are in the list,
    ``country`` keeps pairs where it is the origin or the destination. Largest first."""
    qs = stocks(user).filter(year=year)
    if SEX_FILTERS[sex]:
        qs = qs.filter(sex=SEX_FILTERS[sex])
    if among is not None:
        qs = qs.filter(origin__in=among, destination__in=among)
    if country:
        qs = qs.filter(Q(origin=country) | Q(destination=country))
    rows = qs.values("origin", "destination").annotate(v=Sum("value")).order_by("-v", "origin", "destination")[:limit]
    names = names if names is not None else area_names(user)
    return [{"origin": r["origin"], "origin_name": names.get(r["origin"], r["origin"]), "destination": r["destination"],
             "destination_name": names.get(r["destination"], r["destination"]), "year": year, "sex": sex,
             "value": r["v"]} for r in rows]


def stock_years(user) -> list[int]:
    """The five-yearly years present (one MIN/MAX on the year index, not a scan of 150,000 rows)."""
    bounds = stocks(user).aggregate(low=Min("year"), high=Max("year"))
    if bounds["low"] is None:
        return list(STOCK_YEARS)
    return [y for y in STOCK_YEARS if bounds["low"] <= y <= bounds["high"]]


def latest_stock_year(user) -> int:
    return stocks(user).aggregate(y=Max("year"))["y"] or STOCK_YEARS[-1]


def rcm_overview(user, year: int) -> list[dict]:
    """Emigrants and immigrants of each RCM country in ``year`` (two grouped queries)."""
    codes = rcm_codes(user)
    qs = stocks(user).filter(year=year)
    out_totals = dict(qs.filter(origin__in=codes).values_list("origin").annotate(v=Sum("value")))
    in_totals = dict(qs.filter(destination__in=codes).values_list("destination").annotate(v=Sum("value")))
    names = area_names(user)
    return [{"code": c, "name": names[c], "emigrants": out_totals.get(c, 0), "immigrants": in_totals.get(c, 0)}
            for c in codes]


# --- Population and indicators ------------------------------------------------------------------

def population_series(user, iso3: str) -> list[dict]:
    """WPP 2022 population per year: thousands as published, and persons."""
    rows = Population.objects.restrict(user).filter(iso3=iso3, sex=Sex.TOTAL).order_by("year")
    return [{"year": p.year, "thousands": p.thousands, "persons": int(p.thousands * 1000)} for p in rows]


def indicators(user):
    return Indicator.objects.restrict(user).order_by("code")


def indicator_values(user, *, codes: list[str], countries: list[str], start: int | None = None,
                     end: int | None = None) -> list[dict]:
    qs = IndicatorValue.objects.restrict(user).filter(indicator_id__in=codes, iso3__in=countries)
    if start is not None:
        qs = qs.filter(year__gte=start)
    if end is not None:
        qs = qs.filter(year__lte=end)
    return [{"iso3": iso3, "indicator": code, "year": year, "value": value}
            for iso3, code, year, value in qs.order_by("indicator_id", "iso3", "year")
            .values_list("iso3", "indicator_id", "year", "value")]


def indicator_series(user, iso3: str, code: str) -> list[dict]:
    return [{"year": r["year"], "value": r["value"]} for r in indicator_values(user, codes=[code], countries=[iso3])]


def latest_value(series: list[dict]) -> dict | None:
    return series[-1] if series else None


def indicator_year_bounds(user) -> dict[str, tuple[int, int]]:
    return {r["indicator_id"]: (r["low"], r["high"]) for r in IndicatorValue.objects.restrict(user)
            .values("indicator_id").annotate(low=Min("year"), high=Max("year"))}


def immigrant_share_of_population(immigrants: list[dict], population: list[dict]) -> list[dict]:
    """Immigrants (UN DESA) as a percentage of the population (WPP) for the years both sources cover."""
    persons = {p["year"]: p["thousands"] * 1000 for p in population}
    out = []
    for row in immigrants:
        pop = persons.get(row["year"])
        if pop:
            out.append({"year": row["year"], "immigrants": row["total"], "population": int(pop),
                        "share": float(round(Decimal(row["total"]) * 100 / pop, 2))})
    return out
