"""The seeded SYNTHETIC generator: reproducible, and its distributions trace to the vendored files."""

import numpy as np
import pytest

from temporada.core.bootstrap import data_path
from temporada.matching.engine import synthetic as syn
from temporada.matching.engine.arrays import PAD

H2A_FY2017_CERTIFIED = 200_049  # OFLC's published total for FY2017 primary cases


@pytest.fixture(scope="module")
def mix():
    return syn.DemandMix.from_files(data_path())


def test_same_seed_same_arrays_other_seed_other_arrays(mix):
    a = syn.generate_workers(2_000, mix=mix, seed=5)
    b = syn.generate_workers(2_000, mix=mix, seed=5)
    c = syn.generate_workers(2_000, mix=mix, seed=6)
    for name in ("origin", "exp_isco", "avail_start", "passport_expiry", "pref_dest"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.exp_isco, c.exp_isco)
    assert np.array_equal(syn.generate_jobs(300, mix=mix, seed=5).begin, syn.generate_jobs(300, mix=mix, seed=5).begin)


def test_demand_mix_comes_from_the_official_files(mix):
    h2a = mix.programme == syn.PROGRAMME_BIT["us-h2a"]
    certified = int(mix.positions[h2a].sum())
    # primary cases only; the few with an unmapped SOC code or no dates are left out
    assert 0.99 * H2A_FY2017_CERTIFIED <= certified <= H2A_FY2017_CERTIFIED
    farm = mix.occupation[h2a] == "45-2092"
    assert mix.positions[h2a][farm].sum() / certified > 0.85  # crop farmworkers dominate H-2A
    assert set(mix.isco[h2a][farm][0][mix.isco[h2a][farm][0] != PAD].tolist()) == {6310, 6330, 9211, 9213, 9214}
    landscaping = mix.occupation == "37-3011"
    assert (mix.programme[landscaping] == syn.PROGRAMME_BIT["us-h2b"]).all()
    assert mix.eligible_origins["ca-sawp"][0] == "MEX" and "JAM" in mix.eligible_origins["ca-sawp"]


def test_workers_follow_the_documented_distributions(mix):
    workers = syn.generate_workers(20_000, mix=mix, seed=1)
    share = np.bincount(workers.origin, minlength=64) / len(workers)
    assert share.argmax() == syn.COUNTRY_BIT["MEX"] and share[syn.COUNTRY_BIT["MEX"]] == pytest.approx(0.60, abs=0.02)
    assert share[syn.COUNTRY_BIT["GTM"]] == pytest.approx(0.12, abs=0.01)
    assert (workers.sex == syn.SEX_MALE).mean() == pytest.approx(0.9, abs=0.01)
    codes = workers.exp_isco[workers.exp_isco != PAD]
    assert np.isin(codes, mix.isco_units).all()
    assert (workers.avail_start <= workers.avail_end).all()
    assert (workers.good_returns <= workers.prior_count).all()
    guatemalans = workers.region[workers.origin == syn.COUNTRY_BIT["GTM"]]
    assert all(mix.region_codes[r].startswith("GT-") for r in np.unique(guatemalans))


def test_jobs_copy_real_cases(mix):
    jobs = syn.generate_jobs(5_000, mix=mix, seed=1)
    share_h2a = (jobs.programme == syn.PROGRAMME_BIT["us-h2a"]).mean()
    assert share_h2a == pytest.approx((mix.programme == syn.PROGRAMME_BIT["us-h2a"]).mean(), abs=0.02)
    assert np.isin(jobs.positions, mix.positions).all()
    h2a = jobs.programme == syn.PROGRAMME_BIT["us-h2a"]
    expected = syn.origin_mask(mix.eligible_origins["us-h2a"])
    assert (jobs.eligible_origins[h2a] == expected).all()
    sawp = jobs.programme == syn.PROGRAMME_BIT["ca-sawp"]
    assert ((jobs.end - jobs.begin)[sawp] <= syn.SAWP_MAX_DAYS).all()
