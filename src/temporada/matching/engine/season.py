"""Season run: assign workers to all open job orders at once.

Constraints (guaranteed by construction and re-checked by :func:`check_assignment`):

* every assignment is eligible (:mod:`.rules`; a worker's already-booked periods included);
* an order never gets more workers than its positions;
* a worker never holds two orders whose periods overlap (closed intervals). By default a run gives
  each worker **at most one order** — the usual recruitment practice, one contract at a time; the
  booked periods then keep later runs from overlapping it. With ``multiple_orders=True`` a run may
  give one worker several orders that follow one another (a spring and an autumn contract);
* fairness targets hold (:mod:`.fairness`).

Objective: the sum of the assigned pairs' scores (integer hundredths of a point), maximised.

How (and why it scales to 10⁶ workers × 10⁵ orders)
---------------------------------------------------
1. **Classes.** Orders sharing ISCO codes, programme, destination, eligible origins and languages
   score every worker identically; only dates, passport, booked periods and required experience
   differ. Classes that also share codes, origins and required languages share their members,
   selected once over the blocks of their ISCO major groups (:mod:`.index`).
2. **Bounded candidate graph.** For each class:
   *order side* — every order keeps its ``K = ceil(f × positions) + extra`` best date-eligible
   workers (scan of the class's best workers by score, ties by a seeded shuffle);
   *worker side* — every worker keeps, for each of its ``worker_classes`` best classes (among those
   with an order starting inside its availability), ``orders_per_class`` eligible orders drawn at
   random (stratified over the start dates inside its availability, every rule checked). The union
   is a sparse graph of about ten edges per worker.
3. **Assignment** (:mod:`.assign`). One order per worker: by default a vectorised auction over the
   graph (integer scores; at most ``auction_epsilon`` units per assigned worker below the graph's
   optimum); with fairness targets or ``solver="flow"``, one min-cost flow (OR-Tools
   ``SimpleMinCostFlow``, integer costs = −score), the exact optimum for that graph. Several orders
   per worker: prices and per-worker schedules, then segmented min-cost flows.
4. **Second pass.** Workers still without an order get fresh candidates among the orders that
   still have room, and a second flow places them.
5. **Fairness.** Caps per group in the network, a repair step that drops the lowest-scoring
   assignments breaking a share, and later flows that only add within the room left, so the
   targets hold exactly in the result.

The benchmark compares the result with the exact optimum over *every* eligible pair on
subsamples (:mod:`.exact`: a min-cost flow for one order per worker, an integer programme for
several).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .arrays import PAD, InvalidInput, JobArrays, WorkerArrays
from .assign import assign, refill
from .fairness import FairnessTarget, split_targets
from .index import WorkerIndex
from .rules import EligibilityRules, booked_ok, experience_ok, language_ok, origin_ok
from .scoring import FACTORS, JobTables, Weights, evaluate, row_max, to_units
from .timing import phase

REASONS = {
    "no_open_orders": "there is no open job order (with positions) in the run",
    "no_workers": "there are no worker profiles in the run",
    "no_eligible_pairs": "no worker is eligible for any open job order",
}


@dataclass(frozen=True)
class SeasonParams:
    rules: EligibilityRules = field(default_factory=EligibilityRules)
    weights: Weights = field(default_factory=Weights)
    fairness: tuple[FairnessTarget, ...] = ()
    multiple_orders: bool = False  # may a worker get several orders that do not overlap?
    solver: str = "auction"  # one order per worker: "auction" (fast) or "flow" (exact min-cost flow)
    auction_epsilon: int = 128  # auction: minimum bid increment, in score units (1.28 points)
    order_candidates_factor: float = 1.0  # order side: K = ceil(factor × positions) + extra
    order_candidates_extra: int = 5
    worker_classes: int = 8  # worker side: best classes kept per worker
    orders_per_class: int = 4  # worker side: orders kept per class
    samples_per_class: int = 24  # worker side: draws per worker and class
    max_edges_per_worker: int = 12  # best candidate orders per worker kept for the one-order flow
    max_schedule_edges: int = 64  # the same for schedules when several orders are allowed
    price_rounds: int = 60  # step 1: rounds of price updates
    flow_passes: int = 3  # step 2: segmented flows after the first (each one can only improve)
    refill_rounds: int = 2  # step 3: flows over the positions still open
    scan_cap: int = 1 << 14  # order side: how many of a class's best workers are scanned
    threads: int = 2  # candidate generation threads
    seed: int = 0

    @classmethod
    def for_multiple_orders(cls, **overrides) -> SeasonParams:
        """Settings for ``multiple_orders``: a wider order side (top workers linked to many orders, so
        that schedules of several orders can form) and fewer classes per worker."""
        settings = dict(multiple_orders=True, order_candidates_factor=6.0, order_candidates_extra=30,
                        worker_classes=3, orders_per_class=3, samples_per_class=12)
        return cls(**(settings | overrides))

    def __post_init__(self):
        if self.order_candidates_factor < 1 or self.order_candidates_extra < 0:
            raise InvalidInput("order_candidates_factor must be ≥ 1 and order_candidates_extra ≥ 0")
        if min(self.worker_classes, self.orders_per_class, self.samples_per_class) < 1 or self.flow_passes < 0:
            raise InvalidInput("worker_classes, orders_per_class and samples_per_class must be ≥ 1, flow_passes ≥ 0")
        if self.solver not in ("auction", "flow") or self.auction_epsilon < 1:
            raise InvalidInput('solver must be "auction" or "flow", auction_epsilon ≥ 1')
        if self.threads < 1 or self.max_edges_per_worker < 1 or self.max_schedule_edges < 1:
            raise InvalidInput("threads, max_edges_per_worker and max_schedule_edges must be ≥ 1")
        if self.price_rounds < 1 or self.refill_rounds < 0:
            raise InvalidInput("price_rounds must be ≥ 1 and refill_rounds ≥ 0")
        if self.orders_per_class > self.samples_per_class:
            raise InvalidInput("orders_per_class cannot exceed samples_per_class")
        split_targets(self.fairness)


@dataclass
class SeasonResult:
    worker_rows: np.ndarray  # (a,) rows of the workers arrays
    job_rows: np.ndarray  # (a,) rows of the job arrays
    units: np.ndarray  # (a,) score in hundredths of a point
    contributions: np.ndarray  # (a, 5) points per factor
    filled: np.ndarray  # (m,) positions filled per job row
    reason: str | None = None
    stats: dict = field(default_factory=dict)
    factor_names: tuple[str, ...] = FACTORS

    def __len__(self) -> int:
        return int(self.worker_rows.shape[0])

    @property
    def objective(self) -> int:
        return int(self.units.sum())

    @property
    def reason_text(self) -> str | None:
        return REASONS.get(self.reason) if self.reason else None


# ----------------------------------------------------------------------------------------------
def season_run(workers: WorkerArrays, jobs: JobArrays, *, params: SeasonParams | None = None,
               index: WorkerIndex | None = None) -> SeasonResult:
    """Assign ``workers`` to the open ``jobs`` (see the module docstring)."""
    params = params or SeasonParams()
    stats: dict = {"timings": {}, "cpu": {}}
    open_jobs = np.flatnonzero(jobs.positions > 0)
    if len(workers) == 0:
        return _empty(jobs, "no_workers", stats)
    if open_jobs.size == 0:
        return _empty(jobs, "no_open_orders", stats)
    with phase(stats, "index"):
        index = index or WorkerIndex(workers)
    with phase(stats, "candidates"):
        graph = build_candidates(index, jobs, open_jobs, params, stats)
    stats["edges"] = int(graph.w.shape[0])
    if graph.w.shape[0] == 0:
        return _empty(jobs, "no_eligible_pairs", stats)
    w, j, u = assign(workers, jobs, graph, params, stats)
    with phase(stats, "refill"):
        w, j, u = refill(workers, jobs, graph, w, j, u, params, stats)
    del graph
    # Fresh candidates for what is left: open positions × workers holding nothing yet.
    with phase(stats, "second_pass"):
        open_left = np.flatnonzero(jobs.positions - np.bincount(j, minlength=len(jobs)) > 0)
        free = np.ones(len(workers), dtype=bool)
        free[w] = False
        if params.refill_rounds and open_left.size and free.any():
            extra = build_candidates(index, jobs, open_left, params, {}, allowed=free)
            w, j, u = refill(workers, jobs, extra, w, j, u, params, stats, label="second_pass")
    with phase(stats, "explain"):
        contributions = explain_pairs(workers, jobs, w, j, params)
    filled = np.bincount(j, minlength=len(jobs)).astype(np.int32)
    order = np.lexsort((w, j))
    return SeasonResult(worker_rows=w[order], job_rows=j[order], units=u[order],
                        contributions=contributions[order], filled=filled, stats=stats)


def _empty(jobs: JobArrays, reason: str, stats: dict) -> SeasonResult:
    empty = np.zeros(0, np.int64)
    return SeasonResult(worker_rows=empty, job_rows=empty, units=empty,
                        contributions=np.zeros((0, len(FACTORS)), np.float32),
                        filled=np.zeros(len(jobs), np.int32), reason=reason, stats=stats)


# ----------------------------------------------------------------------------------------------
@dataclass
class CandidateGraph:
    w: np.ndarray  # worker rows
    j: np.ndarray  # job rows
    u: np.ndarray  # score units


def job_classes(jobs: JobArrays, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(representative row per class, class of each of ``rows``): orders that score alike."""
    key = np.column_stack([
        jobs.isco[rows].astype(np.int64),
        jobs.isco_method[rows].astype(np.int64),
        jobs.programme[rows].astype(np.int64),
        jobs.destination[rows].astype(np.int64),
        jobs.eligible_origins[rows].view(np.int64),
        jobs.req_lang[rows].astype(np.int64),
        jobs.pref_lang[rows].astype(np.int64),
    ])
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return rows[first], inverse.reshape(-1)


