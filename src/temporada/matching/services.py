"""Writes of the matching app: runs, decisions on proposals, releases. Keyword-only, one transaction each,
every write audited (MATCH_RUN, MATCH_DECIDED, CANDIDATE_RELEASED; reading candidates' identities records
PROTECTED_READ).

Errors an official can act on are ``ValidationError`` with a message (pages show it, the API answers 422);
acting outside one's scope is ``PermissionDenied`` (pages and API answer 404).

Two invariants hold across runs, whatever order things happen in:
* an order never has more accepted + released proposals for a period than its positions;
* a worker never has two accepted / released proposals whose periods overlap.
Season runs respect them when they propose (open positions only; booked periods as the engine's rule), and
``decide_proposal`` re-checks both under row locks when the official accepts.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from temporada.accounts.roles import Role
from temporada.core.audit import EventType, record
from temporada.demand.models import JobOrder
from temporada.supply.models import Worker

from . import engine, orders, snapshot
from .engine.arrays import InvalidInput
from .models import MatchRun, Proposal
from .params import engine_settings
from .snapshot import SEX_LETTER

logger = logging.getLogger(__name__)

# A season run still "running" after this long lost its worker (process stopped); nothing of it was saved.
INTERRUPTED_AFTER = timedelta(hours=3)
DIAGNOSED_ORDERS = 25


@lru_cache(maxsize=1)
def engine_version() -> str:
    """Short digest of the engine's source: a run records exactly which code computed it."""
    digest = hashlib.sha256()
    for path in sorted(Path(engine.__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return "engine-" + digest.hexdigest()[:12]


def pseudonym(run_id: int, worker_id: int) -> str:
    """A stable name for a worker inside one run (keyed HMAC: without the key it cannot be linked to the worker,
    and the same worker gets unrelated names in different runs)."""
    return _pseudonyms(run_id, [worker_id])[0]


def _pseudonyms(run_id: int, worker_ids) -> list[str]:
    """``pseudonym`` for many workers of one run (the HMAC key is derived once)."""
    import hmac

    key = hashlib.sha256(b"temporada.matching.pseudonym" + settings.SECRET_KEY.encode()).digest()
    out, used = [], set()
    for worker_id in worker_ids:
        mac = hmac.new(key, f"{run_id}:{worker_id}".encode(), hashlib.sha256).digest()
        code = base64.b32encode(mac[:10]).decode()[:10]
        name = f"C-{code[:5]}-{code[5:]}"
        extra = 0
        while name in used:  # 50-bit names: a clash inside one run is very unlikely, never fatal
            extra += 1
            code = base64.b32encode(hmac.new(key, f"{run_id}:{worker_id}:{extra}".encode(),
                                             hashlib.sha256).digest()[:10]).decode()[:10]
            name = f"C-{code[:5]}-{code[5:]}"
        used.add(name)
        out.append(name)
    return out


def _can_run(actor, country: str) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active
                and actor.role == Role.ORIGIN_OFFICIAL and country in actor.country_codes)


def _visible_job(actor, job_order) -> JobOrder:
    job = JobOrder.objects.restrict(actor, "view").filter(pk=getattr(job_order, "pk", job_order)).first()
    if job is None:
        raise PermissionDenied
    return job


def _refused(error: orders.OrderRefused) -> ValidationError:
    return ValidationError(error.message, code=error.code)


def _language_codes(mask: int) -> list[str]:
    return [code for code, bit in snapshot.LANGUAGE_BIT.items() if mask >> bit & 1]


def _fits(values: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """Preference masks ``values`` fit ``bits`` (no preference fits everything)."""
    return (values == 0) | ((values >> bits.astype(np.uint64)) & np.uint64(1)).astype(bool)


def _proposal_rows(*, run, snap, index, plans, worker_rows, job_rows, totals, contributions, levels, worker_codes,
                   job_codes, years, ranks) -> list[Proposal]:
    """Proposal objects for engine results (parallel arrays over the proposed pairs), columns computed at once."""
    workers = index.workers
    rows = np.asarray(worker_rows, np.int64)
    job_rows = np.asarray(job_rows, np.int64)
    ids = workers.ids[rows].tolist()
    names = _pseudonyms(run.pk, ids)
    programme_bits = {code: _programme_bit(snap, next(p for p in plans if p.job.programme == code))
                      for code in {plans[j].job.programme for j in set(job_rows.tolist())}}
    dest_bits = np.array([snap.destinations.bit(plans[j].job.country_id) for j in job_rows.tolist()], np.int64)
    prog_bits = np.array([programme_bits[plans[j].job.programme] for j in job_rows.tolist()], np.int64)
    fits_dest = _fits(workers.pref_dest[rows], dest_bits).tolist()
    fits_prog = _fits(workers.pref_prog[rows], prog_bits).tolist()
    points = np.round(np.asarray(contributions, np.float64), 2).tolist()
    totals = np.round(np.asarray(totals, np.float64), 2).tolist()
    years = np.round(np.asarray(years, np.float64), 2).tolist()
    good, prior = workers.good_returns[rows].tolist(), workers.prior_count[rows].tolist()
    language_masks, regions, sexes = workers.languages[rows].tolist(), workers.region[rows].tolist(), \
        workers.sex[rows].tolist()
    language_lists: dict[int, list[str]] = {}
    out = []
    for k, (worker_id, j) in enumerate(zip(ids, job_rows.tolist(), strict=True)):
        plan = plans[j]
        mask = language_masks[k]
        if mask not in language_lists:
            language_lists[mask] = _language_codes(mask)
        out.append(Proposal(
            run=run, worker_id=worker_id, job_order_id=plan.job.pk, begin_date=plan.begin, end_date=plan.end,
            is_projection=plan.is_projection, rank=int(ranks[k]), pseudonym=names[k], score=totals[k],
            occupation_points=points[k][0], experience_points=points[k][1], participation_points=points[k][2],
            language_points=points[k][3], preference_points=points[k][4],
            worker_isco=f"{int(worker_codes[k]):04d}" if worker_codes[k] >= 0 else "",
            job_isco=f"{int(job_codes[k]):04d}" if job_codes[k] >= 0 else "",
            isco_level=int(levels[k]), relevant_years=years[k], good_returns=good[k], prior_count=prior[k],
            languages=language_lists[mask], region=snap.region_code(regions[k]), sex=SEX_LETTER.get(sexes[k], "X"),
            fits_destination=fits_dest[k], fits_programme=fits_prog[k],
        ))
    return out


def _insert_proposals(proposals: list[Proposal]) -> None:
    """Write many proposals with one parametrised executemany (a season run writes tens of thousands; the ORM's
    per-field preparation of bulk_create costs more than the engine). Values are converted once per column."""
    from django.db import connection
    from django.db import models as m

    if not proposals:
        return
    now = timezone.now()
    fields = [f for f in Proposal._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    converters = []
    for field in fields:
        if isinstance(field, m.DateTimeField):
            converters.append(lambda v: None if v is None else ops.adapt_datetimefield_value(v))
        elif isinstance(field, m.DateField) and connection.vendor == "sqlite":
            converters.append(lambda v: None if v is None else v.isoformat())
        elif isinstance(field, m.JSONField):
            converters.append(lambda v, f=field: ops.adapt_json_value(v, f.encoder))
        else:
            converters.append(None)
    rows = []
    for p in proposals:
        p.created_at = p.updated_at = now
        rows.append(tuple(convert(getattr(p, f.attname)) if convert else getattr(p, f.attname)
                          for f, convert in zip(fields, converters, strict=True)))
    quote = ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # table and column names come from the model's metadata; values are parameters
    sql = f"INSERT INTO {quote(Proposal._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def _programme_bit(snap, plan) -> int:
    pk = orders.programme_id(plan.job.programme)
    return snap.programmes.bit(pk) if pk is not None else snapshot.NOBODY_BIT


# -- shortlists ----------------------------------------------------------------------------------------------

@transaction.atomic
def create_shortlist(*, actor, job_order, parameters: dict, request=None, today: date | None = None) -> MatchRun:
    """Rank the best candidates of the actor's registry for one job order (``parameters`` from ShortlistForm)."""
    origin = parameters["origin"]
    if not _can_run(actor, origin):
        raise PermissionDenied
    job = _visible_job(actor, job_order)
    today = today or timezone.localdate()
    try:
        plan = orders.plan_order(job, today=today, project=parameters.get("plan_next_season", False),
                                 isco_code=parameters.get("isco_code", ""))
    except orders.OrderRefused as error:
        raise _refused(error)
    clock = time.perf_counter()
    eligible = orders.eligibility(job.programme, origin)
    snap, index = snapshot.current(origin, parameters["population"], today=today)
    try:
        settings = engine_settings(parameters, snap)
    except InvalidInput as error:
        raise ValidationError(str(error), code="invalid")
    orders.taken_positions([plan])
    jobs = orders.job_arrays([plan], snap, eligible={job.programme: eligible}, req_lang=settings.req_lang,
                             pref_lang=settings.pref_lang, capacity="all")
    result = engine.shortlist(index, jobs, 0, n=parameters["top"], filters=settings.filters, rules=settings.rules,
                              weights=settings.weights)
    now = timezone.now()
    run = MatchRun.objects.create(
        kind=MatchRun.Kind.SHORTLIST, status=MatchRun.Status.DONE if len(result) else MatchRun.Status.EMPTY,
        reason=result.reason or "", origin_country_id=origin, programme=job.programme, destination_id=job.country_id,
        job_order=job, begin_date=plan.begin, end_date=plan.end, is_projection=plan.is_projection,
        parameters=parameters, engine_version=engine_version(), is_synthetic=parameters["population"] == "synthetic",
        funnel=[[stage, int(count)] for stage, count in result.funnel], objective=int(engine.scoring.to_units(
            result.total).sum()) if len(result) else 0,
        stats={"eligible": result.eligible_count, "workers": len(snap), "positions": plan.positions,
               "positions_taken": plan.taken, "eligibility": _eligibility_label(eligible),
               "isco": plan.isco, "coded_by_official": plan.coded_by_official, "years_moved": plan.years_moved,
               "published_begin": job.begin_date.isoformat(), "published_end": job.end_date.isoformat(),
               "snapshot_build_seconds": round(snap.build_seconds, 3)},
        phase="done", progress=100, proposal_count=len(result), created_by=actor, started_at=now, finished_at=now,
    )
    proposals = _proposal_rows(
        run=run, snap=snap, index=index, plans=[plan], worker_rows=result.rows, job_rows=np.zeros(len(result), int),
        totals=result.total, contributions=result.contributions, levels=result.level, worker_codes=result.worker_code,
        job_codes=result.job_code, years=result.relevant_years, ranks=np.arange(1, len(result) + 1))
    _insert_proposals(proposals)
    run.duration_seconds = round(time.perf_counter() - clock, 4)
    run.save(update_fields=["duration_seconds"])
    record(type=EventType.MATCH_RUN, actor=actor, obj=run, country=origin, request=request,
           details={"kind": run.kind, "job_order": job.pk, "status": run.status, "reason": run.reason,
                    "proposals": len(proposals), "synthetic": run.is_synthetic, "projection": plan.is_projection})
    return run


def _eligibility_label(eligible: bool | None) -> str:
    return {True: "eligible", False: "not_eligible", None: "not_verified"}[eligible]


# -- season runs ---------------------------------------------------------------------------------------------

def _fairness_feasible(parameters: dict) -> None:
    """Refuse a target no assignment can meet: a minimum share for a group with nobody in the registry, or a
    maximum share below 100 % when everybody belongs to the group."""
    fairness = parameters.get("fairness")
    if not fairness:
        return
    people = snapshot.matchable_profiles(parameters["origin"], parameters["population"])
    if fairness["attribute"] == "sex":
        group = people.filter(sex__in=fairness["values"])
    else:
        group = people.filter(residence_subdivision_id__in=fairness["values"])
    in_group, total = group.count(), people.count()
    if (fairness.get("min_share") or 0) > 0 and in_group == 0:
        raise ValidationError(_("Objetivo de equidad imposible: ningún perfil del registro pertenece al grupo, así que "
                                "ninguna orden podría cumplir la proporción mínima."), code="fairness_infeasible")
    if fairness.get("max_share") is not None and fairness["max_share"] < 1 and total and in_group == total:
        raise ValidationError(_("Objetivo de equidad imposible: todos los perfiles del registro pertenecen al grupo, "
                                "así que no se podría asignar a nadie respetando la proporción máxima."),
                              code="fairness_infeasible")


@transaction.atomic
def start_season_run(*, actor, parameters: dict, request=None) -> MatchRun:
    """Queue a season run (``parameters`` from SeasonForm); the background task computes it."""
    from .tasks import season_run_task

    origin = parameters["origin"]
    if not _can_run(actor, origin):
        raise PermissionDenied
    _fairness_feasible(parameters)
    run = MatchRun.objects.create(
        kind=MatchRun.Kind.SEASON, status=MatchRun.Status.QUEUED, origin_country_id=origin,
        programme=parameters.get("programme") or "", destination_id=parameters.get("destination") or None,
        parameters=parameters, engine_version=engine_version(), is_synthetic=parameters["population"] == "synthetic",
        phase="queued", created_by=actor,
    )
    record(type=EventType.MATCH_RUN, actor=actor, obj=run, country=origin, request=request,
           details={"kind": run.kind, "status": run.status, "synthetic": run.is_synthetic, "queued": True})
    run_id = run.pk
    transaction.on_commit(lambda: season_run_task.enqueue(run_id))
    return run


def _progress(run_id: int, phase: str, percent: int) -> None:
    """Best effort: a progress line that cannot be written (database busy) must not stop the run."""
    from django.db import OperationalError

    try:
        MatchRun.objects.filter(pk=run_id).update(phase=phase, progress=percent)
    except OperationalError:
        logger.warning("progress of run %s not recorded (database busy)", run_id)


def fail_interrupted_runs() -> int:
    stale = MatchRun.objects.filter(status=MatchRun.Status.RUNNING, started_at__lt=timezone.now() - INTERRUPTED_AFTER)
    count = 0
    for run in stale:
        with transaction.atomic():
            MatchRun.objects.filter(pk=run.pk).update(
                status=MatchRun.Status.FAILED, reason="interrupted", phase="failed", finished_at=timezone.now(),
                error="Interrupted: the process computing this run stopped before it finished. Nothing was saved.")
            record(type=EventType.MATCH_RUN, obj=run, country=run.origin_country_id,
                   details={"status": "failed", "reason": "interrupted"})
        count += 1
    return count


def season_plans(parameters: dict, *, today: date) -> tuple[list[orders.OrderPlan], list[list], dict]:
    """The job orders of a season run, planned for the coming season: (plans, funnel of orders, eligibility)."""
    start, end = date.fromisoformat(parameters["window_from"]), date.fromisoformat(parameters["window_to"])
    qs = JobOrder.objects.filter(is_synthetic=False, is_primary=True, begin_date__gte=start, begin_date__lte=end)
    if parameters.get("programme"):
        qs = qs.filter(programme=parameters["programme"])
    if parameters.get("destination"):
        qs = qs.filter(country_id=parameters["destination"])
    jobs = list(qs.only("id", "programme", "country_id", "begin_date", "end_date", "positions_certified",
                        "positions_requested", "status_category", "isco_code", "isco_alternatives", "isco_method",
                        "experience_months", "job_title").order_by("begin_date", "id"))
    funnel = [["orders", len(jobs)]]
    counts = {"closed": 0, "zero_positions": 0, "no_dates": 0, "bad_dates": 0, "no_isco": 0}
    plans = []
    for job in jobs:
        try:
            plans.append(orders.plan_order(job, today=today, project=True))
        except orders.OrderRefused as error:
            counts[error.code] = counts.get(error.code, 0) + 1
    remaining = len(jobs)
    for stage in ("closed", "zero_positions", "no_dates", "bad_dates", "no_isco"):
        remaining -= counts[stage]
        funnel.append([stage, remaining])
    eligible = {code: orders.eligibility(code, parameters["origin"]) for code in {p.job.programme for p in plans}}
    plans = [p for p in plans if eligible[p.job.programme] is not False]
    funnel.append(["programme_origin", len(plans)])
    orders.taken_positions(plans)
    plans = [p for p in plans if p.open_positions > 0]
    funnel.append(["open_positions", len(plans)])
    return plans, funnel, eligible


def execute_season_run(run_id: int, *, today: date | None = None) -> str:
    """Compute a queued season run and save its proposals in one transaction (the background task's body)."""
    fail_interrupted_runs()
    claimed = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=timezone.now(), phase="profiles", progress=5)
    if not claimed:
        return f"run {run_id}: nothing to do"
    run = MatchRun.objects.get(pk=run_id)
    params = run.parameters
    today = today or timezone.localdate()
    clock = time.perf_counter()
    timings = {}
    try:
        snap, index = snapshot.current(params["origin"], params["population"], today=today)
        timings["profiles"] = time.perf_counter() - clock
        _progress(run_id, "orders", 20)
        plans, funnel, eligible = season_plans(params, today=today)
        settings = engine_settings(params, snap)
        timings["orders"] = time.perf_counter() - clock - timings["profiles"]
        _progress(run_id, "assignment", 40)
        stats = {"workers": len(snap), "orders": len(plans), "positions_open": sum(p.open_positions for p in plans),
                 "eligibility": {code: _eligibility_label(v) for code, v in sorted(eligible.items())},
                 "projected_orders": sum(p.is_projection for p in plans),
                 "snapshot_build_seconds": round(snap.build_seconds, 3)}
        reason = ""
        if not plans:
            result, reason = None, "no_orders"
        elif not len(snap):
            result, reason = None, "no_workers"
        else:
            jobs = orders.job_arrays(plans, snap, eligible=eligible, req_lang=settings.req_lang,
                                     pref_lang=settings.pref_lang, capacity="open")
            started = time.perf_counter()
            result = engine.season_run(index.workers, jobs, params=settings.season, index=index)
            timings["engine"] = time.perf_counter() - started
            problems = engine.check_assignment(index.workers, jobs, result, settings.season)
            if problems:  # never save an assignment that breaks a rule
                raise RuntimeError("engine result failed its checks: " + "; ".join(problems))
            reason = result.reason or ""
            stats.update({"edges": int(result.stats.get("edges", 0)), "classes": int(result.stats.get("classes", 0)),
                          "assigned": len(result), "positions_filled": int(result.filled.sum())})
            if not len(result):
                stats["diagnosis"] = _diagnose(index, jobs, plans, settings)
        if MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.CANCELLED).exists():
            return f"run {run_id} cancelled"
        _progress(run_id, "saving", 90)
        with transaction.atomic():
            run = MatchRun.objects.select_for_update().get(pk=run_id)
            if run.status == MatchRun.Status.CANCELLED:
                return f"run {run_id} cancelled"
            proposals = []
            if result is not None and len(result):
                ranks = _ranks_within_orders(result.job_rows, result.units)
                proposals = _proposal_rows(
                    run=run, snap=snap, index=index, plans=plans, worker_rows=result.worker_rows,
                    job_rows=result.job_rows, totals=result.units / engine.scoring.SCORE_SCALE,
                    contributions=result.contributions, **_pair_explanations(index, jobs, result, settings),
                    ranks=ranks)
                _insert_proposals(proposals)
            timings["total"] = time.perf_counter() - clock
            stats["timings"] = {k: round(v, 3) for k, v in timings.items()}
            run.status = MatchRun.Status.DONE if proposals else MatchRun.Status.EMPTY
            run.reason, run.funnel, run.stats = reason, funnel, stats
            run.objective = int(result.objective) if result is not None else 0
            run.proposal_count, run.phase, run.progress = len(proposals), "done", 100
            run.finished_at, run.duration_seconds = timezone.now(), round(timings["total"], 3)
            run.save()
            record(type=EventType.MATCH_RUN, actor=run.created_by, obj=run, country=run.origin_country_id,
                   details={"kind": run.kind, "status": run.status, "reason": reason, "proposals": len(proposals),
                            "orders": len(plans), "synthetic": run.is_synthetic})
        return f"run {run_id} {run.status}: {len(proposals)} proposals"
    except Exception as error:  # noqa: BLE001 - the run must end as failed, with the reason, whatever happened
        logger.exception("season run %s failed", run_id)
        with transaction.atomic():
            MatchRun.objects.filter(pk=run_id).update(
                status=MatchRun.Status.FAILED, reason="error", phase="failed", finished_at=timezone.now(),
                error=f"{type(error).__name__}: {error}"[:2000], duration_seconds=round(time.perf_counter() - clock, 3))
            record(type=EventType.MATCH_RUN, obj=run, country=run.origin_country_id,
                   details={"status": "failed", "error": type(error).__name__})
        return f"run {run_id} failed"


def _ranks_within_orders(job_rows: np.ndarray, units: np.ndarray) -> np.ndarray:
    """1 = best score within its order (ties: the engine's order)."""
    order = np.lexsort((-units, job_rows))
    ranks = np.empty(len(job_rows), np.int64)
    sorted_jobs = job_rows[order]
    first = np.searchsorted(sorted_jobs, sorted_jobs, side="left")
    ranks[order] = np.arange(len(job_rows)) - first + 1
    return ranks


def _pair_explanations(index, jobs, result, settings) -> dict:
    """ISCO codes and level behind the occupation factor, and the relevant years, of each assigned pair —
    evaluated once per class of orders that score alike (``engine.season.job_classes``), not once per order."""
    n = len(result)
    levels = np.zeros(n, np.int8)
    worker_codes = np.full(n, -1, np.int16)
    job_codes = np.full(n, -1, np.int16)
    years = np.zeros(n, np.float32)
    reps, klass = engine.season.job_classes(jobs, result.job_rows)
    for c, rep in enumerate(reps):
        sel = np.flatnonzero(klass == c)
        ev = engine.scoring.evaluate(index.workers.take(result.worker_rows[sel]), _JobScalars(jobs, int(rep)),
                                     weights=settings.weights, experience_level=settings.rules.experience_level)
        levels[sel], worker_codes[sel], job_codes[sel], years[sel] = ev.level, ev.worker_code, ev.job_code, \
            ev.relevant_years
    return {"levels": levels, "worker_codes": worker_codes, "job_codes": job_codes, "years": years}


class _JobScalars:
    """One job row in the shape ``engine.scoring.evaluate`` reads."""

    def __init__(self, jobs, row: int):
        keep = jobs.isco[row] >= 0
        self.isco, self.isco_method = jobs.isco[row][keep], jobs.isco_method[row][keep]
        self.pref_lang, self.destination, self.programme = jobs.pref_lang[row], jobs.destination[row], jobs.programme[row]


def _diagnose(index, jobs, plans, settings) -> dict:
    """Why nobody was eligible: the rule that emptied the shortlist of each of the largest orders."""
    reasons: dict[str, int] = {}
    largest = sorted(range(len(plans)), key=lambda i: -plans[i].open_positions)[:DIAGNOSED_ORDERS]
    for row in largest:
        result = engine.shortlist(index, jobs, row, n=1, rules=settings.rules, weights=settings.weights)
        key = result.reason or "eligible"
        reasons[key] = reasons.get(key, 0) + 1
    return {"orders_checked": len(largest), "reasons": reasons}


# -- decisions -----------------------------------------------------------------------------------------------

def _changeable(actor, proposal: Proposal) -> Proposal:
    found = Proposal.objects.restrict(actor, "change").filter(pk=proposal.pk).select_related("run").first()
    if found is None:
        raise PermissionDenied
    return found


@transaction.atomic
def decide_proposal(*, actor, proposal: Proposal, decision: str, reason: str = "", request=None,
                    today: date | None = None) -> Proposal:
    """The origin official accepts or rejects a proposed candidate (acceptance re-checks positions and bookings)."""
    proposal = _changeable(actor, proposal)
    if decision not in ("accept", "reject"):
        raise ValidationError(_("Decisión desconocida."), code="invalid")
    reason = (reason or "").strip()[:300]
    if decision == "reject" and not reason:
        raise ValidationError(_("Indique el motivo del rechazo."), code="reason_required")
    new_state = Proposal.State.ACCEPTED if decision == "accept" else Proposal.State.REJECTED
    now = timezone.now()
    # Claim the row first: on SQLite this takes the write lock before anything is read, so two acceptances
    # cannot both read the old counts; on PostgreSQL the row locks below serialise them.
    claimed = Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.PROPOSED).exclude(
        run__status=MatchRun.Status.CANCELLED).update(state=new_state, decided_by=actor, decided_at=now,
                                                      decision_reason=reason, updated_at=now)
    if not claimed:
        raise ValidationError(_("Esta propuesta ya no está pendiente de decisión."), code="not_pending")
    if decision == "accept":
        _check_acceptance(proposal, today or timezone.localdate())
    proposal.refresh_from_db()
    record(type=EventType.MATCH_DECIDED, actor=actor, obj=proposal, country=proposal.run.origin_country_id,
           request=request, details={"decision": decision, "run": proposal.run_id, "job_order": proposal.job_order_id,
                                     "reason": reason})
    return proposal


