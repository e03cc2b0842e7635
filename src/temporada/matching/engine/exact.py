"""Exact reference for small instances: every eligible pair, solved as an integer program.

Used by the benchmark (quality of the season run on a subsample) and by tests. Variables are the
eligible (worker, order) pairs; constraints are exactly those of the season run:

* Σ pairs of an order ≤ positions;
* for every worker and every start date ``t`` of its candidate orders, Σ pairs of that worker whose
  order covers ``t`` ≤ 1 — the maximal cliques of an interval graph sit at start dates, so this is
  "no two overlapping orders";
* fairness shares as linear constraints (``g ≥ s × (g + o)`` and ``g ≤ s × (g + o)``).

Solved by a MIP solver through OR-Tools (HiGHS by default); ``optimal`` says whether optimality was
proven within the time limit, ``bound`` is the proven upper bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from .arrays import JobArrays, WorkerArrays
from .assign import solve_flow
from .fairness import split_targets
from .index import WorkerIndex
from .rules import EligibilityRules, booked_ok, experience_ok, language_ok, origin_ok
from .scoring import JobTables, Weights, evaluate, to_units
from .season import CandidateGraph, _ClassJob, _Subset, job_classes


def full_graph(workers: WorkerArrays, jobs: JobArrays, *, rules: EligibilityRules | None = None,
               weights: Weights | None = None) -> CandidateGraph:
    """Every eligible (worker, open order) pair with its score units (small instances only)."""
    rules = rules or EligibilityRules()
    weights = weights or Weights()
    index = WorkerIndex(workers)
    open_jobs = np.flatnonzero(jobs.positions > 0)
    out_w, out_j, out_u = [], [], []
    if open_jobs.size == 0 or len(workers) == 0:
        empty = np.zeros(0, np.int64)
        return CandidateGraph(empty, empty, empty)
    reps, klass = job_classes(jobs, open_jobs)
    slack = rules.availability_slack_days
    for c, rep in enumerate(reps):
        job = _ClassJob(jobs, int(rep))
        rows = np.unique(np.concatenate([index.rows[g] for g in job.majors]))
        ev = evaluate(_Subset(workers, rows), job, weights=weights, experience_level=rules.experience_level,
                      tables=JobTables(job.isco, job.isco_method, weights), explain=False)
        keep = origin_ok(workers.origin[rows], job.eligible_origins)
        keep &= language_ok(workers.languages[rows], job.req_lang)
        keep &= ev.max_level >= rules.min_occupation_level
        rows, units, years = rows[keep], to_units(ev.total[keep]), ev.relevant_years[keep]
        for job_row in open_jobs[klass == c]:
            begin, end = jobs.begin[job_row], jobs.end[job_row]
            ok = (workers.avail_start[rows] <= begin + slack) & (workers.avail_end[rows] >= end - slack)
            ok &= workers.passport_expiry[rows] >= end
            ok &= experience_ok(years, jobs.req_exp_months[job_row])
            ok &= booked_ok(workers.booked_start[rows], workers.booked_end[rows], begin, end)
            out_w.append(rows[ok])
            out_j.append(np.full(int(ok.sum()), job_row, np.int64))
            out_u.append(units[ok])
    w, j, u = np.concatenate(out_w), np.concatenate(out_j), np.concatenate(out_u)
    order = np.lexsort((j, w))
    return CandidateGraph(w=w[order].astype(np.int64), j=j[order], u=u[order])


@dataclass
class ExactResult:
    objective: int  # units of the best solution found
    bound: float  # proven upper bound (equals objective when optimal)
    optimal: bool
    worker_rows: np.ndarray
    job_rows: np.ndarray
    units: np.ndarray
    seconds: float


def exact_flow(jobs: JobArrays, graph: CandidateGraph) -> ExactResult:
    """Exact optimum with ONE order per worker and no fairness target: a min-cost flow over ``graph``
    without tie-breaking noise."""
    clock = time.perf_counter()
    mask = solve_flow(graph.w, graph.j, graph.u, jobs.positions.astype(np.int64), tiebreak=False)
    objective = int(graph.u[mask].sum())
    return ExactResult(objective=objective, bound=float(objective), optimal=True, worker_rows=graph.w[mask],
                       job_rows=graph.j[mask], units=graph.u[mask], seconds=time.perf_counter() - clock)


def solve_exact(workers: WorkerArrays, jobs: JobArrays, graph: CandidateGraph, *, fairness=(),
                time_limit: float = 600.0, solver: str = "HIGHS", multiple_orders: bool = True) -> ExactResult:
    """Optimum of the season-run problem over ``graph`` (normally :func:`full_graph`), by MIP.

    ``solver``: an OR-Tools MIP backend ("HIGHS", "SCIP" or "CBC"). When the time limit stops the
    search before any solution, ``objective`` is -1 and ``bound`` comes from the LP relaxation.
    ``multiple_orders=False``: at most one order per worker (the season run's default).
    """
    mip, x = _model(workers, jobs, graph, fairness, solver, integer=True, multiple_orders=multiple_orders)
    mip.SetTimeLimit(int(time_limit * 1000))
    status = mip.Solve()
    seconds = mip.wall_time() / 1000
    if status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        chosen = np.array([v.solution_value() > 0.5 for v in x], dtype=bool)
        objective = int(graph.u[chosen].sum())
        optimal = status == pywraplp.Solver.OPTIMAL
        bound = float(objective if optimal else mip.Objective().BestBound())
    else:
        chosen = np.zeros(len(x), dtype=bool)
        objective, optimal = -1, False
        bound = lp_bound(workers, jobs, graph, fairness=fairness, multiple_orders=multiple_orders)
    return ExactResult(objective=objective, bound=bound, optimal=optimal, worker_rows=graph.w[chosen],
                       job_rows=graph.j[chosen], units=graph.u[chosen], seconds=seconds)


def lp_bound(workers: WorkerArrays, jobs: JobArrays, graph: CandidateGraph, *, fairness=(),
             solver: str = "GLOP", multiple_orders: bool = True) -> float:
    """Optimum of the LP relaxation: an upper bound on the exact optimum (often equal to it here)."""
    lp, _ = _model(workers, jobs, graph, fairness, solver, integer=False, multiple_orders=multiple_orders)
    status = lp.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        raise RuntimeError(f"LP relaxation failed with status {status}")
    return float(lp.Objective().Value())


def _model(workers, jobs, graph, fairness, solver: str, *, integer: bool, multiple_orders: bool = True):
    mip = pywraplp.Solver.CreateSolver(solver)
    if mip is None:
        raise RuntimeError(f"solver {solver} is not available")
    mip.SuppressOutput()
    n = graph.w.shape[0]
    x = [mip.BoolVar("") if integer else mip.NumVar(0.0, 1.0, "") for _ in range(n)]
    # capacity per order
    order = np.argsort(graph.j, kind="stable")
    for edges in _groups_of(graph.j, order):
        job_row = int(graph.j[edges[0]])
        if edges.size > jobs.positions[job_row]:
            mip.Add(mip.Sum([x[e] for e in edges]) <= int(jobs.positions[job_row]))
    # no two overlapping orders per worker: one clique per start date of its candidate orders
    order = np.argsort(graph.w, kind="stable")
    for edges in _groups_of(graph.w, order):
        if not multiple_orders:
            if edges.size > 1:
                mip.Add(mip.Sum([x[e] for e in edges]) <= 1)
            continue
        begins, ends = jobs.begin[graph.j[edges]], jobs.end[graph.j[edges]]
        cliques = set()
        for t in np.unique(begins):
            clique = tuple(edges[(begins <= t) & (ends >= t)].tolist())
            if len(clique) > 1:
                cliques.add(clique)
        for clique in cliques:
            mip.Add(mip.Sum([x[e] for e in clique]) <= 1)
    per_order, per_run = split_targets(fairness)
    if per_order is not None:
        member = per_order.members(workers)[graph.w]
        order = np.argsort(graph.j, kind="stable")
        for edges in _groups_of(graph.j, order):
            _share(mip, x, edges, member[edges], per_order)
    if per_run is not None:
        member = per_run.members(workers)[graph.w]
        _share(mip, x, np.arange(n), member, per_run)
    mip.Maximize(mip.Sum([int(graph.u[e]) * x[e] for e in range(n)]))
    return mip, x


def _groups_of(key: np.ndarray, order: np.ndarray):
    if key.size == 0:
        return
    sorted_key = key[order]
    cuts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1], True])
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        yield order[a:b]


def _share(mip, x, edges, member, target) -> None:
    group = mip.Sum([x[e] for e, m in zip(edges, member, strict=True) if m])
    everyone = mip.Sum([x[e] for e in edges])
    if target.min_share is not None:
        mip.Add(group >= target.min_share * everyone)
    if target.max_share is not None:
        mip.Add(group <= target.max_share * everyone)
