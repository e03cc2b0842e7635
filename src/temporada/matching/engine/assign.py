"""Assignment over a candidate graph: auction, min-cost flows, schedules, fairness repair.

The problem: choose (worker, order) edges maximising the total score, with order capacities, no two
overlapping orders for one worker, and fairness shares.

**One order per worker** (the default) is a transportation problem. It is solved by
:func:`auction` — vectorised rounds in which every unassigned worker bids for its best order;
measured within 0.01 % of the exact optimum at a fraction of the time — or, with fairness targets
or ``solver="flow"``, by one OR-Tools ``SimpleMinCostFlow`` (exact; group caps live in the network).

**Several non-overlapping orders per worker** make it a flow with side constraints (a worker may
take a spring order and an autumn one), solved heuristically in three steps:

1. **Prices and schedules** (Lagrangian decomposition of the capacities). Given a price per order,
   each worker's best *schedule* — a set of non-overlapping candidate orders maximising
   Σ (score − price) — is a weighted interval scheduling problem, solved exactly for all workers at
   once by a vectorised dynamic programme over their candidate lists. Orders demanded beyond their
   capacity keep the workers who would lose most without them (surplus), raise their price to the
   first loser's surplus, and the losers look again; a few rounds settle the prices.
2. **Segmented min-cost flows.** Each worker's schedule cuts its availability into segments; a
   worker becomes one flow unit per segment, linked only to orders lying inside it, so any flow is
   free of overlaps. The flow finds the best assignment for these segments globally — at least as
   good as the schedules, which are one of its solutions. Later passes move the cuts around the
   orders the previous flow chose (before, around, after them): each pass can only improve.
3. **Repair and refill** (both modes). Assignments that break a fairness share are dropped (lowest
   scores first); then flows over the remaining open positions add orders that overlap nothing the
   worker holds, with caps that keep every share within bounds.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from .fairness import split_targets
from .timing import phase

NEG = -(1 << 40)
MAX_SEGMENTS = 16  # per worker and flow (a season holds far fewer orders)


class Schedules:
    """Candidate edges grouped by worker (CSR), each worker's edges sorted by end date."""

    def __init__(self, w: np.ndarray, j: np.ndarray, u: np.ndarray, begin: np.ndarray, end: np.ndarray):
        order = np.lexsort((end, w))
        self.perm = order  # position in the sorted layout -> index in the caller's arrays
        self.w, self.j, self.u = w[order], j[order], u[order].astype(np.int64)
        self.begin, self.end = begin[order].astype(np.int64), end[order].astype(np.int64)
        self.workers, first, self.deg = np.unique(self.w, return_index=True, return_counts=True)
        self.start = first.astype(np.int64)
        local = np.repeat(np.arange(self.workers.size), self.deg)
        self.local = local
        # pred[e]: how many of the worker's edges end before edge e begins (its last compatible prefix)
        span = int(max(self.end.max(), self.begin.max()) + 2) if self.w.size else 1
        keys = local * span + self.end
        self.pred = np.searchsorted(keys, local * span + self.begin, side="left") - self.start[local]

    def __len__(self) -> int:
        return int(self.w.shape[0])

    def best(self, rows: np.ndarray, value: np.ndarray, excluded: np.ndarray | None = None):
        """Best schedule value and chosen edges for local workers ``rows`` (one row may repeat, with a
        different ``excluded`` edge per row). ``value`` is per sorted edge; NEG = unusable."""
        rows = np.asarray(rows, np.int64)
        order = np.argsort(-self.deg[rows], kind="stable")
        rows = rows[order]
        ex = excluded[order] if excluded is not None else None
        d = self.deg[rows]
        offs = np.concatenate([[0], np.cumsum(d + 1)])[:-1]
        F = np.zeros(int((d + 1).sum()), np.int64)
        start = self.start[rows]
        neg_d = -d
        for k in range(int(d.max()) if d.size else 0):
            count = int(np.searchsorted(neg_d, -k, side="left"))  # rows with more than k edges
            e = start[:count] + k
            v = value[e]
            if ex is not None:
                v = np.where(e == ex[:count], NEG, v)
            o = offs[:count]
            F[o + k + 1] = np.maximum(F[o + k], v + F[o + self.pred[e]])
        total = F[offs + d]
        chosen = self._backtrack(F, offs, d, start)
        inverse = np.empty_like(order)
        inverse[order] = np.arange(order.size)
        return total[inverse], chosen, rows

    def _backtrack(self, F, offs, d, start) -> np.ndarray:
        cursor = d.copy()
        picked = []
        live = np.flatnonzero(cursor > 0)
        while live.size:
            c = cursor[live]
            take = F[offs[live] + c] > F[offs[live] + c - 1]
            e = start[live] + c - 1
            picked.append(e[take])
            cursor[live] = np.where(take, self.pred[e], c - 1)
            live = live[cursor[live] > 0]
        return np.concatenate(picked) if picked else np.zeros(0, np.int64)