def _check_acceptance(proposal: Proposal, today: date) -> None:
    job = JobOrder.objects.select_for_update().get(pk=proposal.job_order_id)
    worker = Worker.objects.select_for_update().get(pk=proposal.worker_id)
    if proposal.begin_date <= today:
        raise ValidationError(_("El periodo de esta propuesta ya empezó (%(begin)s): no se puede aceptar.")
                              % {"begin": proposal.begin_date.isoformat()}, code="started")
    if not Worker.objects.matchable().filter(pk=worker.pk).exists():
        raise ValidationError(_("El perfil ya no puede proponerse (retiró su consentimiento o dejó de estar "
                                "verificado)."), code="not_matchable")
    booked = Proposal.objects.filter(state__in=Proposal.BOOKED_STATES).exclude(pk=proposal.pk)
    taken = booked.filter(job_order_id=job.pk, begin_date=proposal.begin_date).count()
    positions = orders.positions_of(job)
    if taken + 1 > positions:
        raise ValidationError(_("La orden ya tiene cubiertos sus %(n)d puestos para este periodo con candidatos "
                                "aceptados.") % {"n": positions}, code="full")
    clash = booked.filter(worker_id=worker.pk, begin_date__lte=proposal.end_date,
                          end_date__gte=proposal.begin_date).select_related("job_order").first()
    if clash is not None:
        raise ValidationError(_("Este trabajador ya está comprometido del %(begin)s al %(end)s (orden %(order)s)."),
                              params={"begin": clash.begin_date.isoformat(), "end": clash.end_date.isoformat(),
                                      "order": clash.job_order.source_key}, code="double_booked")


