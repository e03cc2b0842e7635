"""Season run properties: capacity, no double booking, eligibility, fairness, determinism, empties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from temporada.matching.engine import reference
from temporada.matching.engine.arrays import InvalidInput
from temporada.matching.engine.exact import exact_flow, full_graph, solve_exact
from temporada.matching.engine.fairness import FairnessTarget
from temporada.matching.engine.rules import EligibilityRules
from temporada.matching.engine.season import SeasonParams, check_assignment, season_run

from .strategies import jobs as job_arrays
from .strategies import workers as worker_arrays
from .test_engine_scoring import make_jobs
from .test_engine_shortlist import crew

TARGETS = st.sampled_from([
    (),
    (FairnessTarget("sex", (2,), min_share=0.3, scope="order"),),
    (FairnessTarget("sex", (1,), max_share=0.5, scope="order"),),
    (FairnessTarget("region", (0,), min_share=0.2, max_share=0.6, scope="run"),),
    (FairnessTarget("sex", (2,), min_share=0.4, scope="run"), FairnessTarget("region", (1, 2), max_share=0.7, scope="order")),
])


def assert_valid(workers, jobs, result, params):
    """Independent checks with the plain-Python rules, then the engine's own checker."""
    plain_w, plain_j = reference.rows(workers), reference.rows(jobs)
    filled = np.bincount(result.job_rows, minlength=len(jobs))
    assert (filled <= jobs.positions).all(), "an order is over-filled"
    assert (filled == result.filled).all()
    periods = {}
    for w, j in zip(result.worker_rows.tolist(), result.job_rows.tolist(), strict=True):
        assert reference.why_not(plain_w[w], plain_j[j], params.rules) is None, "ineligible pair"
        for b, e in periods.get(w, []):
            assert plain_j[j]["end"] < b or plain_j[j]["begin"] > e, "worker double-booked"
        periods.setdefault(w, []).append((plain_j[j]["begin"], plain_j[j]["end"]))
    for target in params.fairness:
        member = target.members(workers)[result.worker_rows]
        if target.scope == "run":
            assert target.satisfied(int(member.sum()), int((~member).sum()))
        else:
            for j in np.unique(result.job_rows):
                sel = result.job_rows == j
                assert target.satisfied(int(member[sel].sum()), int((~member[sel]).sum()))
    assert check_assignment(workers, jobs, result, params) == []


@settings(max_examples=60, deadline=None)
@given(worker_arrays(max_size=40), job_arrays(max_size=8), TARGETS, st.integers(0, 20), st.booleans())
def test_season_run_never_breaks_a_constraint(workers, jobs, targets, slack, multiple):
    params = SeasonParams(rules=EligibilityRules(availability_slack_days=slack), fairness=targets,
                          multiple_orders=multiple)
    result = season_run(workers, jobs, params=params)
    assert_valid(workers, jobs, result, params)
    if not multiple:
        assert np.unique(result.worker_rows).size == len(result), "a worker got two orders"
    np.testing.assert_allclose(result.contributions.sum(axis=1) * 100, result.units, atol=1)
    if len(result) == 0:
        assert result.reason is not None or result.stats.get("edges", 0) >= 0


@settings(max_examples=25, deadline=None)
@given(worker_arrays(min_size=1, max_size=25), job_arrays(min_size=1, max_size=6), st.booleans())
def test_same_input_and_seed_give_the_same_run(workers, jobs, multiple):
    first = season_run(workers, jobs, params=SeasonParams(seed=3, multiple_orders=multiple))
    again = season_run(workers, jobs, params=SeasonParams(seed=3, multiple_orders=multiple))
    for name in ("worker_rows", "job_rows", "units", "filled"):
        assert np.array_equal(getattr(first, name), getattr(again, name))


@settings(max_examples=30, deadline=None)
@given(worker_arrays(min_size=1, max_size=25), job_arrays(min_size=1, max_size=6))
def test_a_complete_candidate_graph_gives_the_exact_optimum(workers, jobs):
    # one order per worker is a min-cost flow: with K ≥ every worker the candidate graph is complete
    # and the run is exact, up to the flow's tie-breaking (< 1 unit per assignment)
    params = SeasonParams(order_candidates_extra=len(workers))
    result = season_run(workers, jobs, params=params)
    graph = full_graph(workers, jobs)
    exact = exact_flow(jobs, graph)
    mip = solve_exact(workers, jobs, graph, time_limit=30, multiple_orders=False)
    assert mip.optimal and mip.objective == exact.objective
    assert exact.objective - len(result) <= result.objective <= exact.objective