def price_schedules(sched: Schedules, capacity: np.ndarray, *, max_rounds: int = 60,
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray, dict]:
    """Step 1: each worker's schedule (chosen sorted-edge positions) and the prices per order."""
    rng = np.random.default_rng([seed, 11])
    tiebreak = rng.permutation(len(sched)).astype(np.int64)
    price = np.zeros(capacity.shape[0], np.int64)
    usable = np.ones(len(sched), dtype=bool)
    chosen = np.zeros(len(sched), dtype=bool)
    todo = np.arange(sched.workers.size)
    rounds = 0
    while todo.size and rounds < max_rounds:
        rounds += 1
        value = np.where(usable, sched.u - price[sched.j], NEG)
        # forget the old schedules of the workers looking again
        mine = np.zeros(sched.workers.size, dtype=bool)
        mine[todo] = True
        chosen &= ~mine[sched.local]
        _, picked, _ = sched.best(todo, value)
        chosen[picked] = True
        demand = np.bincount(sched.j[chosen], minlength=capacity.shape[0])
        over = demand > capacity
        if not over.any():
            break
        edges = np.flatnonzero(chosen & over[sched.j])
        owners = sched.local[edges]
        with_all, _, _ = sched.best(owners, value)
        without, _, _ = sched.best(owners, value, excluded=edges)
        surplus = with_all - without
        # per order: keep the workers with the largest surplus, drop the others
        order = np.lexsort((tiebreak[edges], -surplus, sched.j[edges]))
        edges, surplus = edges[order], surplus[order]
        jobs = sched.j[edges]
        rank = np.arange(edges.size) - np.searchsorted(jobs, jobs, side="left")
        drop = rank >= capacity[jobs]
        first_out = rank == capacity[jobs]
        price[jobs[first_out]] += surplus[first_out]
        usable[edges[drop]] = False
        chosen[edges[drop]] = False
        todo = np.unique(sched.local[edges[drop]])
    info = {"price_rounds": rounds, "priced_orders": int((price > 0).sum())}
    return np.flatnonzero(chosen), price, info


def segments(sched: Schedules, chosen: np.ndarray, max_segments: int = 4, gaps: bool = False,
             before: bool = False) -> np.ndarray:
    """Segment of every sorted edge given the chosen schedule (-1: crosses a cut, unusable).

    Cuts fall after each chosen order but the worker's last; with ``gaps``, also just before each
    chosen order and after the last one, so the free time between orders becomes segments of its own.
    """
    seg = np.zeros(len(sched), np.int64)
    if chosen.size == 0:
        return seg
    order = np.lexsort((sched.begin[chosen], sched.local[chosen]))
    c = chosen[order]
    owner = sched.local[c]
    if gaps:
        cut_owner = np.repeat(owner, 2)
        cut_end = np.column_stack([sched.begin[c] - 1, sched.end[c]]).reshape(-1)
    elif before:  # cut just before every chosen order but the worker's first
        first = np.r_[True, owner[1:] != owner[:-1]]
        cut_owner, cut_end = owner[~first], sched.begin[c][~first] - 1
    else:
        last = np.r_[owner[1:] != owner[:-1], True]
        cut_owner, cut_end = owner[~last], sched.end[c][~last]
    if cut_owner.size == 0:
        return seg
    span = int(sched.end.max() + 2)
    keys = cut_owner * span + cut_end  # sorted: by owner, then by end (chosen orders do not overlap)
    lo = np.searchsorted(keys, sched.local * span, side="left")
    before = np.searchsorted(keys, sched.local * span + sched.begin, side="left") - lo  # cuts ending before begin
    ncuts = np.searchsorted(keys, sched.local * span + span - 1, side="right") - lo
    # the edge must end by the next cut (if any)
    nxt = np.minimum(lo + before, keys.size - 1)
    fits = (before >= ncuts) | (sched.end <= cut_end[nxt])
    seg = np.where(fits, np.minimum(before, max_segments - 1), -1)
    # a worker with more cuts than max_segments-1 would merge segments: mark such edges unusable
    seg[(before >= max_segments) & fits] = -1
    return seg


