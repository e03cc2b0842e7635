"""Job orders as the engine sees them: the period to plan, positions, ISCO codes, eligible origins.

Every real job order in the data has already started (the newest, from SeasonalJobs, begin in the months
before the snapshot of January 2026). A run never proposes workers for a period that has begun: for such an
order it plans the **next season** of the order instead — same employer, occupation, place and positions,
with the calendar dates moved by whole years to their next occurrence after the run's day. That is a
projection, not a published order: runs, proposals, pages and exports say "projection of order X" wherever
it appears. An order whose dates lie ahead is planned as published.

Refused (``OrderRefused``, a message for the official, nothing saved): no dates, zero positions, an order
that was denied or withdrawn, an order that has started when no projection was asked for, and an order without
an ISCO-08 code when the official does not give one (the SeasonalJobs snapshot publishes job titles only).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.utils.translation import gettext as _

from temporada.demand.models import CATALOGUE_SLUG, JobOrder

from .engine import JobArrays
from .engine.arrays import (
    JOB_ISCO_SLOTS,
    METHOD_CROSSWALK_SEVERAL,
    METHOD_CROSSWALK_UNIQUE,
    METHOD_DIRECT,
    PAD,
    to_days,
)

CLOSED_STATUSES = (JobOrder.StatusCategory.DENIED, JobOrder.StatusCategory.WITHDRAWN)
DIRECT_METHODS = ("ISCO-08 code as given", "manual")
MAX_PERIOD_DAYS = 731  # seasonal programmes last at most two years; longer periods are data errors


class OrderRefused(ValueError):
    """A job order that cannot be matched as asked; ``code`` for programs, ``message`` for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def positions_of(job: JobOrder) -> int:
    """Certified (approved) positions when the authority decided, else the positions requested."""
    if job.positions_certified is not None:
        return int(job.positions_certified)
    return int(job.positions_requested or 0)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February in common years)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def next_occurrence(begin: date, end: date, today: date) -> tuple[date, date, int]:
    """(begin, end, years moved): the order's dates moved by whole years so that it begins after ``today``."""
    years = 0
    while add_years(begin, years) <= today:
        years += 1
    return add_years(begin, years), add_years(end, years), years


def isco_codes_of(job: JobOrder) -> tuple[list[str], list[int]]:
    """(codes, engine methods): the order's ISCO-08 unit code and the crosswalk's other candidates."""
    codes = [c for c in [job.isco_code, *(job.isco_alternatives or [])] if isinstance(c, str) and len(c) == 4
             and c.isdigit()]
    codes = list(dict.fromkeys(codes))[:JOB_ISCO_SLOTS]
    if not codes:
        return [], []
    if (job.isco_method or "").startswith(DIRECT_METHODS):
        method = METHOD_DIRECT
    elif len(codes) > 1:
        method = METHOD_CROSSWALK_SEVERAL
    else:
        method = METHOD_CROSSWALK_UNIQUE
    return codes, [method] * len(codes)


@dataclass
class OrderPlan:
    """One job order for one period, ready for the engine."""

    job: JobOrder
    begin: date
    end: date
    positions: int
    isco: list[str]
    methods: list[int]
    is_projection: bool = False
    years_moved: int = 0
    coded_by_official: bool = False
    taken: int = 0  # positions already filled by accepted / released proposals for this period
    notes: list[str] = field(default_factory=list)

    @property
    def open_positions(self) -> int:
        return max(self.positions - self.taken, 0)


