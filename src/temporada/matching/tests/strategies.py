"""Hypothesis strategies: small random worker and job-order arrays for the engine's properties."""

import numpy as np
from hypothesis import strategies as st

from temporada.matching.engine.arrays import (
    BOOKED_SLOTS,
    EXPERIENCE_SLOTS,
    JOB_ISCO_SLOTS,
    PAD,
    JobArrays,
    WorkerArrays,
)

CODES = (9211, 9212, 9213, 9214, 9311, 6111, 6121, 6310, 7511, 5131)
DAY0 = 20_000  # a day number in 2024


@st.composite
def workers(draw, max_size: int = 30, min_size: int = 0) -> WorkerArrays:
    n = draw(st.integers(min_size, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    slots = rng.integers(0, EXPERIENCE_SLOTS + 1, n)
    exp = np.full((n, EXPERIENCE_SLOTS), PAD, np.int16)
    years = np.zeros((n, EXPERIENCE_SLOTS), np.float32)
    for i in range(n):
        codes = rng.choice(CODES, size=slots[i], replace=False)
        exp[i, : slots[i]] = codes
        years[i, : slots[i]] = rng.integers(0, 20, slots[i]) / 2
    start = DAY0 + rng.integers(0, 200, n)
    prior = rng.integers(0, 5, n)
    booked_start = np.full((n, BOOKED_SLOTS), PAD, np.int32)
    booked_end = np.full((n, BOOKED_SLOTS), PAD, np.int32)
    has = rng.random(n) < 0.2
    booked_start[has, 0] = DAY0 + rng.integers(0, 300, int(has.sum()))
    booked_end[has, 0] = booked_start[has, 0] + rng.integers(0, 90, int(has.sum()))
    return WorkerArrays(
        ids=np.arange(1, n + 1) * 7,
        origin=rng.integers(0, 4, n),
        region=rng.integers(0, 3, n),
        sex=rng.choice([1, 2], n),
        birth_year=rng.integers(1965, 2006, n),
        exp_isco=exp,
        exp_years=years,
        languages=rng.integers(0, 4, n),
        passport_expiry=np.where(rng.random(n) < 0.9, DAY0 + rng.integers(100, 900, n), PAD),
        avail_start=start,
        avail_end=start + rng.integers(30, 400, n),
        prior_count=prior,
        good_returns=rng.binomial(prior, 0.8),
        pref_dest=np.where(rng.random(n) < 0.3, 1 << rng.integers(10, 12, n), 0).astype(np.uint64),
        pref_prog=np.where(rng.random(n) < 0.3, 1 << rng.integers(0, 2, n), 0).astype(np.uint64),
        booked_start=booked_start,
        booked_end=booked_end,
    )


@st.composite
def jobs(draw, max_size: int = 8, min_size: int = 0) -> JobArrays:
    m = draw(st.integers(min_size, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    isco = np.full((m, JOB_ISCO_SLOTS), PAD, np.int16)
    method = np.zeros((m, JOB_ISCO_SLOTS), np.int8)
    for i in range(m):
        k = int(rng.integers(1, 4))
        isco[i, :k] = rng.choice(CODES, size=k, replace=False)
        method[i, :k] = 0 if k == 1 else 2
    begin = DAY0 + rng.integers(0, 300, m)
    return JobArrays(
        ids=np.arange(1, m + 1) * 11,
        programme=rng.integers(0, 2, m),
        destination=rng.integers(10, 12, m),
        eligible_origins=rng.choice([0b1111, 0b0011, 0b0101, 0b1000], m).astype(np.uint64),
        begin=begin,
        end=begin + rng.integers(0, 150, m),
        isco=isco,
        isco_method=method,
        req_exp_months=rng.choice([0, 0, 3, 12], m),
        req_lang=rng.choice([0, 0, 0, 2], m),
        pref_lang=rng.choice([0, 2], m),
        positions=rng.integers(0, 5, m),
    )
