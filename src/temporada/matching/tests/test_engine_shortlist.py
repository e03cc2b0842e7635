"""Shortlist for one job order: rules, filters, ranking, explanations, empty results."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from temporada.matching.engine import Filters, WorkerIndex, reference, shortlist
from temporada.matching.engine.arrays import PAD, WorkerArrays, bits, to_days
from temporada.matching.engine.rules import EligibilityRules
from temporada.matching.engine.scoring import Weights

from .strategies import jobs as job_arrays
from .strategies import workers as worker_arrays
from .test_engine_scoring import make_jobs


def crew(*specs) -> WorkerArrays:
    """Workers from small dicts (defaults: eligible for make_jobs())."""
    default = dict(origin=0, region=1, sex=1, birth_year=1990, exp=(9211,), years=(3.0,), languages=1,
                   passport=to_days(dt.date(2030, 1, 1)), start=to_days(dt.date(2027, 3, 1)),
                   end=to_days(dt.date(2027, 11, 30)), prior=0, good=0, booked=None)
    rows = [default | spec for spec in specs]
    n = len(rows)

    def pad(values, width, fill):
        return [list(v) + [fill] * (width - len(v)) for v in values]

    return WorkerArrays(
        ids=[100 + i for i in range(n)],
        origin=[r["origin"] for r in rows], region=[r["region"] for r in rows], sex=[r["sex"] for r in rows],
        birth_year=[r["birth_year"] for r in rows],
        exp_isco=pad([r["exp"] for r in rows], 3, PAD), exp_years=pad([r["years"] for r in rows], 3, 0),
        languages=[r["languages"] for r in rows], passport_expiry=[r["passport"] for r in rows],
        avail_start=[r["start"] for r in rows], avail_end=[r["end"] for r in rows],
        prior_count=[r["prior"] for r in rows], good_returns=[r["good"] for r in rows],
        pref_dest=[0] * n, pref_prog=[0] * n,
        booked_start=pad([r["booked"][:1] if r["booked"] else [] for r in rows], 2, PAD),
        booked_end=pad([r["booked"][1:] if r["booked"] else [] for r in rows], 2, PAD),
    )


def test_each_rule_removes_its_worker_and_the_funnel_counts_them():
    job = make_jobs(req_lang=[bits(1)], req_exp_months=[12])
    english = bits(0, 1)
    workers = crew(
        dict(languages=english),  # eligible
        dict(languages=english, origin=5),  # origin not eligible
        dict(languages=english, start=to_days(dt.date(2027, 5, 1))),  # available too late
        dict(languages=english, passport=to_days(dt.date(2027, 6, 1))),  # passport expires during the job
        dict(),  # no English
        dict(languages=english, booked=(to_days(dt.date(2027, 9, 1)), to_days(dt.date(2027, 10, 1)))),
        dict(languages=english, years=(0.5,)),  # 6 months < 12 required
        dict(languages=english, exp=(5131,)),  # waiter: other major group
    )
    result = shortlist(WorkerIndex(workers), job, 0, n=10)
    assert result.worker_ids.tolist() == [100]
    funnel = dict(result.funnel)
    assert funnel["workers"] == 8 and funnel["occupation_family"] == 7
    assert funnel["availability"] == 6 and funnel["passport"] == 5 and funnel["origin"] == 4
    assert funnel["language"] == 3 and funnel["booked"] == 2 and funnel["experience"] == 1
    assert result.eligible_count == 1 and result.reason is None


def test_availability_slack_is_applied_both_ways():
    job = make_jobs()
    late = crew(dict(start=to_days(dt.date(2027, 4, 5)), end=to_days(dt.date(2027, 9, 25))))
    assert len(shortlist(WorkerIndex(late), job, 0)) == 0
    relaxed = shortlist(WorkerIndex(late), job, 0, rules=EligibilityRules(availability_slack_days=5))
    assert len(relaxed) == 1


def test_empty_shortlist_names_the_rule_that_emptied_it():
    workers = crew(dict(origin=9), dict(origin=8))
    result = shortlist(WorkerIndex(workers), make_jobs(), 0)
    assert len(result) == 0 and result.reason == "origin"
    assert "eligible for the programme" in result.reason_text
    nobody = shortlist(WorkerIndex(crew(dict(exp=(5131,)))), make_jobs(), 0)
    assert nobody.reason == "occupation_family"
    empty = WorkerIndex(crew(dict()).take(np.zeros(0, np.int64)))
    assert shortlist(empty, make_jobs(), 0).reason == "no_workers"


def test_filters_narrow_the_list():
    workers = crew(dict(sex=2, region=4), dict(sex=1, region=4, good=2, prior=2), dict(sex=2, region=5, birth_year=1960))
    index = WorkerIndex(workers)
    job = make_jobs()
    assert shortlist(index, job, 0, filters=Filters(sexes=(2,))).worker_ids.tolist() == [100, 102]
    assert shortlist(index, job, 0, filters=Filters(regions=(4,), min_good_returns=1)).worker_ids.tolist() == [101]
    assert shortlist(index, job, 0, filters=Filters(max_age=45)).worker_ids.tolist() == [101, 100]
    assert shortlist(index, job, 0, filters=Filters(exclude_ids=(100, 101))).worker_ids.tolist() == [102]
    result = shortlist(index, job, 0, filters=Filters(origins=(3,)))
    assert result.reason == "filters" and len(result) == 0


def test_ranking_reads_factor_by_factor():
    workers = crew(dict(exp=(9213,), years=(1.0,)), dict(exp=(9211,), years=(6.0,), prior=3, good=3),
                   dict(exp=(9311,), years=(8.0,)))
    result = shortlist(WorkerIndex(workers), make_jobs(), 0)
    assert result.worker_ids.tolist() == [101, 100, 102]
    assert result.level.tolist() == [4, 3, 1]
    assert result.worker_code.tolist() == [9211, 9213, 9311] and result.job_code.tolist() == [9211] * 3
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.total, atol=1e-4)
    assert result.contributions[0].tolist() == pytest.approx([40, 20, 15, 10, 15])


def test_ties_are_broken_by_row_and_top_n_cuts():
    workers = crew(*[dict() for _ in range(7)])
    result = shortlist(WorkerIndex(workers), make_jobs(), 0, n=3)
    assert result.worker_ids.tolist() == [100, 101, 102] and result.eligible_count == 7


def test_job_row_and_n_are_checked():
    index = WorkerIndex(crew(dict()))
    with pytest.raises(IndexError):
        shortlist(index, make_jobs(), 3)
    with pytest.raises(ValueError):
        shortlist(index, make_jobs(), 0, n=0)


@settings(max_examples=60, deadline=None)
@given(worker_arrays(max_size=40), job_arrays(min_size=1, max_size=3), st.integers(1, 8),
       st.sampled_from([None, Filters(sexes=(2,)), Filters(regions=(0, 1), min_age=25), Filters(languages=2)]),
       st.integers(0, 10))
def test_shortlist_equals_a_full_scan_in_plain_python(workers, jobs, n, filters, slack):
    rules, weights = EligibilityRules(availability_slack_days=slack), Weights()
    index = WorkerIndex(workers)
    plain_workers, plain_jobs = reference.rows(workers), reference.rows(jobs)
    for row in range(len(jobs)):
        got = shortlist(index, jobs, row, n=n, filters=filters, rules=rules, weights=weights)
        expected = reference.shortlist(plain_workers, plain_jobs[row], n, rules, weights, filters)
        assert got.rows.tolist() == [r for _, r in expected]
        assert got.total.tolist() == pytest.approx([s for s, _ in expected], abs=1e-3)
        eligible = sum(reference.why_not(w, plain_jobs[row], rules) is None for w in plain_workers)
        if filters is None:
            assert got.eligible_count == eligible
        if len(got) == 0:
            assert got.reason is not None