TIE_SCALE = 1024


def solve_flow(unit: np.ndarray, job: np.ndarray, units: np.ndarray, residual: np.ndarray, *,
               order_member: np.ndarray | None = None, run_member: np.ndarray | None = None,
               caps: dict | None = None, seed: int = 0, tiebreak: bool = True) -> np.ndarray:
    """Max-score assignment of flow ``unit``s (one order each) to jobs; returns a mask over edges.

    Network: source → [run group] → unit → [order group] → order → sink, plus a zero-cost bypass.
    ``order_member`` / ``run_member`` say per edge / per unit whether the worker is in the group.
    Costs are ``-(units × 1024 + r)`` with a seeded random ``r < 1024``: it breaks the many ties
    between equal scores (cost scaling runs about twice as fast) and can cost at most one score unit
    (0.01 point) per assignment. ``tiebreak=False`` gives the exact optimum.
    """
    caps = caps or {}
    edges = unit.shape[0]
    if edges == 0:
        return np.zeros(0, dtype=bool)
    u_ids, u_local = np.unique(unit, return_inverse=True)
    j_ids, j_local = np.unique(job, return_inverse=True)
    nu, nj = u_ids.size, j_ids.size
    tails, heads, capacity, cost = [], [], [], []

    def arcs(t, h, cap, c):
        t = np.asarray(t, np.int64).reshape(-1)
        tails.append(t)
        heads.append(np.asarray(h, np.int64).reshape(-1))
        capacity.append(np.broadcast_to(np.asarray(cap, np.int64), t.shape))
        cost.append(np.broadcast_to(np.asarray(c, np.int64), t.shape))

    source, sink, nodes = 0, 1, 2
    unit_node = nodes + np.arange(nu)
    nodes += nu
    big = int(nu)
    if "run" in caps:
        room_g, room_o = caps["run"]
        g_node, o_node = nodes, nodes + 1
        nodes += 2
        arcs([source, source], [g_node, o_node], [big if room_g < 0 else room_g, big if room_o < 0 else room_o], 0)
        member = np.asarray(run_member, dtype=bool)  # one per unit, in np.unique(unit) order
        arcs(np.where(member, g_node, o_node), unit_node, 1, 0)
    else:
        arcs(np.full(nu, source), unit_node, 1, 0)
    job_node = nodes + np.arange(nj)
    nodes += nj
    res = residual[j_ids]
    if "order" in caps:
        room_g, room_o = caps["order"]
        jg, jo = nodes + np.arange(nj), nodes + nj + np.arange(nj)
        nodes += 2 * nj
        rg, ro = room_g[j_ids], room_o[j_ids]
        arcs(jg, job_node, np.where(rg < 0, res, np.minimum(rg, res)), 0)
        arcs(jo, job_node, np.where(ro < 0, res, np.minimum(ro, res)), 0)
        target = np.where(order_member, jg[j_local], jo[j_local])
    else:
        target = job_node[j_local]
    first = sum(t.shape[0] for t in tails)
    if tiebreak:
        noise = np.random.default_rng([seed, 17]).integers(0, TIE_SCALE, edges)
        arcs(unit_node[u_local], target, 1, -(units.astype(np.int64) * TIE_SCALE + noise))
    else:
        arcs(unit_node[u_local], target, 1, -units.astype(np.int64))
    arcs(job_node, np.full(nj, sink), res, 0)
    arcs([source], [sink], big, 0)
    flow = min_cost_flow.SimpleMinCostFlow()
    handles = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(capacity), np.concatenate(cost))
    supplies = np.zeros(nodes, np.int64)
    supplies[source], supplies[sink] = big, -big
    flow.set_nodes_supplies(np.arange(nodes), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return flow.flows(handles[first:first + edges]) > 0


def _ranges(start: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated ranges [start_i, start_i + count_i) and the range number of each element."""
    owner = np.repeat(np.arange(count.size), count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(start, count) + offset, owner


def auction(w: np.ndarray, j: np.ndarray, units: np.ndarray, capacity: np.ndarray, *, epsilon: int = 32,
            seed: int = 0, max_rounds: int = 1_000_000) -> tuple[np.ndarray, int]:
    """One order per worker, maximum total score, by an auction (Bertsekas) over the edges.

    Each unassigned worker bids for its best order at current prices (value = score − price; staying
    unassigned is worth 0), raising the price by its margin over its second-best option plus
    ``epsilon``; an order keeps its ``capacity`` highest bids in its slots and its price becomes the
    lowest one kept once it is full. All unassigned workers bid at once (one vectorised round whose
    cost follows the bidders and the slots of the orders they bid for). The result is within
    ``epsilon`` units of the optimum per assigned worker (in practice far closer: see the benchmark)
    and never breaks a capacity. Returns (mask over edges, rounds).
    """
    order = np.lexsort((j, w))
    jo, uo = j[order], units[order].astype(np.int64)
    _, start, deg = np.unique(w[order], return_index=True, return_counts=True)
    n, m = start.size, capacity.shape[0]
    slots = np.minimum(capacity.astype(np.int64), np.bincount(jo, minlength=m))  # more are never needed
    offset = np.cumsum(slots) - slots
    slot_worker = np.full(int(slots.sum()), -1, np.int64)
    slot_bid = np.zeros(int(slots.sum()), np.int64)
    price = np.zeros(m, np.int64)
    held = np.full(n, -1, np.int64)  # sorted-edge position held by each worker
    out = np.zeros(n, dtype=bool)  # nothing worth a bid any more (prices never fall)
    tiebreak = np.random.default_rng([seed, 19]).permutation(n)
    floor = np.iinfo(np.int64).min // 4
    active = np.arange(n)
    rounds = 0
    while active.size and rounds < max_rounds:
        rounds += 1
        e, owner = _ranges(start[active], deg[active])
        value = uo[e] - price[jo[e]]
        first_of = np.cumsum(deg[active]) - deg[active]
        best = np.maximum.reduceat(value, first_of)
        where = np.minimum.reduceat(np.where(value == best[owner], np.arange(e.size), e.size), first_of)
        value[where] = floor
        second = np.maximum(np.maximum.reduceat(value, first_of), 0)
        alive = best > 0
        out[active[~alive]] = True
        bidders = active[alive]
        if bidders.size == 0:
            break
        target = e[where[alive]]
        offer = price[jo[target]] + best[alive] - second[alive] + epsilon
        # the slots of the orders bid for, and who sits in them
        touched = np.unique(jo[target])
        cells, cell_order = _ranges(offset[touched], slots[touched])
        sitting = slot_worker[cells] >= 0
        pool_w = np.concatenate([slot_worker[cells][sitting], bidders])
        pool_b = np.concatenate([slot_bid[cells][sitting], offer])
        pool_o = np.concatenate([touched[cell_order][sitting], jo[target]])
        pool_e = np.concatenate([held[slot_worker[cells][sitting]], target])
        newcomer = np.r_[np.zeros(int(sitting.sum()), bool), np.ones(bidders.size, bool)]
        ranked = np.lexsort((tiebreak[pool_w], newcomer, -pool_b, pool_o))
        pool_w, pool_b, pool_o, pool_e = (x[ranked] for x in (pool_w, pool_b, pool_o, pool_e))
        rank = np.arange(pool_o.size) - np.searchsorted(pool_o, pool_o, side="left")
        keep = rank < slots[pool_o]
        held[pool_w[~keep]] = -1
        held[pool_w[keep]] = pool_e[keep]
        slot_worker[cells] = -1
        slot_worker[offset[pool_o[keep]] + rank[keep]] = pool_w[keep]
        slot_bid[offset[pool_o[keep]] + rank[keep]] = pool_b[keep]
        full = keep & (rank == capacity[pool_o] - 1)
        price[pool_o[full]] = pool_b[full]
        lost = pool_w[~keep]
        active = np.concatenate([bidders[held[bidders] < 0], lost[~np.isin(lost, bidders)]])
        active = np.unique(active)
    mask = np.zeros(w.shape[0], dtype=bool)
    mask[order[held[held >= 0]]] = True
    return mask, rounds


# ----------------------------------------------------------------------------------------------
def assign(workers, jobs, graph, params, stats: dict):
    """Assignment over ``graph`` (edges w, j, u); returns the chosen (w, j, u).

    One order per worker (the default): an auction (``params.solver="auction"``, fast, within a
    hair of the optimum) or a single min-cost flow (``"flow"``, the exact optimum over the graph;
    always used with fairness targets, whose group caps live in the flow network).
    Several non-overlapping orders per worker (``params.multiple_orders``): steps 1–3 above.
    """
    per_order, per_run = split_targets(params.fairness)
    order_group = per_order.members(workers) if per_order else None
    run_group = per_run.members(workers) if per_run else None
    capacity = jobs.positions.astype(np.int64)
    if not params.multiple_orders:
        with phase(stats, "assignment"):
            empty = np.zeros(0, np.int64)
            keep = np.flatnonzero(_cap_degree(graph.w, graph.u, params.max_edges_per_worker, params.seed))
            gw, gj, gu = graph.w[keep], graph.j[keep], graph.u[keep]
            if params.solver == "auction" and not params.fairness:  # group caps need the flow network
                mask, stats["auction_rounds"] = auction(gw, gj, gu, capacity, epsilon=params.auction_epsilon,
                                                        seed=params.seed)
            else:
                caps = _caps(per_order, per_run, order_group, run_group, empty, empty, jobs, gw, first=True)
                mask = solve_flow(gw, gj, gu, capacity, caps=caps, seed=params.seed,
                                  **_groups(order_group, run_group, gw, gw))
            w, j, u = gw[mask], gj[mask], gu[mask]
        stats["flow_edges"] = int(keep.size)
        stats["flow_units"] = int(u.sum())
        w, j, u, dropped = _repair(per_order, per_run, order_group, run_group, w, j, u)
        stats["fairness_dropped"] = int(dropped)
        return w, j, u

    with phase(stats, "prices"):
        keep = _cap_degree(graph.w, graph.u, params.max_schedule_edges, params.seed)
        gw, gj, gu = graph.w[keep], graph.j[keep], graph.u[keep]
        sched = Schedules(gw, gj, gu, jobs.begin[gj], jobs.end[gj])
        chosen, price, info = price_schedules(sched, capacity, max_rounds=params.price_rounds, seed=params.seed)
    stats.update(info)
    stats["schedule_units"] = int(sched.u[chosen].sum())

    # Workers whose every candidate order kept spare room at price 0 already have their best
    # schedule and block nobody: they keep it; the flow re-optimises everyone else.
    with phase(stats, "flow"):
        demand = np.bincount(sched.j[chosen], minlength=len(jobs))
        contested = (price > 0) | (demand >= capacity)
        touches = np.zeros(sched.workers.size, dtype=bool)
        touches[sched.local[contested[sched.j]]] = True
        fixed = chosen[~touches[sched.local[chosen]]]
        stats["flow_workers"] = int(touches.sum())
        residual = capacity - np.bincount(sched.j[fixed], minlength=len(jobs))
        # pass 0 cuts after each scheduled order; later passes move the cuts around the orders the
        # previous flow chose (before them, around them, after them), so each flow can only improve
        modes = ("ends",) + ("gaps", "before", "ends") * params.flow_passes
        for mode in modes[: 1 + params.flow_passes]:
            seg = segments(sched, chosen, max_segments=MAX_SEGMENTS, gaps=mode == "gaps", before=mode == "before")
            live = np.flatnonzero((seg >= 0) & touches[sched.local])
            unit = sched.w[live] * (2 * MAX_SEGMENTS) + seg[live]
            caps = _caps(per_order, per_run, order_group, run_group, sched.w[fixed], sched.j[fixed], jobs,
                         sched.w[live], first=True)
            mask = solve_flow(unit, sched.j[live], sched.u[live], residual, **_groups(
                order_group, run_group, sched.w[live], unit), caps=caps, seed=params.seed)
            chosen = np.concatenate([fixed, live[mask]])
        stats["flow_edges"] = int(live.size)
    w, j, u = sched.w[chosen], sched.j[chosen], sched.u[chosen]
    stats["flow_units"] = int(u.sum())

    w, j, u, dropped = _repair(per_order, per_run, order_group, run_group, w, j, u)
    stats["fairness_dropped"] = int(dropped)
    return w, j, u


def refill(workers, jobs, graph, w, j, u, params, stats: dict, *, label: str = "refills"):
    """Flows over the positions still open, using the edges of ``graph`` that overlap nothing the
    worker already holds; caps keep every fairness share within bounds. Returns the new (w, j, u)."""
    per_order, per_run = split_targets(params.fairness)
    order_group = per_order.members(workers) if per_order else None
    run_group = per_run.members(workers) if per_run else None
    capacity = jobs.positions.astype(np.int64)
    used = np.isin(graph.w * len(jobs) + graph.j, w * len(jobs) + j)
    added = []
    for _ in range(params.refill_rounds):
        residual = capacity - np.bincount(j, minlength=len(jobs))
        if params.multiple_orders:
            live = ~used & (residual[graph.j] > 0) & _no_overlap(graph.w, graph.j, w, j, jobs)
        else:  # only workers who hold nothing yet
            holds = np.zeros(len(workers), dtype=bool)
            holds[w] = True
            live = ~used & (residual[graph.j] > 0) & ~holds[graph.w]
        idx = np.flatnonzero(live)
        if idx.size == 0:
            break
        caps = _caps(per_order, per_run, order_group, run_group, w, j, jobs, graph.w[idx], first=False)
        mask = solve_flow(graph.w[idx], graph.j[idx], graph.u[idx], residual,
                          **_groups(order_group, run_group, graph.w[idx], graph.w[idx]), caps=caps, seed=params.seed)
        add = idx[mask]
        used[add] = True
        added.append(int(add.size))
        w = np.concatenate([w, graph.w[add]])
        j = np.concatenate([j, graph.j[add]])
        u = np.concatenate([u, graph.u[add]])
        if add.size == 0:
            break
    stats[label] = added
    return w, j, u


def _cap_degree(w: np.ndarray, u: np.ndarray, limit: int, seed: int) -> np.ndarray:
    """Mask keeping at most ``limit`` edges per worker: the best scores, ties drawn at random."""
    keep = np.ones(w.shape[0], dtype=bool)
    if w.size == 0:
        return keep
    order = np.arange(w.size) if (np.diff(w) >= 0).all() else np.argsort(w, kind="stable")
    ws = w[order]
    workers, first, deg = np.unique(ws, return_index=True, return_counts=True)
    busy = np.flatnonzero(deg > limit)  # only their edges need sorting
    if busy.size == 0:
        return keep
    positions, local = _ranges(first[busy], deg[busy])
    idx = order[positions]
    noise = np.random.default_rng([seed, 13]).integers(0, 1 << 20, idx.size)
    key = (u[idx].astype(np.int64) << 20) | noise
    ranked = np.lexsort((-key, local))
    rank = np.arange(idx.size) - np.searchsorted(local[ranked], local[ranked], side="left")
    keep[idx[ranked[rank >= limit]]] = False
    return keep


def _groups(order_group, run_group, edge_worker, unit):
    out = {}
    if order_group is not None:
        out["order_member"] = order_group[edge_worker]
    if run_group is not None:
        # membership per unit, aligned with np.unique(unit)
        _, first = np.unique(unit, return_index=True)
        out["run_member"] = run_group[edge_worker[first]]
    return out


def _no_overlap(edge_w, edge_j, aw, aj, jobs) -> np.ndarray:
    """Edges whose order overlaps no order already given to the same worker."""
    ok = np.ones(edge_w.shape[0], dtype=bool)
    if aw.size == 0 or edge_w.size == 0:
        return ok
    order = np.argsort(aw, kind="stable")
    aw, aj = aw[order], aj[order]
    start = np.searchsorted(aw, edge_w, side="left")
    stop = np.searchsorted(aw, edge_w, side="right")
    for k in range(int((stop - start).max())):  # workers hold only a few orders
        has = start + k < stop
        other = aj[np.minimum(start + k, aw.size - 1)]
        ok &= ~(has & (jobs.begin[other] <= jobs.end[edge_j]) & (jobs.end[other] >= jobs.begin[edge_j]))
    return ok


def _caps(per_order, per_run, order_group, run_group, aw, aj, jobs, edge_workers, *, first):
    """Group capacities for a flow (-1 = unlimited): a priori at first, then the room left."""
    caps = {}
    m = len(jobs)
    if per_order is not None:
        if first:  # generous caps from the positions; the repair step makes the shares exact
            positions = jobs.positions.astype(np.int64)
            room_g = np.full(m, -1, np.int64)
            room_o = np.full(m, -1, np.int64)
            if per_order.max_share is not None:
                room_g = np.floor(per_order.max_share * positions + 1e-9).astype(np.int64)
            if per_order.min_share is not None:
                room_o = positions - np.ceil(per_order.min_share * positions - 1e-9).astype(np.int64)
        else:
            member = order_group[aw]
            room_g, room_o = per_order.room(np.bincount(aj[member], minlength=m),
                                            np.bincount(aj[~member], minlength=m))
        caps["order"] = (room_g, room_o)
    if per_run is not None:
        if first:  # bounded by the people who have an edge at all
            people = np.unique(edge_workers)
            g_max = int(run_group[people].sum())
            o_max = int(people.size - g_max)
            room_g = per_run.room(np.array([0]), np.array([o_max]))[0]
            room_o = per_run.room(np.array([g_max]), np.array([0]))[1]
        else:
            g_now = int(run_group[aw].sum())
            room_g, room_o = per_run.room(np.array([g_now]), np.array([aw.size - g_now]))
        caps["run"] = (int(room_g[0]), int(room_o[0]))
    return caps


def _repair(per_order, per_run, order_group, run_group, w, j, u):
    """Drop the lowest-scoring assignments that break a fairness bound (per order, then per run)."""
    dropped = 0
    for _ in range(8):
        changed = False
        if per_order is not None and w.size:
            member = order_group[w]
            m = int(j.max()) + 1
            drop_g, drop_o = per_order.excess(np.bincount(j[member], minlength=m),
                                              np.bincount(j[~member], minlength=m))
            if drop_g.any() or drop_o.any():
                keep = _drop_lowest(j, u, member, drop_g) & _drop_lowest(j, u, ~member, drop_o)
                dropped += int((~keep).sum())
                w, j, u = w[keep], j[keep], u[keep]
                changed = True
        if per_run is not None and w.size:
            member = run_group[w]
            drop_g, drop_o = per_run.excess(np.array([member.sum()]), np.array([(~member).sum()]))
            if drop_g[0] or drop_o[0]:
                zeros = np.zeros(w.size, np.int64)
                keep = _drop_lowest(zeros, u, member, drop_g) & _drop_lowest(zeros, u, ~member, drop_o)
                dropped += int((~keep).sum())
                w, j, u = w[keep], j[keep], u[keep]
                changed = True
        if not changed:
            return w, j, u, dropped
    # shares that no whole number of workers meets (min and max too close): empty what is left
    bad = np.zeros(w.size, dtype=bool)
    if per_order is not None and w.size:
        member = order_group[w]
        m = int(j.max()) + 1
        g = np.bincount(j[member], minlength=m)
        o = np.bincount(j[~member], minlength=m)
        violated = np.array([not per_order.satisfied(int(a), int(b)) for a, b in zip(g, o, strict=True)])
        bad |= violated[j]
    if per_run is not None and w.size and not per_run.satisfied(int(run_group[w].sum()), int((~run_group[w]).sum())):
        bad[:] = True
    dropped += int(bad.sum())
    return w[~bad], j[~bad], u[~bad], dropped


def _drop_lowest(group_key, units, eligible, count) -> np.ndarray:
    """Keep-mask dropping, within each group_key, the ``count[group]`` lowest-unit rows of ``eligible``."""
    keep = np.ones(units.size, dtype=bool)
    rows = np.flatnonzero(eligible)
    if rows.size == 0:
        return keep
    order = rows[np.lexsort((units[rows], group_key[rows]))]
    keys = group_key[order]
    rank = np.arange(order.size) - np.searchsorted(keys, keys, side="left")
    keep[order[rank < count[keys]]] = False
    return keep
