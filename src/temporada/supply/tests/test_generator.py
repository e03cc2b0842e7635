"""Synthetic profiles: seeded, labelled, realistic enough, and never in statistics."""

from datetime import date
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from temporada.supply import pii, stats, synthetic
from temporada.supply.models import Consent, Participation, Worker, WorkerLanguage, WorkerOccupation

from .conftest import tiny_distributions

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def snapshot():
    rows = Worker.objects.order_by("id").values_list(
        "given_names", "family_names", "birth_date", "sex", "nationality_id", "residence_subdivision_id",
        "national_id_hash", "passport_hash", "passport_expiry", "primary_isco", "primary_years", "available_from",
        "available_until", "status", "has_matching_consent")
    occupations = list(WorkerOccupation.objects.order_by("worker_id", "isco_code").values_list("isco_code", "years"))
    return list(rows), occupations


def test_same_seed_same_profiles_other_seed_other_profiles(origins, monkeypatch):
    monkeypatch.setattr(synthetic, "DELETE_CHUNK", 7)  # several id ranges per delete
    dist = tiny_distributions(("GTM", "HND"))
    synthetic.generate(count=40, seed=7, dist=dist, today=TODAY, batch_size=15)
    first = snapshot()
    assert synthetic.delete_synthetic() == 40
    assert not Worker.objects.exists() and not WorkerOccupation.objects.exists()
    synthetic.generate(count=40, seed=7, dist=dist, today=TODAY, batch_size=15)
    assert snapshot() == first
    synthetic.delete_synthetic()
    synthetic.generate(count=40, seed=8, dist=dist, today=TODAY, batch_size=15)
    assert snapshot()[0] != first[0]


def test_profiles_are_labelled_and_documents_cannot_collide_with_real_ones(origins):
    synthetic.generate(count=30, seed=3, dist=tiny_distributions(), today=TODAY)
    workers = list(Worker.objects.all())
    assert all(w.is_synthetic and w.origin == Worker.Origin.SYNTHETIC for w in workers)
    assert all(pii.decrypt(w.national_id_encrypted).startswith("SYN") for w in workers)
    assert Consent.objects.filter(method="synthetic").count() >= 30
    # a second run continues the numbering instead of repeating document numbers
    synthetic.generate(count=30, seed=3, dist=tiny_distributions(), today=TODAY)
    assert Worker.objects.values("national_id_hash").distinct().count() == 60


def test_profiles_are_consistent(origins):
    synthetic.generate(count=300, seed=11, dist=tiny_distributions(("GTM", "HND")), today=TODAY)
    for w in Worker.objects.prefetch_related("occupations", "languages", "participations"):
        age = w.age_on(TODAY)
        assert 18 <= age <= 56
        assert w.available_from >= TODAY and w.available_until > w.available_from
        assert w.residence_subdivision.country_id == w.nationality_id
        years = {o.isco_code: o.years for o in w.occupations.all()}
        assert w.primary_years == max(years.values()) == years[w.primary_isco]  # main = most years
        assert all(o.years <= max(age - 16, 0) for o in w.occupations.all())
        assert w.languages.filter(language="es", level="native").exists()
        assert all(p.season >= w.birth_date.year + 18 for p in w.participations.all())
        assert bool(w.passport_hash) == bool(w.passport_expiry)
    sexes = Worker.objects.filter(sex="F").count() / Worker.objects.count()
    assert 0.05 < sexes < 0.25
    assert WorkerLanguage.objects.filter(language__in=["quc", "mam", "kek", "cak", "kjb"]).exists()
    assert Participation.objects.exists()


def test_orm_and_fast_writers_store_the_same_rows(origins):
    synthetic.generate(count=25, seed=5, dist=tiny_distributions(), today=TODAY, writer="orm")
    orm = snapshot()
    synthetic.delete_synthetic()
    synthetic.generate(count=25, seed=5, dist=tiny_distributions(), today=TODAY, writer="fast")
    assert snapshot() == orm


def test_synthetic_profiles_stay_out_of_statistics(origins):
    synthetic.generate(count=50, seed=2, dist=tiny_distributions(), today=TODAY)
    start = date(2027, 1, 1)
    assert sum(stats.available_by_month(start=start, count=12).values()) == 0
    assert sum(stats.available_by_month(start=start, count=12, include_synthetic=True).values()) > 0


def test_real_distributions_follow_the_sources(origins):
    """UN DESA stock to USA+CAN puts Mexico first; the occupations are those of H-2A farm work."""
    countries, weights = synthetic.origin_weights()
    shares = dict(zip(countries, weights, strict=True))
    assert max(shares, key=shares.get) == "MEX" and abs(sum(weights) - 1) < 1e-9
    # USA 10,853,105 + CAN 86,780 Mexican-born vs USA 1,226,849 + CAN 18,602 Guatemalan-born (2020)
    assert shares["MEX"] / shares["GTM"] == pytest.approx((10853105 + 86780) / (1226849 + 18602))
    assert synthetic.canada_share()["SLV"] == pytest.approx(51776 / (51776 + 1410659))


@pytest.mark.slow
def test_occupation_and_season_mix_of_h2a_fy2017(origins):
    isco_weights, month_weights = synthetic._oflc_fy2017_mix()
    top = max(isco_weights, key=isco_weights.get)
    assert top[0] in "69"  # agricultural occupations dominate H-2A
    assert sum(month_weights.values()) > 150_000  # FY2017 certified positions of primary cases with a start date
    dist = synthetic.load_distributions(["GTM"])
    assert np.isclose(dist.isco_weights.sum(), 1) and np.isclose(dist.month_weights.sum(), 1)


def test_command(origins, monkeypatch):
    monkeypatch.setattr(synthetic, "load_distributions", lambda countries=None: tiny_distributions())
    out = StringIO()
    call_command("generate_workers", "--count", "12", "--seed", "4", "--country", "gtm", "--explain", stdout=out)
    assert "12 SYNTHETIC" in out.getvalue() and Worker.objects.filter(is_synthetic=True).count() == 12
    with pytest.raises(CommandError):
        call_command("generate_workers", "--count", "1", "--seed", "4", "--country", "XXX")
    with pytest.raises(CommandError):
        call_command("generate_workers", "--count", "-1", "--seed", "4")


def test_engine_columns_line_up_with_the_profiles(origins):
    from temporada.supply.queries import engine_columns

    synthetic.generate(count=60, seed=9, dist=tiny_distributions(("GTM", "HND")), today=TODAY)
    qs = Worker.objects.matchable()
    cols = engine_columns(qs)
    workers = list(qs.order_by("id"))
    assert list(cols["worker_id"]) == [w.pk for w in workers]
    for i in (0, len(workers) - 1):
        w = workers[i]
        assert cols["origin_country"][i] == w.nationality_id and cols["sex"][i] == w.sex
        assert cols["available_from"][i] == np.datetime64(w.available_from)
        assert cols["primary_isco"][i] == w.primary_isco
        assert sorted(cols["occupation_isco"][cols["occupation_worker"] == i]) == sorted(
            w.occupations.values_list("isco_code", flat=True))
        assert sorted(cols["language_code"][cols["language_worker"] == i]) == sorted(
            w.languages.values_list("language", flat=True))
    assert len(cols["participation_worker"]) == Participation.objects.filter(worker__in=qs).count()
    assert set(np.unique(cols["participation_returned"])) <= {-1, 0, 1}
    assert np.isnat(cols["passport_expiry"]).sum() == sum(1 for w in workers if w.passport_expiry is None)