@transaction.atomic
def release_proposals(*, actor, run: MatchRun, proposal_ids=None, request=None) -> int:
    """Release accepted candidates of a run to the destination country (identities become visible to its
    officials). ``proposal_ids`` None: every accepted proposal of the run."""
    run = MatchRun.objects.restrict(actor, "change").filter(pk=run.pk).first()
    if run is None:
        raise PermissionDenied
    qs = Proposal.objects.restrict(actor, "change").filter(run=run)
    if proposal_ids is not None:
        ids = sorted({int(pk) for pk in proposal_ids})
        qs = qs.filter(pk__in=ids)
        found = dict(qs.values_list("pk", "state"))
        if set(found) != set(ids):
            raise PermissionDenied
        if any(state != Proposal.State.ACCEPTED for state in found.values()):
            raise ValidationError(_("Solo se liberan candidatos aceptados."), code="not_accepted")
    ids = list(qs.filter(state=Proposal.State.ACCEPTED).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("No hay candidatos aceptados que liberar."), code="nothing")
    now = timezone.now()
    for start in range(0, len(ids), 900):
        Proposal.objects.filter(pk__in=ids[start:start + 900], state=Proposal.State.ACCEPTED).update(
            state=Proposal.State.RELEASED, released_by=actor, released_at=now, updated_at=now)
    record(type=EventType.CANDIDATE_RELEASED, actor=actor, obj=run, country=run.origin_country_id, request=request,
           details={"proposals": ids, "count": len(ids)})
    return len(ids)


