"""Arrays validation, ISCO proximity and the factor-by-factor score (engine, no database)."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from temporada.matching.engine import reference
from temporada.matching.engine.arrays import (
    METHOD_CROSSWALK_SEVERAL,
    METHOD_DIRECT,
    PAD,
    InvalidInput,
    JobArrays,
    WorkerArrays,
    bits,
    from_days,
    to_days,
)
from temporada.matching.engine.rules import EligibilityRules
from temporada.matching.engine.scoring import FACTORS, JobTables, Weights, evaluate, occupation_levels

from .strategies import jobs as job_arrays
from .strategies import workers as worker_arrays


def make_workers(**overrides) -> WorkerArrays:
    """One worker with sensible defaults; keyword arguments replace columns (as lists)."""
    base = dict(
        ids=[1], origin=[0], region=[0], sex=[1], birth_year=[1990],
        exp_isco=[[9211, PAD, PAD]], exp_years=[[4.0, 0, 0]], languages=[bits(0)],
        passport_expiry=[to_days(dt.date(2030, 1, 1))],
        avail_start=[to_days(dt.date(2027, 3, 1))], avail_end=[to_days(dt.date(2027, 11, 30))],
        prior_count=[0], good_returns=[0], pref_dest=[0], pref_prog=[0],
        booked_start=[[PAD, PAD]], booked_end=[[PAD, PAD]],
    )
    base.update(overrides)
    return WorkerArrays(**base)


def make_jobs(**overrides) -> JobArrays:
    base = dict(
        ids=[10], programme=[0], destination=[5], eligible_origins=[bits(0, 1)],
        begin=[to_days(dt.date(2027, 4, 1))], end=[to_days(dt.date(2027, 9, 30))],
        isco=[[9211] + [PAD] * 5], isco_method=[[METHOD_DIRECT] * 6],
        req_exp_months=[0], req_lang=[0], pref_lang=[0], positions=[3],
    )
    base.update(overrides)
    return JobArrays(**base)


class Job:
    """Scalar job view for evaluate()."""

    def __init__(self, jobs: JobArrays, row: int = 0):
        self.isco, self.isco_method = jobs.isco[row], jobs.isco_method[row]
        self.pref_lang, self.destination, self.programme = jobs.pref_lang[row], jobs.destination[row], jobs.programme[row]


def score_one(workers, jobs, weights=None, experience_level=2):
    weights = weights or Weights()
    return evaluate(workers, Job(jobs), weights=weights, experience_level=experience_level)


# --- arrays ------------------------------------------------------------------------------------
def test_days_round_trip_and_missing():
    assert from_days(to_days(dt.date(2027, 2, 28))) == dt.date(2027, 2, 28)
    assert to_days(None) == PAD and from_days(PAD) is None


@pytest.mark.parametrize("change, message", [
    (dict(ids=[1, 1], origin=[0, 0]), "expected shape"),
    (dict(exp_isco=[[12345, PAD, PAD]]), "ISCO unit codes"),
    (dict(origin=[64]), "country bit"),
    (dict(good_returns=[2], prior_count=[1]), "good_returns"),
    (dict(booked_start=[[5, PAD]], booked_end=[[PAD, PAD]]), "padding"),
    (dict(booked_start=[[9, PAD]], booked_end=[[5, PAD]]), "start after end"),
    (dict(exp_years=[[np.nan, 0, 0]]), "finite"),
    (dict(exp_isco=[[9211, PAD]]), "expected shape"),
])
def test_worker_arrays_refuse_inconsistent_columns(change, message):
    with pytest.raises(InvalidInput, match=message):
        make_workers(**change)


def test_worker_ids_must_be_unique():
    two = dict(ids=[1, 1], origin=[0, 0], region=[0, 0], sex=[1, 1], birth_year=[1990] * 2,
               exp_isco=[[9211, PAD, PAD]] * 2, exp_years=[[1, 0, 0]] * 2, languages=[1, 1],
               passport_expiry=[0, 0], avail_start=[0, 0], avail_end=[0, 0], prior_count=[0, 0],
               good_returns=[0, 0], pref_dest=[0, 0], pref_prog=[0, 0],
               booked_start=[[PAD, PAD]] * 2, booked_end=[[PAD, PAD]] * 2)
    with pytest.raises(InvalidInput, match="duplicate"):
        WorkerArrays(**two)


@pytest.mark.parametrize("change, message", [
    (dict(begin=[100], end=[50]), "ends before it begins"),
    (dict(positions=[-1]), "negative capacity"),
    (dict(isco=[[PAD] * 6]), "at least one ISCO"),
    (dict(isco_method=[[7] * 6]), "mapping method"),
    (dict(req_exp_months=[-3]), "negative"),
])
def test_job_arrays_refuse_inconsistent_columns(change, message):
    with pytest.raises(InvalidInput, match=message):
        make_jobs(**change)


def test_take_and_head_select_rows():
    w = make_workers()
    assert len(w.take(np.array([0, 0]))) == 2
    assert len(w.head(0)) == 0


# --- ISCO proximity ------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b, expected", [
    (9211, 9211, 4), (9212, 9211, 3), (9215, 9211, 3), (9311, 9211, 1), (9621, 9211, 1),
    (6111, 9211, 0), (110, 110, 4), (110, 210, 1), (110, 1110, 0), (8341, 8342, 3), (8312, 8341, 2),
])
def test_proximity_levels_follow_the_digits(a, b, expected):
    got = occupation_levels(np.array([[a]]), np.array([b]))[0, 0, 0]
    assert got == expected == reference.level(a, b)


def test_padding_never_matches():
    assert occupation_levels(np.array([[PAD]]), np.array([PAD]))[0, 0, 0] == 0


def test_job_tables_pick_the_closest_code_and_say_which():
    weights = Weights()
    tables = JobTables(np.array([6310, 9211, PAD]), np.array([2, 2, 0]), weights)
    assert tables.level[9211] == 4 and tables.job_code[9211] == 9211
    assert tables.level[9213] == 3 and tables.job_code[9213] == 9211
    assert tables.level[6320] == 2 and tables.job_code[6320] == 6310
    assert tables.closeness[9211] == pytest.approx(0.85)  # one of several crosswalk codes
    assert tables.closeness[-1] == 0 and tables.job_code[-1] == -1


# --- factors -----------------------------------------------------------------------------------
def test_total_is_the_sum_of_contributions_and_explains_the_match():
    w = make_workers(exp_isco=[[6111, 9213, PAD]], exp_years=[[10, 2.5, 0]], good_returns=[2], prior_count=[2],
                     languages=[bits(0, 1)], pref_dest=[bits(5)])
    j = make_jobs(pref_lang=[bits(1)], isco=[[9211, 6310] + [PAD] * 4], isco_method=[[2, 2, 0, 0, 0, 0]])
    ev = score_one(w, j)
    assert ev.contributions.sum() == pytest.approx(ev.total[0], abs=1e-4)
    values = dict(zip(FACTORS, ev.factors[0], strict=True))
    assert values["occupation"] == pytest.approx(0.75 * 0.85)  # 9213 is in minor group 921 of 9211
    assert values["experience"] == pytest.approx(2.5 / 5)  # only the 2.5 years in 9213 are relevant
    assert values["participation"] == pytest.approx(2 / 3)
    assert values["language"] == 1 and values["preference"] == 1
    assert ev.worker_code[0] == 9213 and ev.job_code[0] == 9211 and ev.level[0] == 3


def test_bad_returns_lower_participation_and_first_timers_get_zero():
    w = make_workers(ids=[1, 2, 3], origin=[0] * 3, region=[0] * 3, sex=[1] * 3, birth_year=[1990] * 3,
                     exp_isco=[[9211, PAD, PAD]] * 3, exp_years=[[1, 0, 0]] * 3, languages=[1] * 3,
                     passport_expiry=[0] * 3, avail_start=[0] * 3, avail_end=[0] * 3,
                     prior_count=[3, 4, 0], good_returns=[3, 3, 0], pref_dest=[0] * 3, pref_prog=[0] * 3,
                     booked_start=[[PAD, PAD]] * 3, booked_end=[[PAD, PAD]] * 3)
    participation = score_one(w, make_jobs()).factors[:, 2]
    assert participation.tolist() == pytest.approx([1.0, 0.5, 0.0])


def test_stated_preferences_that_do_not_fit_cost_points():
    w = make_workers(pref_dest=[bits(7)], pref_prog=[bits(0)])
    assert score_one(w, make_jobs()).factors[0, 4] == pytest.approx(0.5)


def test_weights_are_validated():
    with pytest.raises(InvalidInput):
        Weights(occupation=-1)
    with pytest.raises(InvalidInput):
        Weights(occupation=0, experience=0, participation=0, language=0, preference=0)
    with pytest.raises(InvalidInput):
        Weights(level_value=(0, 0.5, 0.25, 0.75, 1))
    with pytest.raises(InvalidInput):
        EligibilityRules(min_occupation_level=0)


def test_weights_change_the_ranking():
    w = make_workers(ids=[1, 2], origin=[0, 0], region=[0, 0], sex=[1, 1], birth_year=[1990] * 2,
                     exp_isco=[[9211, PAD, PAD], [9311, PAD, PAD]], exp_years=[[0, 0, 0], [0, 0, 0]],
                     languages=[1, 1], passport_expiry=[0, 0], avail_start=[0, 0], avail_end=[0, 0],
                     prior_count=[0, 3], good_returns=[0, 3], pref_dest=[0, 0], pref_prog=[0, 0],
                     booked_start=[[PAD, PAD]] * 2, booked_end=[[PAD, PAD]] * 2)
    default = score_one(w, make_jobs()).total
    assert default[0] > default[1]  # same unit group beats good returns at the default weights
    returns_first = score_one(w, make_jobs(), weights=Weights(occupation=10, participation=60)).total
    assert returns_first[1] > returns_first[0]


@settings(max_examples=40, deadline=None)
@given(worker_arrays(min_size=1, max_size=12), job_arrays(min_size=1, max_size=3), st.integers(1, 4))
def test_vectorised_score_equals_the_plain_python_definition(workers, jobs, experience_level):
    rules = EligibilityRules(experience_level=experience_level)
    weights = Weights()
    plain_workers, plain_jobs = reference.rows(workers), reference.rows(jobs)
    for row in range(len(jobs)):
        ev = evaluate(workers, Job(jobs, row), weights=weights, experience_level=experience_level)
        for i, worker in enumerate(plain_workers):
            expected = reference.factors(worker, plain_jobs[row], rules, weights)
            assert ev.factors[i] == pytest.approx([expected[f] for f in FACTORS], abs=1e-5)
            assert ev.total[i] == pytest.approx(reference.score(worker, plain_jobs[row], rules, weights), abs=1e-3)


def test_crosswalk_method_discounts_the_same_code():
    direct = score_one(make_workers(), make_jobs()).factors[0, 0]
    several = score_one(make_workers(), make_jobs(isco_method=[[METHOD_CROSSWALK_SEVERAL] * 6])).factors[0, 0]
    assert direct == 1.0 and several == pytest.approx(0.85)
