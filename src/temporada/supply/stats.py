"""Supply indicators and the supply–demand gap, with small-cell suppression.

Definitions (shown on the pages too):
- supply in month M: profiles that are VERIFIED, with registry and matching consent, whose declared
  availability covers the whole month M, counted once each under their main occupation (the ISCO-08
  unit with most years). For a destination D, only profiles that accept D (no stated preference, or D
  among their preferred destinations) count, so supply figures of several destinations overlap and are
  not added up.
- demand in month M: positions of real (not synthetic) primary job orders (association member repeats
  excluded) whose employment period overlaps M; certified positions for certified / partially certified
  orders, requested positions for orders still pending; denied and withdrawn orders are left out.
- gap = supply − demand: negative = shortage of workers, positive = surplus.
- orders whose source publishes no occupation code (the SeasonalJobs feed, which carries the current seasons)
  count on a line of their own per destination and month, "occupation not published": demand only, no
  supply or gap (no worker can be compared with an unknown occupation), so current demand is not left out.

Suppression (who sees it: ``needs_suppression``): a supply cell with 1–4 people is shown as "<5" (primary
suppression). So that hidden cells cannot be recovered by subtraction, every group of cells whose total
could be known from another table (all cells of a table; cells of one origin country; cells of one
destination and month) ends with either no hidden cell or at least two whose hidden sum is at least 5 —
otherwise the smallest visible cell of the group is hidden as well (secondary suppression). Totals on the
page are computed from the visible cells only and labelled so. Demand figures are public data and are never
suppressed. Synthetic profiles never enter these figures unless an official switches on the labelled
"include synthetic (demo)" option, which analysts and published outputs never have.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext

from temporada.accounts.roles import Role

from . import isco
from .models import Worker

THRESHOLD = 5
STAT_ROLES = {Role.ORIGIN_OFFICIAL, Role.DESTINATION_OFFICIAL, Role.CONSULAR, Role.ANALYST, Role.ADMIN}
SYNTHETIC_ROLES = {Role.ORIGIN_OFFICIAL, Role.DESTINATION_OFFICIAL, Role.ADMIN}


def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def can_see_statistics(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (_role(user) in STAT_ROLES or user.is_superuser))


def can_include_synthetic(user) -> bool:
    return can_see_statistics(user) and (_role(user) in SYNTHETIC_ROLES or user.is_superuser)


def needs_suppression(user, origins: Iterable[str] | None) -> bool:
    """Exact counts only for administrators and for origin officials looking at their own nationals only."""
    if getattr(user, "is_authenticated", False) and user.is_admin_role:
        return False
    if _role(user) == Role.ORIGIN_OFFICIAL and origins:
        return not set(origins) <= set(user.country_codes)
    return True


# --- months ------------------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(start: date) -> date:
    return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])


def months(start: date, count: int) -> list[date]:
    first = date(start.year, start.month, 1)
    return [add_months(first, i) for i in range(count)]


def month_label(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


# --- suppression -------------------------------------------------------------------------------
@dataclass
class Suppressed:
    values: dict  # key -> int, or None when hidden
    primary: set = field(default_factory=set)
    secondary: set = field(default_factory=set)

    def visible_total(self, keys: Iterable[Hashable] | None = None) -> int:
        keys = self.values.keys() if keys is None else keys
        return sum(self.values[k] or 0 for k in keys if self.values.get(k) is not None)


def suppress(cells: dict, groupings: list[Callable[[Hashable], Hashable]], threshold: int = THRESHOLD) -> Suppressed:
    """Primary suppression of 1..threshold-1 and secondary suppression inside every group of every grouping."""
    primary = {k for k, v in cells.items() if 0 < v < threshold}
    hidden = set(primary)
    secondary = set()
    changed = bool(hidden)
    while changed:
        changed = False
        for grouping in groupings:
            members_of: dict = defaultdict(list)
            for key in cells:
                members_of[grouping(key)].append(key)
            for members in members_of.values():
                hidden_here = [k for k in members if k in hidden]
                if not hidden_here:
                    continue
                if len(hidden_here) >= 2 and sum(cells[k] for k in hidden_here) >= threshold:
                    continue
                candidates = sorted(((cells[k] == 0, cells[k], str(k)), k) for k in members if k not in hidden)
                if not candidates:
                    continue
                extra = candidates[0][1]
                hidden.add(extra)
                secondary.add(extra)
                changed = True
    return Suppressed(values={k: (None if k in hidden else v) for k, v in cells.items()},
                      primary=primary, secondary=secondary)


def no_suppression(cells: dict) -> Suppressed:
    return Suppressed(values=dict(cells))


# --- supply ------------------------------------------------------------------------------------
def supply_base(*, origins: Iterable[str] | None = None, include_synthetic: bool = False):
    """Profiles that count as supply (see module docstring), before the availability condition."""
    qs = Worker.objects.matchable()
    if not include_synthetic:
        qs = qs.published()
    if origins:
        qs = qs.filter(nationality_id__in=list(origins))
    return qs


def _in_period(qs, period: list[date]):
    return qs.filter(available_from__lte=month_end(period[-1]), available_until__gte=period[0])


def _covered_months(begin: date, until: date, period: list[date]) -> list[date]:
    return [m for m in period if begin <= m and until >= month_end(m)]


def available_by_subdivision(*, start: date, count: int, origins=None, include_synthetic=False) -> dict:
    """(country, subdivision or "") -> profiles available at some time in the period."""
    qs = _in_period(supply_base(origins=origins, include_synthetic=include_synthetic), months(start, count))
    rows = qs.values("nationality_id", "residence_subdivision_id").annotate(n=Count("id"))
    return {(r["nationality_id"], r["residence_subdivision_id"] or ""): r["n"] for r in rows}


def available_by_occupation(*, start: date, count: int, level: str, origins=None, include_synthetic=False) -> dict:
    """ISCO group at ``level`` -> profiles available at some time in the period."""
    qs = _in_period(supply_base(origins=origins, include_synthetic=include_synthetic), months(start, count))
    rows = qs.annotate(group=Substr("primary_isco", 1, isco.LEVELS[level])).values("group").annotate(n=Count("id"))
    return {r["group"]: r["n"] for r in rows}


def available_by_month(*, start: date, count: int, origins=None, include_synthetic=False) -> dict:
    """month -> profiles available for the whole month. One grouped query on the availability windows
    (profiles share few distinct windows), then the months each window covers."""
    period = months(start, count)
    qs = _in_period(supply_base(origins=origins, include_synthetic=include_synthetic), period)
    cells = dict.fromkeys(period, 0)
    for begin, until, n in qs.values_list("available_from", "available_until").annotate(n=Count("id")).order_by():
        for month in _covered_months(begin, until, period):
            cells[month] += n
    return cells


def supply_cells(*, start: date, count: int, level: str, destinations: Iterable[str], origins=None,
                 include_synthetic=False) -> dict:
    """(ISCO group, destination, month) -> available profiles accepting the destination.

    Two grouped queries: profiles without a stated preference (they accept every destination) and profiles
    by preferred destination; each (group, window) is then spread over the months the window covers."""
    period = months(start, count)
    destinations = list(destinations)
    base = _in_period(supply_base(origins=origins, include_synthetic=include_synthetic), period).annotate(
        group=Substr("primary_isco", 1, isco.LEVELS[level]))
    cells: dict = defaultdict(int)
    open_to_all = (base.filter(preferred_destinations__isnull=True)
                   .values_list("group", "available_from", "available_until").annotate(n=Count("id")).order_by())
    for group, begin, until, n in open_to_all:
        for month in _covered_months(begin, until, period):
            for destination in destinations:
                cells[(group, destination, month)] += n
    chosen = (base.filter(preferred_destinations__in=destinations)
              .values_list("group", "available_from", "available_until", "preferred_destinations")
              .annotate(n=Count("id")).order_by())
    for group, begin, until, destination, n in chosen:
        for month in _covered_months(begin, until, period):
            cells[(group, destination, month)] += n
    return {key: n for key, n in cells.items() if key[0]}


# --- demand ------------------------------------------------------------------------------------
UNCODED = ""  # ISCO group of the demand of orders published without an occupation code


def demand_cells(*, start: date, count: int, level: str, destinations: Iterable[str] | None = None,
                 include_uncoded: bool = False) -> dict:
    """(ISCO group, destination, month) -> positions of real primary job orders active in the month; orders
    without an ISCO-08 code are left out, or counted under the group ``UNCODED`` with ``include_uncoded``."""
    from temporada.demand.models import JobOrder

    period = months(start, count)
    status = JobOrder.StatusCategory
    qs = (JobOrder.objects.filter(is_synthetic=False, is_primary=True, begin_date__isnull=False, end_date__isnull=False,
                                  begin_date__lte=month_end(period[-1]), end_date__gte=period[0],
                                  status_category__in=[status.CERTIFIED, status.PARTIAL, status.PENDING]))
    if not include_uncoded:
        qs = qs.exclude(isco_code="")
    if destinations:
        qs = qs.filter(country_id__in=list(destinations))
    width = isco.LEVELS[level]
    cells: dict = defaultdict(int)
    for code, country, begin, end, certified, requested, category in qs.values_list(
            "isco_code", "country_id", "begin_date", "end_date", "positions_certified", "positions_requested",
            "status_category").iterator(chunk_size=5000):
        positions = certified if category in (status.CERTIFIED, status.PARTIAL) and certified is not None else requested
        if not positions:
            continue
        for month in period:
            if begin <= month_end(month) and end >= month:
                cells[(code[:width], country, month)] += positions
    return dict(cells)


def latest_demand_month() -> date | None:
    """First month of the latest real job order, to point users at data when the default period has none."""
    from temporada.demand.models import JobOrder

    latest = (JobOrder.objects.filter(is_synthetic=False, is_primary=True, begin_date__isnull=False)
              .order_by("-begin_date").values_list("begin_date", flat=True).first())
    return date(latest.year, latest.month, 1) if latest else None


def demand_destinations(*, start: date, count: int) -> list[str]:
    from temporada.demand.models import JobOrder

    period = months(start, count)
    return sorted(set(JobOrder.objects.filter(
        is_synthetic=False, is_primary=True, begin_date__lte=month_end(period[-1]), end_date__gte=period[0],
    ).values_list("country_id", flat=True).distinct()))


# --- the gap table -----------------------------------------------------------------------------
@dataclass
class GapRow:
    group: str
    title: str
    destination: str
    month: date
    demand: int
    supply: int | None  # None = suppressed
    gap: int | None
    status: str  # "shortage", "surplus", "balanced", "suppressed", "uncoded" (no occupation code published)

    @property
    def month_label(self) -> str:
        return month_label(self.month)


@dataclass
class GapTable:
    rows: list[GapRow]
    suppressed: bool
    months: list[date]
    destinations: list[str]
    demand_total: int
    supply_visible_total: int
    hidden_cells: int


def gap_table(*, start: date, count: int, level: str = "unit", destinations: Iterable[str] | None = None,
              origins=None, include_synthetic=False, suppress_cells=True, lang="es") -> GapTable:
    demand = demand_cells(start=start, count=count, level=level, destinations=destinations, include_uncoded=True)
    dests = sorted(set(destinations or []) | {k[1] for k in demand}) if destinations else sorted({k[1] for k in demand})
    supply = supply_cells(start=start, count=count, level=level, destinations=dests, origins=origins,
                          include_synthetic=include_synthetic)
    uncoded = {k for k in demand if k[0] == UNCODED}
    keys = set(demand) | set(supply)
    cells = {k: supply.get(k, 0) for k in keys - uncoded}  # uncoded lines carry no supply figure to protect
    shown = (suppress(cells, [lambda k: "all", lambda k: (k[1], k[2])]) if suppress_cells else no_suppression(cells))
    groups = isco.groups()
    rows = []
    for key in sorted(keys, key=lambda k: (k[2], k[1], k[0] == UNCODED, k[0])):
        group, destination, month = key
        need = demand.get(key, 0)
        if key in uncoded:
            rows.append(GapRow(group=group, title=gettext("Ocupación no publicada por la fuente"),
                               destination=destination, month=month, demand=need, supply=None, gap=None,
                               status="uncoded"))
            continue
        have = shown.values[key]
        if have is None:
            gap, state = None, "suppressed"
        else:
            gap = have - need
            state = "shortage" if gap < 0 else "surplus" if gap > 0 else "balanced"
        rows.append(GapRow(group=group, title=(groups.get(group) or {}).get(lang, ""), destination=destination, month=month,
                           demand=need, supply=have, gap=gap, status=state))
    return GapTable(rows=rows, suppressed=suppress_cells, months=months(start, count), destinations=dests,
                    demand_total=sum(demand.values()), supply_visible_total=shown.visible_total(),
                    hidden_cells=sum(1 for v in shown.values.values() if v is None))


# --- indicator tables --------------------------------------------------------------------------
def indicator_tables(*, start: date, count: int, level: str, origins=None, include_synthetic=False,
                     suppress_cells=True, lang="es") -> dict:
    """Available workers by subdivision, by occupation group and by month, suppressed when required.

    The subdivision and occupation tables count the same people (each once), so both protect their
    whole-table group; the subdivision table also protects each country's group."""
    from temporada.core.models import Subdivision

    by_subdivision = available_by_subdivision(start=start, count=count, origins=origins,
                                              include_synthetic=include_synthetic)
    by_occupation = available_by_occupation(start=start, count=count, level=level, origins=origins,
                                            include_synthetic=include_synthetic)
    by_month = available_by_month(start=start, count=count, origins=origins, include_synthetic=include_synthetic)

    def protect(cells, groupings):
        return suppress(cells, groupings) if suppress_cells else no_suppression(cells)

    sub_shown = protect(by_subdivision, [lambda k: "all", lambda k: k[0]])
    occ_shown = protect(by_occupation, [lambda k: "all"])
    month_shown = protect(by_month, [])
    names = {code: (name, country) for code, name, country in
             Subdivision.objects.filter(code__in=[k[1] for k in by_subdivision if k[1]])
             .values_list("code", f"name_{lang}", "country_id")}
    groups = isco.groups()
    sub_rows = []
    for country in sorted({k[0] for k in by_subdivision}):
        keys = sorted((k for k in by_subdivision if k[0] == country), key=lambda k: names.get(k[1], ("~",))[0])
        for key in keys:
            label = f"{names[key[1]][0]} ({key[1]})" if key[1] in names else f"{country}: —"
            sub_rows.append({"country": country, "key": key[1], "label": label, "value": sub_shown.values[key]})
        sub_rows.append({"country": country, "key": "", "label": country, "value": sub_shown.visible_total(keys),
                         "is_total": True})
    occ_rows = [{"key": code, "label": f"{code} {(groups.get(code) or {}).get(lang, '')}".strip(),
                 "value": occ_shown.values[code]} for code in sorted(by_occupation)]
    month_rows = [{"key": month_label(m), "label": month_label(m), "value": month_shown.values[m]}
                  for m in sorted(by_month)]

    def pack(rows, shown):
        return {"rows": rows, "suppressed": suppress_cells, "total_visible": shown.visible_total(),
                "hidden": sum(1 for v in shown.values.values() if v is None)}

    return {"subdivision": pack(sub_rows, sub_shown), "occupation": pack(occ_rows, occ_shown),
            "month": pack(month_rows, month_shown), "include_synthetic": include_synthetic}


def indicator_export(table: dict, name: str):
    header = ["group", "label", "workers", "is_total_of_published_cells"]
    rows = [[row.get("key", ""), row["label"], "<5" if row["value"] is None else row["value"],
             bool(row.get("is_total"))] for row in table["rows"]]
    return header, rows