@transaction.atomic
def withdraw_proposal(*, actor, proposal: Proposal, reason: str, request=None) -> Proposal:
    """Take back an accepted or released candidate (the worker cannot go, or changed their mind); the period is
    free again for later runs."""
    proposal = _changeable(actor, proposal)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise ValidationError(_("Indique el motivo del retiro."), code="reason_required")
    now = timezone.now()
    changed = Proposal.objects.filter(pk=proposal.pk, state__in=Proposal.BOOKED_STATES).update(
        state=Proposal.State.WITHDRAWN, withdrawn_by=actor, withdrawn_at=now, withdrawal_reason=reason, updated_at=now)
    if not changed:
        raise ValidationError(_("Solo se retiran candidatos aceptados o liberados."), code="not_booked")
    proposal.refresh_from_db()
    record(type=EventType.MATCH_DECIDED, actor=actor, obj=proposal, country=proposal.run.origin_country_id,
           request=request, details={"decision": "withdraw", "run": proposal.run_id, "reason": reason})
    return proposal


@transaction.atomic
def cancel_run(*, actor, run: MatchRun, request=None) -> MatchRun:
    """Cancel a run: a queued or running season run stops; the pending proposals of a finished run are withdrawn
    (accepted and released ones stay: withdraw them one by one, with a reason)."""
    run = MatchRun.objects.restrict(actor, "change").filter(pk=run.pk).first()
    if run is None:
        raise PermissionDenied
    if run.status == MatchRun.Status.CANCELLED:
        raise ValidationError(_("La ejecución ya estaba cancelada."), code="cancelled")
    now = timezone.now()
    pending = Proposal.objects.filter(run=run, state=Proposal.State.PROPOSED)
    withdrawn = pending.update(state=Proposal.State.WITHDRAWN, withdrawn_by=actor, withdrawn_at=now,
                               withdrawal_reason="run cancelled", updated_at=now)
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.CANCELLED, cancelled_by=actor, cancelled_at=now,
                                              phase="cancelled", finished_at=run.finished_at or now)
    run.refresh_from_db()
    record(type=EventType.MATCH_RUN, actor=actor, obj=run, country=run.origin_country_id, request=request,
           details={"action": "cancelled", "withdrawn": withdrawn})
    return run