@settings(max_examples=20, deadline=None)
@given(worker_arrays(min_size=5, max_size=30), job_arrays(min_size=2, max_size=6))
def test_several_orders_per_worker_never_beat_the_exact_optimum(workers, jobs):
    result = season_run(workers, jobs, params=SeasonParams(multiple_orders=True))
    exact = solve_exact(workers, jobs, full_graph(workers, jobs), time_limit=30)
    assert exact.optimal
    assert result.objective <= exact.objective


def test_a_worker_gets_two_orders_that_do_not_overlap_when_allowed():
    workers = crew(dict())  # available March–November
    jobs = make_jobs(ids=[1, 2, 3], programme=[0] * 3, destination=[5] * 3, eligible_origins=[1] * 3,
                     begin=[20880, 20960, 20930], end=[20940, 21040, 21000],  # 2027: Mar–May, Jun–Sep, May–Jul
                     isco=[[9211] + [-1] * 5] * 3, isco_method=[[0] * 6] * 3, req_exp_months=[0] * 3,
                     req_lang=[0] * 3, pref_lang=[0] * 3, positions=[1] * 3)
    params = SeasonParams(multiple_orders=True)
    result = season_run(workers, jobs, params=params)
    assert sorted(result.job_rows.tolist()) == [0, 1]  # the two that fit one after the other
    assert_valid(workers, jobs, result, params)
    assert len(season_run(workers, jobs)) == 1  # by default one order per worker and run


def test_minimum_share_of_women_is_met_when_possible():
    people = [dict(sex=1, prior=3, good=3)] * 6 + [dict(sex=2)] * 4  # men rank higher
    workers = crew(*people)
    jobs = make_jobs(positions=[5])
    plain = season_run(workers, jobs)
    assert (workers.sex[plain.worker_rows] == 2).sum() == 0
    target = FairnessTarget("sex", (2,), min_share=0.4, scope="order")
    params = SeasonParams(fairness=(target,))
    fair = season_run(workers, jobs, params=params)
    assert len(fair) == 5 and (workers.sex[fair.worker_rows] == 2).sum() == 2
    assert fair.objective < plain.objective
    assert_valid(workers, jobs, fair, params)


def test_runs_without_candidates_say_why():
    workers = crew(dict(origin=9))
    jobs = make_jobs()
    result = season_run(workers, jobs)
    assert len(result) == 0 and result.reason == "no_eligible_pairs"
    assert "eligible" in result.reason_text
    closed = season_run(crew(dict()), make_jobs(positions=[0]))
    assert closed.reason == "no_open_orders"
    nobody = season_run(workers.take(np.zeros(0, np.int64)), jobs)
    assert nobody.reason == "no_workers" and nobody.filled.tolist() == [0]


def test_fairness_targets_are_validated():
    with pytest.raises(InvalidInput):
        FairnessTarget("age", (1,), min_share=0.2)
    with pytest.raises(InvalidInput):
        FairnessTarget("sex", (2,), min_share=0.6, max_share=0.4)
    with pytest.raises(InvalidInput):
        FairnessTarget("sex", (2,))
    with pytest.raises(InvalidInput):
        SeasonParams(fairness=(FairnessTarget("sex", (2,), min_share=0.2),
                               FairnessTarget("region", (1,), max_share=0.5)))


def test_fairness_arithmetic():
    target = FairnessTarget("sex", (2,), min_share=0.25, max_share=0.5)
    assert target.satisfied(0, 0) and target.satisfied(1, 3) and not target.satisfied(0, 3)
    assert not target.satisfied(3, 2)
    drop_g, drop_o = target.excess(np.array([3, 0, 1]), np.array([1, 4, 3]))
    assert drop_g.tolist() == [2, 0, 0] and drop_o.tolist() == [0, 4, 0]
    room_g, room_o = target.room(np.array([1]), np.array([3]))
    assert room_g.tolist() == [2] and room_o.tolist() == [0]


@settings(max_examples=15, deadline=None)
@given(worker_arrays(min_size=1, max_size=30), job_arrays(min_size=1, max_size=6))
def test_threads_do_not_change_the_result(workers, jobs):
    one = season_run(workers, jobs, params=SeasonParams(threads=1))
    two = season_run(workers, jobs, params=SeasonParams(threads=2))
    assert np.array_equal(one.worker_rows, two.worker_rows) and np.array_equal(one.job_rows, two.job_rows)


def test_settings_for_several_orders_are_valid_and_overridable():
    params = SeasonParams.for_multiple_orders(seed=4)
    assert params.multiple_orders and params.seed == 4 and params.order_candidates_factor > 1
    with pytest.raises(InvalidInput):
        SeasonParams(threads=0)