class _ClassJob:
    """Scalar view of a class representative for :func:`scoring.evaluate`."""

    def __init__(self, jobs: JobArrays, row: int):
        self.isco = jobs.isco[row]
        self.isco_method = jobs.isco_method[row]
        self.pref_lang = jobs.pref_lang[row]
        self.destination = jobs.destination[row]
        self.programme = jobs.programme[row]
        self.eligible_origins = int(jobs.eligible_origins[row])
        self.req_lang = int(jobs.req_lang[row])
        codes = self.isco[self.isco != PAD]
        self.majors = tuple(sorted({int(c) // 1000 for c in codes}))


class _Members:
    """Class-eligible workers of one class with the columns the date rules need."""

    names = ("avail_start", "avail_end", "passport_expiry", "booked_start", "booked_end")

    def __init__(self, pieces, booked=None):
        def join(name):
            return pieces[0][name] if len(pieces) == 1 else np.concatenate([p[name] for p in pieces])

        self.rows, self.units, self.years = join("rows"), join("units"), join("years")
        for name in self.names:
            setattr(self, name, join(name))
        self.booked = booked if booked is not None else (self.booked_start != PAD).any(axis=1)

    @classmethod
    def of_rows(cls, workers: WorkerArrays, rows, units, years) -> _Members:
        return cls([{"rows": rows, "units": units, "years": years,
                     **{name: getattr(workers, name)[rows] for name in cls.names}}])

    def __len__(self):
        return int(self.rows.shape[0])

    def take(self, order):
        other = object.__new__(_Members)
        for name in ("rows", "units", "years", "booked", *self.names):
            setattr(other, name, getattr(self, name)[order])
        return other


def build_candidates(index: WorkerIndex, jobs: JobArrays, open_jobs: np.ndarray, params: SeasonParams,
                     stats: dict, allowed: np.ndarray | None = None) -> CandidateGraph:
    """The bounded candidate graph (see the module docstring, step 2).

    Pass one, group of classes by group: the members (class-level rules and score), the
    order-side edges, and each worker's running top ``worker_classes`` classes among those with an
    order starting inside its availability. Pass two, class by class: sampled orders for the
    workers who kept that class. Both passes run on ``params.threads`` threads (NumPy releases the
    interpreter lock inside its loops); every random draw is seeded per class, so the result does
    not depend on the thread schedule.
    """
    workers = index.workers
    slack = params.rules.availability_slack_days
    shuffle = np.random.default_rng([params.seed, 7]).permutation(len(workers)).astype(np.int64)
    reps, klass = job_classes(jobs, open_jobs)
    stats["classes"] = int(reps.shape[0])
    if reps.shape[0] >= 1 << CLASS_BITS:
        raise InvalidInput("too many distinct job-order classes in one run")
    C = params.worker_classes
    order = np.argsort(klass, kind="stable")
    bounds = np.searchsorted(klass[order], np.arange(reps.shape[0] + 1))
    class_jobs_of = []
    for c in range(reps.shape[0]):
        rows = open_jobs[order[bounds[c]:bounds[c + 1]]]
        class_jobs_of.append(rows[np.argsort(jobs.begin[rows], kind="stable")])

    # classes sharing codes, eligible origins and required languages share their members
    group_key = np.column_stack([jobs.isco[reps].astype(np.int64), jobs.eligible_origins[reps].view(np.int64),
                                 jobs.req_lang[reps].astype(np.int64)])
    _, group = np.unique(group_key, axis=0, return_inverse=True)
    group = group.reshape(-1)
    groups = [np.flatnonzero(group == g) for g in range(int(group.max()) + 1)]
    local = threading.local()

    def pass_one(classes: np.ndarray):
        if not hasattr(local, "best"):  # per-thread state, merged below
            local.best = np.full((len(workers), C), -1, dtype=np.int64)
            local.stamp = np.full(len(workers), -1, dtype=np.int32)
            states.append(local.best)
        base = _group_members(index, jobs, int(reps[classes[0]]), int(group[classes[0]]), local.stamp, params,
                              allowed)
        out, count = [], 0
        for c in classes:
            members = base.scored(_ClassJob(jobs, int(reps[c])), params)
            if len(members) == 0:
                continue
            count += len(members)
            out.append(_order_side(members, jobs, class_jobs_of[c], slack, params, shuffle))
            # keep this class among the worker's best ones if some order starts inside its availability
            begins = jobs.begin[class_jobs_of[c]]
            lo = np.searchsorted(begins, members.avail_start - slack, side="left")
            hi = np.searchsorted(begins, members.avail_end + slack, side="right")
            live = np.flatnonzero(hi > lo)
            _keep_best(local.best, members.rows[live], (members.units[live] << CLASS_BITS) | int(c))
        return out, count

    states: list = []
    results = _run(pass_one, groups, params.threads)
    order_edges = [edges for out, _ in results for edges in out]
    stats["class_members"] = int(sum(count for _, count in results))
    best = states[0] if states else np.full((len(workers), C), -1, dtype=np.int64)
    for other in states[1:]:
        for column in other.T:
            _keep_best(best, np.flatnonzero(column >= 0), column[column >= 0])

    # pass two: sampled orders of each worker's best classes
    keys = best.T.reshape(-1)
    pair_row = np.tile(np.arange(len(workers)), C)[keys >= 0]
    pair_class = (keys[keys >= 0] & ((1 << CLASS_BITS) - 1)).astype(np.int64)
    order = np.argsort(pair_class, kind="stable")
    pair_class, pair_row = pair_class[order], pair_row[order]
    cuts = np.flatnonzero(np.r_[True, pair_class[1:] != pair_class[:-1], True]) if pair_class.size else []

    def pass_two(span):
        a, b = span
        c = int(pair_class[a])
        rows = pair_row[a:b]
        job = _ClassJob(jobs, int(reps[c]))
        ev = evaluate(_Subset(workers, rows), job, weights=params.weights,
                      experience_level=params.rules.experience_level, tables=_tables(job, params.weights),
                      explain=False)
        members = _Members.of_rows(workers, rows, to_units(ev.total), ev.relevant_years)
        rng = np.random.default_rng([params.seed, 7, c])
        return _worker_side(members, jobs, class_jobs_of[c], slack, params, rng)

    sampled = _run(pass_two, list(zip(cuts[:-1], cuts[1:], strict=False)), params.threads)
    stats["worker_side_edges"] = int(sum(x[0].shape[0] for x in sampled))
    stats["order_side_edges"] = int(sum(x[0].shape[0] for x in order_edges))
    empty = np.zeros(0, np.int64)
    w = np.concatenate([empty, *(x[0] for x in sampled), *(x[0] for x in order_edges)]).astype(np.int64)
    j = np.concatenate([empty, *(x[1] for x in sampled), *(x[1] for x in order_edges)]).astype(np.int64)
    u = np.concatenate([empty, *(x[2] for x in sampled), *(x[2] for x in order_edges)]).astype(np.int64)
    key = w * len(jobs) + j
    key, first = np.unique(key, return_index=True)
    return CandidateGraph(w=key // len(jobs), j=key % len(jobs), u=u[first])


def _run(function, items, threads: int) -> list:
    """``function`` over ``items`` in order, on a thread pool when ``threads`` > 1."""
    if threads == 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(function, items))


class _GroupMembers:
    """Workers passing the class-level rules shared by a group of classes (occupation, origin,
    required languages), with their date columns and scoring columns."""

    def __init__(self, rows, years, dates: dict, scoring: _Subset):
        self.rows, self.years, self.dates, self.scoring = rows, years, dates, scoring
        self.booked = (dates["booked_start"] != PAD).any(axis=1)

    def scored(self, job, params: SeasonParams) -> _Members:
        """The members with their score for one class of the group (language and preferences vary)."""
        ev = evaluate(self.scoring, job, weights=params.weights, experience_level=params.rules.experience_level,
                      tables=_tables(job, params.weights), explain=False)
        return _Members([{"rows": self.rows, "units": to_units(ev.total), "years": self.years, **self.dates}],
                        booked=self.booked)


def _group_members(index: WorkerIndex, jobs: JobArrays, rep: int, group_no: int, stamp: np.ndarray,
                   params: SeasonParams, allowed: np.ndarray | None = None) -> _GroupMembers:
    rules, weights = params.rules, params.weights
    job = _ClassJob(jobs, rep)
    tables = _tables(job, weights)
    rows_out, years_out, dates, scoring = [], [], {name: [] for name in _Members.names}, []
    for group in job.majors:
        block, rows = index.blocks[group], index.rows[group]
        if allowed is None:  # masks over the whole block, no index gathers
            mask = origin_ok(block.origin, job.eligible_origins)
            if job.req_lang:
                mask &= language_ok(block.languages, job.req_lang)
            if len(job.majors) > 1:
                mask &= stamp[rows] != group_no
                stamp[rows[mask]] = group_no
            keep = np.flatnonzero(mask)
        else:
            keep = np.flatnonzero(allowed[rows])
            mask = origin_ok(block.origin[keep], job.eligible_origins)
            if job.req_lang:
                mask &= language_ok(block.languages[keep], job.req_lang)
            if len(job.majors) > 1:
                mask &= stamp[rows[keep]] != group_no
                stamp[rows[keep[mask]]] = group_no
            keep = keep[mask]
        slot_level = tables.level[block.exp_isco[keep]]
        close = row_max(slot_level) >= rules.min_occupation_level if keep.size else np.zeros(0, bool)
        keep, slot_level = keep[close], slot_level[close]
        sub = _Subset(block, keep)
        relevant = np.where(slot_level >= rules.experience_level, sub.exp_years, np.float32(0))
        years = row_max(relevant) if keep.size else np.zeros(0, np.float32)
        rows_out.append(rows[keep])
        years_out.append(years)
        scoring.append(sub)
        for name in _Members.names:
            dates[name].append(getattr(block, name)[keep])
    return _GroupMembers(
        np.concatenate(rows_out), np.concatenate(years_out),
        {name: np.concatenate(parts) for name, parts in dates.items()},
        _Subset.concat(scoring),
    )


_TABLES: dict = {}


def _tables(job, weights: Weights) -> JobTables:
    """Lookup tables per (codes, methods, weights), shared by classes with the same occupation."""
    key = (job.isco.tobytes(), job.isco_method.tobytes(), weights)
    tables = _TABLES.get(key)
    if tables is None:  # two threads may both build it: harmless
        if len(_TABLES) > 4096:
            _TABLES.clear()
        tables = _TABLES[key] = JobTables(job.isco, job.isco_method, weights)
    return tables


CLASS_BITS = 22


def _keep_best(best: np.ndarray, rows: np.ndarray, keys: np.ndarray) -> None:
    """Insert packed class keys into each worker's best ones: ``best`` is (workers, C), best first.
    Rows are read and written whole (C contiguous values), which keeps this cheap at 10⁶ workers."""
    better = keys > best[rows, -1]
    if not better.any():
        return
    rows, keys = rows[better], keys[better]
    old = best[rows]
    slot = (old >= keys[:, None]).sum(axis=1)  # where the new key goes
    rank = np.arange(best.shape[1])[None, :]
    shifted = np.concatenate([old[:, :1], old[:, :-1]], axis=1)
    best[rows] = np.where(rank < slot[:, None], old, np.where(rank == slot[:, None], keys[:, None], shifted))


class _Subset:
    """Scoring columns of ``block`` restricted to ``rows``."""

    names = ("exp_isco", "exp_years", "good_returns", "prior_count", "languages", "pref_dest", "pref_prog")

    def __init__(self, block, rows):
        for name in self.names:
            setattr(self, name, getattr(block, name)[rows])

    @classmethod
    def concat(cls, parts):
        if len(parts) == 1:
            return parts[0]
        out = object.__new__(cls)
        for name in cls.names:
            setattr(out, name, np.concatenate([getattr(p, name) for p in parts]))
        return out


def _date_ok(members: _Members, pos, jobs: JobArrays, job_rows, slack: int) -> np.ndarray:
    """All per-order rules for member positions ``pos`` × job rows (broadcast shapes)."""
    begin, end = jobs.begin[job_rows], jobs.end[job_rows]
    ok = (members.avail_start[pos] <= begin + slack) & (members.avail_end[pos] >= end - slack)
    ok &= members.passport_expiry[pos] >= end
    ok &= experience_ok(members.years[pos], jobs.req_exp_months[job_rows])
    booked = members.booked[pos]
    if booked.any():
        bpos = np.broadcast_to(pos, ok.shape)[booked & ok]
        bjob = np.broadcast_to(job_rows, ok.shape)[booked & ok]
        free = booked_ok(members.booked_start[bpos], members.booked_end[bpos], jobs.begin[bjob], jobs.end[bjob])
        ok[booked & ok] = free
    return ok


def _worker_side(members, jobs, class_jobs, slack, params, rng):
    """For each member, ``orders_per_class`` distinct eligible orders of the class drawn among those
    starting inside its availability (stratified draws over that range)."""
    R, L = params.samples_per_class, params.orders_per_class
    begins = jobs.begin[class_jobs]
    lo = np.searchsorted(begins, members.avail_start - slack, side="left")
    hi = np.searchsorted(begins, members.avail_end + slack, side="right")
    span = hi - lo
    live = np.flatnonzero(span > 0)
    empty = np.zeros(0, np.int64)
    if live.size == 0:
        return empty, empty, empty
    span, lo = span[live], lo[live]
    u = (np.arange(R)[None, :] + rng.random((live.size, R))) / R
    pick = lo[:, None] + np.minimum((u * span[:, None]).astype(np.int64), span[:, None] - 1)
    job_rows = class_jobs[pick]
    ok = _date_ok(members, live[:, None], jobs, job_rows, slack)
    # first L distinct valid draws (draws are sorted within a row, so equal ones are adjacent)
    ok[:, 1:] &= pick[:, 1:] != pick[:, :-1]
    chosen = ok & (np.cumsum(ok, axis=1) <= L)
    r, col = np.nonzero(chosen)
    return members.rows[live[r]], job_rows[r, col].astype(np.int64), members.units[live[r]]


def _order_side(members, jobs, class_jobs, slack, params, shuffle):
    """Each order's K best date-eligible members (members ranked by score, ties shuffled)."""
    key = members.units * (1 << 32) + (shuffle[members.rows] & 0xFFFFFFFF)  # score, ties shuffled
    limit = min(len(members), params.scan_cap)
    top = np.argpartition(-key, limit - 1)[:limit] if limit < len(members) else np.arange(len(members))
    ranked = members.take(top[np.argsort(-key[top], kind="stable")])
    want = np.ceil(params.order_candidates_factor * jobs.positions[class_jobs]).astype(np.int64)
    want = np.minimum(want + params.order_candidates_extra, limit)
    out: list[tuple] = []

    def scan(orders: np.ndarray, window: int) -> None:
        # test the first ``window`` ranked members against each order; rescan the short ones wider
        budget = 1 << 22  # cells of the (orders × window) test matrix per batch
        step = max(1, budget // window)
        short_all = []
        for start in range(0, orders.size, step):
            batch = orders[start:start + step]
            job_rows = class_jobs[batch]
            ok = _date_ok(ranked, np.arange(window)[None, :], jobs, job_rows[:, None], slack)
            cum = np.cumsum(ok, axis=1, dtype=np.int32)
            short = (cum[:, -1] < want[batch]) & (window < limit)
            chosen = ok & (cum <= want[batch][:, None]) & ~short[:, None]
            r, col = np.nonzero(chosen)
            out.append((ranked.rows[col], job_rows[r], ranked.units[col]))
            short_all.append(batch[short])
        short = np.concatenate(short_all) if short_all else np.zeros(0, np.int64)
        if short.size:
            scan(short, min(window * 8, limit))

    first_window = np.clip(2 ** np.ceil(np.log2(np.maximum(4 * want, 1))), 256, limit).astype(np.int64)
    for window in np.unique(first_window):
        scan(np.flatnonzero(first_window == window), int(window))
    if not out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return (np.concatenate([o[0] for o in out]).astype(np.int64), np.concatenate([o[1] for o in out]).astype(np.int64),
            np.concatenate([o[2] for o in out]))


# ----------------------------------------------------------------------------------------------
def explain_pairs(workers: WorkerArrays, jobs: JobArrays, w: np.ndarray, j: np.ndarray,
                  params: SeasonParams) -> np.ndarray:
    """Factor contributions (a, 5) of assigned pairs, computed class by class."""
    out = np.zeros((w.shape[0], len(FACTORS)), np.float32)
    if w.shape[0] == 0:
        return out
    reps, klass = job_classes(jobs, j)
    for c, rep in enumerate(reps):
        sel = np.flatnonzero(klass == c)
        job = _ClassJob(jobs, int(rep))
        ev = evaluate(_Subset(workers, w[sel]), job, weights=params.weights,
                      experience_level=params.rules.experience_level)
        out[sel] = ev.contributions
    return out


def check_assignment(workers: WorkerArrays, jobs: JobArrays, result: SeasonResult,
                     params: SeasonParams | None = None) -> list[str]:
    """Problems with a result (empty list = none): capacity, overlaps, eligibility, fairness."""
    params = params or SeasonParams()
    rules = params.rules
    problems = []
    w, j = result.worker_rows, result.job_rows
    if (np.bincount(j, minlength=len(jobs)) > jobs.positions).any():
        problems.append("over-filled order")
    if np.unique(w * len(jobs) + j).size != w.size:
        problems.append("same pair twice")
    order = np.lexsort((jobs.begin[j], w))
    ws, begins, ends = w[order], jobs.begin[j[order]], jobs.end[j[order]]
    for k in range(1, ws.size):  # sorted by worker then begin: compare with the latest end so far
        if ws[k] == ws[k - 1] and begins[k] <= ends[k - 1]:
            problems.append(f"worker row {ws[k]} double-booked")
            break
        if ws[k] == ws[k - 1]:
            ends[k] = max(ends[k], ends[k - 1])
    if w.size:
        sub = workers.take(w)
        ok = origin_ok(sub.origin, jobs.eligible_origins[j])
        ok &= language_ok(sub.languages, jobs.req_lang[j])
        ok &= (sub.avail_start <= jobs.begin[j] + rules.availability_slack_days)
        ok &= (sub.avail_end >= jobs.end[j] - rules.availability_slack_days)
        ok &= sub.passport_expiry >= jobs.end[j]
        ok &= booked_ok(sub.booked_start, sub.booked_end, jobs.begin[j], jobs.end[j])
        reps, klass = job_classes(jobs, j)
        for c, rep in enumerate(reps):
            sel = np.flatnonzero(klass == c)
            ev = evaluate(_Subset(workers, w[sel]), _ClassJob(jobs, int(rep)), weights=params.weights,
                          experience_level=rules.experience_level, explain=False)
            ok[sel] &= ev.max_level >= rules.min_occupation_level
            ok[sel] &= experience_ok(ev.relevant_years, jobs.req_exp_months[j[sel]])
        if not ok.all():
            k = int(np.flatnonzero(~ok)[0])
            problems.append(f"ineligible pair: worker row {w[k]} / job row {j[k]}")
    per_order, per_run = split_targets(params.fairness)
    if per_order is not None and w.size:
        member = per_order.members(workers)[w]
        g = np.bincount(j[member], minlength=len(jobs))
        o = np.bincount(j[~member], minlength=len(jobs))
        if not all(per_order.satisfied(int(a), int(b)) for a, b in zip(g, o, strict=True)):
            problems.append("per-order fairness target broken")
    if per_run is not None and w.size:
        member = per_run.members(workers)[w]
        if not per_run.satisfied(int(member.sum()), int((~member).sum())):
            problems.append("run-wide fairness target broken")
    return problems