@transaction.atomic
def record_identity_read(*, actor, run: MatchRun, proposals, request=None) -> None:
    """Names of candidates were shown (origin official, or destination official after release)."""
    shown = [p for p in proposals]
    if not shown:
        return
    record(type=EventType.PROTECTED_READ, actor=actor, obj=run, country=run.origin_country_id, request=request,
           details={"proposals": [p.pk for p in shown], "workers": [p.worker_id for p in shown]})


def booked_overlaps() -> list[tuple[int, int]]:
    """(worker, proposal) pairs breaking the no-double-booking invariant (tests and admin checks)."""
    bad, worker, latest_end = [], None, None
    rows = sorted(Proposal.objects.filter(state__in=Proposal.BOOKED_STATES)
                  .values_list("worker_id", "begin_date", "end_date", "pk"))
    for worker_id, begin, end, pk in rows:
        if worker_id == worker and begin <= latest_end:
            bad.append((worker_id, pk))
        latest_end = max(latest_end, end) if worker_id == worker else end
        worker = worker_id
    return bad


def overfilled_orders() -> list[tuple[int, date]]:
    """(job order, period start) with more accepted + released proposals than positions."""
    from django.db.models import Count

    bad = []
    rows = (Proposal.objects.filter(state__in=Proposal.BOOKED_STATES).values("job_order_id", "begin_date")
            .annotate(n=Count("id")))
    jobs = JobOrder.objects.in_bulk({row["job_order_id"] for row in rows})
    for row in rows:
        if row["n"] > orders.positions_of(jobs[row["job_order_id"]]):
            bad.append((row["job_order_id"], row["begin_date"]))
    return bad