def plan_order(job: JobOrder, *, today: date, project: bool = True, isco_code: str = "") -> OrderPlan:
    """The period and codes to match ``job`` for (see the module docstring); OrderRefused when it cannot be."""
    if job.status_category in CLOSED_STATUSES:
        raise OrderRefused("closed", _("La orden fue denegada o retirada por la autoridad: no hay puestos que cubrir."))
    positions = positions_of(job)
    if positions <= 0:
        raise OrderRefused("zero_positions", _("La orden no tiene puestos certificados ni solicitados (0 puestos): "
                                               "no hay a quién proponer."))
    if job.begin_date is None or job.end_date is None:
        raise OrderRefused("no_dates", _("La orden no publica fechas de inicio y fin: no se puede comprobar la "
                                         "disponibilidad de los trabajadores."))
    if job.end_date < job.begin_date or (job.end_date - job.begin_date).days > MAX_PERIOD_DAYS:
        raise OrderRefused("bad_dates", _("Las fechas publicadas de la orden no forman un periodo de temporada válido."))
    begin, end, years = job.begin_date, job.end_date, 0
    if begin <= today:
        if not project:
            raise OrderRefused("past", _("La orden empezó el %(begin)s: ya no se pueden proponer trabajadores para "
                                         "esas fechas. Puede planificar la próxima temporada de esta orden (mismas "
                                         "condiciones, fechas trasladadas al próximo año).")
                               % {"begin": job.begin_date.isoformat()})
        begin, end, years = next_occurrence(begin, end, today)
    if isco_code:
        codes, methods, by_official = [isco_code], [METHOD_DIRECT], True
    else:
        codes, methods = isco_codes_of(job)
        by_official = False
    if not codes:
        raise OrderRefused("no_isco", _("La orden no tiene código de ocupación CIUO-08 (la fuente solo publica el "
                                        "puesto «%(title)s»). Indique la ocupación CIUO-08 para esta búsqueda.")
                           % {"title": job.job_title or "—"})
    return OrderPlan(job=job, begin=begin, end=end, positions=positions, isco=codes, methods=methods,
                     is_projection=years > 0, years_moved=years, coded_by_official=by_official)


def eligibility(programme_code: str, country: str) -> bool | None:
    """May nationals of ``country`` take part in the programme of a job order? None: the catalogue cannot say
    (no verified list, or the programme has no catalogue record)."""
    from temporada.programmes.models import Programme
    from temporada.programmes.queries import eligibility_for

    slug = CATALOGUE_SLUG.get(programme_code)
    programme = Programme.objects.filter(slug=slug).first() if slug else None
    if programme is None:
        return None
    return eligibility_for(programme, country)["eligible"]


def programme_id(programme_code: str) -> int | None:
    from temporada.programmes.models import Programme

    slug = CATALOGUE_SLUG.get(programme_code)
    return Programme.objects.filter(slug=slug).values_list("pk", flat=True).first() if slug else None


def taken_positions(plans: list[OrderPlan]) -> None:
    """Fill ``plan.taken`` from the accepted and released proposals for the same order and period."""
    from django.db.models import Count

    from .models import Proposal

    if not plans:
        return
    keys = {(p.job.pk, p.begin) for p in plans}
    counts: dict[tuple[int, date], int] = {}
    ids = sorted({k[0] for k in keys})
    for start in range(0, len(ids), 900):
        rows = (Proposal.objects.filter(job_order_id__in=ids[start:start + 900], state__in=Proposal.BOOKED_STATES)
                .values("job_order_id", "begin_date").annotate(n=Count("id")))
        for row in rows:
            counts[(row["job_order_id"], row["begin_date"])] = row["n"]
    for plan in plans:
        plan.taken = counts.get((plan.job.pk, plan.begin), 0)


def job_arrays(plans: list[OrderPlan], snapshot, *, eligible: dict[str, bool | None], req_lang: int = 0,
               pref_lang: int = 0, capacity: str = "open") -> JobArrays:
    """Engine arrays for ``plans`` (row i = plans[i]). ``eligible``: programme code → eligibility of the
    snapshot's country (None counts as eligible; the run shows a warning). ``capacity``: "open" gives each
    order its open positions (season runs), "all" its positions (shortlists rank candidates anyway)."""
    m = len(plans)
    isco = np.full((m, JOB_ISCO_SLOTS), PAD, np.int16)
    methods = np.zeros((m, JOB_ISCO_SLOTS), np.int8)
    programme_bits = {}
    for i, plan in enumerate(plans):
        isco[i, : len(plan.isco)] = [int(c) for c in plan.isco]
        methods[i, : len(plan.methods)] = plan.methods
        code = plan.job.programme
        if code not in programme_bits:
            pk = programme_id(code)
            programme_bits[code] = snapshot.programmes.bit(pk) if pk is not None else 63
    return JobArrays(
        ids=[p.job.pk for p in plans],
        programme=[programme_bits[p.job.programme] for p in plans],
        destination=[snapshot.destinations.bit(p.job.country_id) for p in plans],
        eligible_origins=[0 if eligible.get(p.job.programme) is False else 1 for p in plans],
        begin=[to_days(p.begin) for p in plans],
        end=[to_days(p.end) for p in plans],
        isco=isco, isco_method=methods,
        req_exp_months=[min(int(p.job.experience_months or 0), 32_000) for p in plans],
        req_lang=[req_lang] * m, pref_lang=[pref_lang] * m,
        positions=[p.open_positions if capacity == "open" else p.positions for p in plans],
    )
