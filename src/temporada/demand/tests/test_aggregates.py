"""Aggregates against a slice small enough to add up by hand; the API contract and its 422s."""

import datetime as dt
from decimal import Decimal

import pytest

from temporada.demand.aggregates import (
    Filters,
    aggregate,
    parse_group_by,
    quantile_from_counts,
    totals,
    wage_quantiles,
)
from temporada.demand.models import ImportBatch, JobOrder

pytestmark = pytest.mark.django_db

_n = iter(range(1, 10_000))


def _jo(**kw):
    n = next(_n)
    values = dict(source="oflc_h2a", source_key=f"H-{n:05d}", programme="H-2A", fiscal_year=2017,
                  employer_name=f"Grower {n}", country_id="USA", source_file="H-2A_FY17.xlsx", source_row=n + 1,
                  is_primary=True, positions_requested=10, positions_certified=10)
    values.update(kw)
    return JobOrder.objects.create(**values)


@pytest.fixture
def slice_(reference_countries):
    """Eight job orders: hand-computable totals per state, month, occupation and year.

    GA 2017: 40 + 20 (Apr, 6111 crop workers / 9211 farm labourers), member row +40 (not primary)
    NC 2017: 15 (May, 6111); WA 2016: 25 (Sep, 9211); TX 2017 H-2B 30 (Mar, 9214)
    CAN 2017 LMIA: 7 (no month, 9211); synthetic GA 2017: 1000 (never counted)."""
    from temporada.occupations.models import IscoGroup, Soc2010Occupation

    Soc2010Occupation.objects.create(code="45-2092", title_en="Farmworkers and Laborers, Crop, Nursery, and Greenhouse")

    major6 = IscoGroup.objects.create(code="6", level=1, title_en="Skilled agricultural, forestry and fishery workers",
                                      title_es="Agricultores y trabajadores calificados agropecuarios, forestales y pesqueros",
                                      title_fr="Agriculteurs et ouvriers qualifiés de l’agriculture, de la sylviculture et de la pêche")
    major9 = IscoGroup.objects.create(code="9", level=1, title_en="Elementary occupations",
                                      title_es="Ocupaciones elementales", title_fr="Professions élémentaires")
    IscoGroup.objects.create(code="61", level=2, parent=major6, title_en="Market-oriented skilled agricultural workers",
                             title_es="Agricultores y trabajadores calificados de explotaciones agropecuarias con destino al mercado",
                             title_fr="Agriculteurs et ouvriers qualifiés de l’agriculture commerciale")
    IscoGroup.objects.create(code="92", level=2, parent=major9, title_en="Agricultural, forestry and fishery labourers",
                             title_es="Peones agropecuarios, pesqueros y forestales",
                             title_fr="Manœuvres de l’agriculture, de la pêche et de la sylviculture")
    batch = ImportBatch.objects.create(kind="oflc-h2a", source="oflc_h2a", country_id="USA", file_name="H-2A_FY17.xlsx",
                                       file_sha256="x" * 64, status="succeeded", period_label="FY2017",
                                       finished_at=dt.datetime(2024, 5, 2, tzinfo=dt.UTC))
    partial = ImportBatch.objects.create(kind="oflc-h2a", source="oflc_h2a", country_id="USA",
                                         file_name="H-2A_FY2016_Q2.xlsx", file_sha256="y" * 64, status="succeeded",
                                         period_label="FY2016 Q1–Q2", is_partial_period=True,
                                         finished_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    _jo(worksite_subdivision_id="US-GA", begin_date=dt.date(2017, 4, 3), isco_code="6111", occupation_code="45-2092",
        occupation_system="SOC2010", occupation_title="Farmworkers and Laborers, Crop", positions_certified=40,
        positions_requested=45, wage_hourly=Decimal("10.62"), wage_currency="USD", batch=batch)
    _jo(worksite_subdivision_id="US-GA", begin_date=dt.date(2017, 4, 20), isco_code="9211", occupation_code="45-2093",
        occupation_system="SOC2010", positions_certified=20, positions_requested=20, wage_hourly=Decimal("10.62"),
        wage_currency="USD", batch=batch)
    _jo(worksite_subdivision_id="US-GA", begin_date=dt.date(2017, 4, 3), isco_code="6111", occupation_code="45-2092",
        occupation_system="SOC2010", positions_certified=40, is_primary=False, association_role="member", line=1,
        source_key="H-00001", batch=batch)
    _jo(worksite_subdivision_id="US-NC", begin_date=dt.date(2017, 5, 1), isco_code="6111", occupation_code="45-2092",
        occupation_system="SOC2010", positions_certified=15, positions_requested=15, wage_hourly=Decimal("11.27"),
        wage_currency="USD", batch=batch)
    _jo(worksite_subdivision_id="US-WA", begin_date=dt.date(2016, 9, 1), isco_code="9211", fiscal_year=2016,
        positions_certified=25, positions_requested=30, wage_hourly=Decimal("13.38"), wage_currency="USD", batch=partial)
    _jo(source="oflc_h2b", programme="H-2B", worksite_subdivision_id="US-TX", begin_date=dt.date(2017, 3, 1),
        isco_code="9214", positions_certified=30, positions_requested=30, wage_hourly=Decimal("12.00"),
        wage_currency="USD")
    _jo(source="lmia", programme="CA-AG", country_id="CAN", worksite_subdivision_id="CA-ON", isco_code="9211",
        occupation_code="8431", occupation_system="NOC2011", positions_certified=7, positions_requested=7)
    _jo(source="synthetic", is_synthetic=True, worksite_subdivision_id="US-GA", begin_date=dt.date(2017, 4, 1),
        isco_code="6111", positions_certified=1000, positions_requested=1000)


def _by(rows, key):
    return {r[key]: r for r in rows}


def test_by_subdivision_counts_primary_rows_and_shows_both_figures(slice_):
    rows = _by(aggregate(Filters(programme="H-2A", fiscal_year=2017), ["worksite_subdivision"]), "worksite_subdivision")
    assert set(rows) == {"US-GA", "US-NC"}
    assert rows["US-GA"]["positions_certified"] == 60 and rows["US-GA"]["positions_certified_all_rows"] == 100
    assert rows["US-GA"]["job_orders"] == 2 and rows["US-GA"]["positions_requested"] == 65
    assert rows["US-NC"]["positions_certified"] == 15
    assert rows["US-GA"]["worksite_subdivision_label"] == "Georgia"
    every_row = _by(aggregate(Filters(programme="H-2A", fiscal_year=2017, counting="all"), ["worksite_subdivision"]),
                    "worksite_subdivision")
    assert every_row["US-GA"]["positions_certified"] == 100 and every_row["US-GA"]["job_orders"] == 3


def test_synthetic_rows_never_counted(slice_):
    assert totals(Filters())["positions_certified"] == 40 + 20 + 15 + 25 + 30 + 7
    assert totals(Filters(synthetic_only=True))["positions_certified"] == 1000


def test_by_occupation_month_programme_year(slice_):
    major = _by(aggregate(Filters(), ["isco_major"]), "isco_major")
    assert major["6"]["positions_certified"] == 55 and major["9"]["positions_certified"] == 20 + 25 + 30 + 7
    assert major["6"]["isco_major_label"] == "6 Agricultores y trabajadores calificados agropecuarios, forestales y pesqueros"
    sub = _by(aggregate(Filters(country="USA"), ["isco_submajor"]), "isco_submajor")
    assert sub["92"]["positions_certified"] == 20 + 25 + 30
    months = _by(aggregate(Filters(programme="H-2A"), ["month"]), "month")
    assert months[4]["positions_certified"] == 60 and months[5]["positions_certified"] == 15
    assert months[9]["positions_certified"] == 25 and months[4]["month_label"] == "abril"
    heat = aggregate(Filters(programme="H-2A"), ["month", "isco_major"])
    assert {(r["month"], r["isco_major"]): r["positions_certified"] for r in heat} == {
        (4, "6"): 40, (4, "9"): 20, (5, "6"): 15, (9, "9"): 25}
    trend = {(r["programme"], r["fiscal_year"]): r["positions_certified"]
             for r in aggregate(Filters(), ["programme", "fiscal_year"])}
    assert trend == {("H-2A", 2016): 25, ("H-2A", 2017): 75, ("H-2B", 2017): 30, ("CA-AG", 2017): 7}
    native = _by(aggregate(Filters(occupation="soc:45-20"), ["native_code"]), "native_code")
    assert native["45-2092"]["positions_certified"] == 55 and "Crop" in native["45-2092"]["native_code_label"]
    noc = aggregate(Filters(occupation="noc:84"), ["native_major"])
    assert noc == [dict(noc[0], native_major="8", positions_certified=7)]


def test_filters_combine(slice_):
    assert totals(Filters(subdivision="US-GA"))["positions_certified"] == 60
    assert totals(Filters(occupation="isco:92", country="USA"))["positions_certified"] == 75
    assert totals(Filters(occupation="isco:9211"))["positions_certified"] == 52
    assert totals(Filters(source="lmia"))["positions_certified"] == 7
    assert totals(Filters(fiscal_year=2016))["job_orders"] == 1


def test_employers_ranked_and_limited(slice_):
    from temporada.employers.resolution import resolve_job_orders

    resolve_job_orders(JobOrder.objects.all())
    rows = aggregate(Filters(), ["employer"], limit=2)
    assert [r["positions_certified"] for r in rows] == [40, 30]
    assert rows[0]["employer_label"] == JobOrder.objects.get(positions_certified=40, is_primary=True).employer_name


def test_wage_quantiles_are_exact(slice_):
    rows = wage_quantiles(Filters(country="USA"), "programme", min_job_orders=1)
    h2a = next(r for r in rows if r["programme"] == "H-2A")
    # H-2A wages: 10.62, 10.62, 11.27, 13.38 (the member row is not a job order of its own).
    assert h2a["job_orders"] == 4 and h2a["median"] == 10.62 and h2a["p90"] == 11.27 and h2a["p10"] == 10.62
    assert quantile_from_counts({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 0.5) == 3


def test_group_by_validation():
    assert parse_group_by("month,isco_major") == ["month", "isco_major"]
    assert parse_group_by("occupation") == ["isco_unit"]  # the plain name for the ISCO-08 unit group
    for bad in ("", "month,month", "a,b,c", "colour", "month;drop"):
        with pytest.raises(ValueError):
            parse_group_by(bad)


def test_api_contract(client, slice_):
    url = "/api/v1/demand/aggregates"
    data = client.get(url, {"programme": "H-2A", "fiscal_year": 2017, "group_by": "worksite_subdivision"}).json()
    rows = {r["worksite_subdivision"]: r for r in data["rows"]}
    assert rows["US-GA"]["positions_certified"] == 60 and rows["US-GA"]["positions_certified_all_rows"] == 100
    assert data["totals"]["positions_certified"] == 75 and data["counting"] == "primary"
    assert data["provenance"]["as_of"] == "2024-05-02"
    assert data["provenance"]["files"][0]["file"] == "H-2A_FY17.xlsx"
    for group_by in ("occupation", "isco_major", "native_code", "month", "employer", "programme", "fiscal_year",
                     "month,isco_major"):
        response = client.get(url, {"group_by": group_by})
        assert response.status_code == 200, group_by
        assert response.json()["rows"] or group_by == "employer", group_by  # (no employers resolved in this slice)
    by_occupation = client.get(url, {"group_by": "occupation"}).json()
    assert by_occupation["group_by"] == ["isco_unit"]
    assert by_occupation["rows"] == client.get(url, {"group_by": "isco_unit"}).json()["rows"]
    assert client.get(url, {"group_by": "fiscal_year", "fiscal_year": 2016}).json()["provenance"]["partial"] == [
        {"file": "H-2A_FY2016_Q2.xlsx", "period": "FY2016 Q1–Q2"}]
    wages = client.get("/api/v1/demand/wages", {"group_by": "worksite_subdivision"}).json()
    assert wages["rows"] == []  # fewer than five wages per state in this slice


@pytest.mark.parametrize("params, field", [
    ({}, "group_by"),
    ({"group_by": "colour"}, "group_by"),
    ({"group_by": "month", "programme": "H-3"}, "programme"),
    ({"group_by": "month", "fiscal_year": "2525"}, "fiscal_year"),
    ({"group_by": "month", "fiscal_year": "soon"}, "fiscal_year"),
    ({"group_by": "month", "subdivision": "US-ZZ"}, "subdivision"),
    ({"group_by": "month", "country": "XXX"}, "country"),
    ({"group_by": "month", "occupation": "isco:61111"}, "occupation"),
    ({"group_by": "month", "occupation": "soc:'; drop"}, "occupation"),
    ({"group_by": "month", "counting": "some"}, "counting"),
    ({"group_by": "month", "source": "synthetic"}, "source"),
    ({"group_by": "month", "limit": "0"}, "limit"),
    ({"group_by": "month", "limit": "100000"}, "limit"),
])
def test_api_rejects_bad_parameters_with_422(client, reference_countries, params, field):
    response = client.get("/api/v1/demand/aggregates", params)
    assert response.status_code == 422, response.content
    assert field in str(response.json()["detail"])


def test_wages_api_rejects_unknown_group(client, reference_countries):
    assert client.get("/api/v1/demand/wages", {"group_by": "employer"}).status_code == 422


def test_cubes_give_the_same_figures_as_the_job_orders(slice_):
    from temporada.demand.aggregates import cubes_ready, ensure_cubes
    from temporada.demand.views_dashboard import chart_defs, chart_rows
    from temporada.employers.resolution import resolve_job_orders

    resolve_job_orders(JobOrder.objects.all())
    cases = [Filters(), Filters(programme="H-2A"), Filters(subdivision="US-GA", counting="all"),
             Filters(occupation="soc:45-2092"), Filters(occupation="isco:92", fiscal_year=2017), Filters(country="CAN")]
    raw = {(i, d.chart_id): chart_rows(d, f) for i, f in enumerate(cases) for d in chart_defs().values()}
    raw_totals = [totals(f) for f in cases]
    assert not cubes_ready()
    assert ensure_cubes() is True and cubes_ready() and ensure_cubes() is False
    cubed = {(i, d.chart_id): chart_rows(d, f) for i, f in enumerate(cases) for d in chart_defs().values()}
    assert cubed == raw
    assert [totals(f) for f in cases] == raw_totals
    assert any(rows for rows in cubed.values())
    # Synthetic rows are in the table but in no public figure, cube or not.
    assert totals(Filters())["positions_certified"] == 137


def test_cubes_follow_imports_and_employer_decisions(slice_):
    from temporada.core.testing import make_user
    from temporada.demand.aggregates import cubes_ready, ensure_cubes
    from temporada.employers.models import Employer
    from temporada.employers.resolution import resolve_job_orders
    from temporada.employers.services import merge_employers

    resolve_job_orders(JobOrder.objects.all())
    ensure_cubes()
    top = aggregate(Filters(), ["employer"], limit=1)[0]
    assert top["positions_certified"] == 40
    # An official merges the 30- and 25-position employers: the cubes are stale until rebuilt.
    b = Employer.objects.get(job_orders__positions_certified=30)
    c = Employer.objects.get(job_orders__positions_certified=25)
    merge_employers(actor=make_user("admin"), target=b, others=[c])
    assert not cubes_ready()
    assert aggregate(Filters(), ["employer"], limit=1)[0]["positions_certified"] == 55  # from the job orders
    ensure_cubes()
    assert aggregate(Filters(), ["employer"], limit=1)[0]["positions_certified"] == 55  # and from the cube
    # A new import makes them stale again.
    ImportBatch.objects.create(kind="lmia", source="lmia", country_id="CAN", file_name="lmia.csv", file_sha256="z" * 64,
                               status="succeeded", finished_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    assert not cubes_ready()


def test_employer_rankings_match_a_direct_count(reference_countries):
    """Rankings precomputed per programme, year, country and source give the same top lists as summing."""
    import random

    from temporada.demand.aggregates import ensure_cubes
    from temporada.employers.resolution import resolve_job_orders

    rng = random.Random(7)
    states = ["US-GA", "US-NC", "US-WA"]
    for i in range(240):
        programme = rng.choice(["H-2A", "H-2B", "CA-AG"])
        canada = programme == "CA-AG"
        _jo(source="lmia" if canada else rng.choice(["oflc_h2a", "seasonaljobs"]), programme=programme,
            fiscal_year=rng.choice([2016, 2017, 2018]), country_id="CAN" if canada else "USA",
            worksite_subdivision_id="CA-ON" if canada else rng.choice(states),
            employer_name=f"Grower {rng.randint(1, 70)} LLC", employer_state="ON" if canada else "GA",
            positions_certified=rng.randint(0, 30), is_primary=rng.random() > 0.1, line=i)
    resolve_job_orders(JobOrder.objects.all())
    cases = [Filters(), Filters(programme="H-2A"), Filters(fiscal_year=2017), Filters(country="USA", counting="all"),
             Filters(source="seasonaljobs", fiscal_year=2018), Filters(programme="CA-AG", fiscal_year=2016)]
    direct = [aggregate(f, ["employer"], limit=50, labels=False) for f in cases]
    ensure_cubes()
    assert [aggregate(f, ["employer"], limit=50, labels=False) for f in cases] == direct
    assert all(len(rows) > 5 for rows in direct)


def test_cubes_follow_a_deferred_employer_resolution(slice_):
    """Default loads attach employers after the import (demand.services.resolve_employers_of_batch)."""
    from temporada.demand.aggregates import cubes_ready, ensure_cubes
    from temporada.demand.services import resolve_employers_of_batch

    ensure_cubes()
    assert aggregate(Filters(), ["employer"], limit=1) == []  # nobody attached yet
    batch = ImportBatch.objects.get(file_name="H-2A_FY17.xlsx")
    resolve_employers_of_batch(batch.pk)
    assert cubes_ready()  # the worker rebuilt them after attaching the employers
    assert aggregate(Filters(programme="H-2A", fiscal_year=2017), ["employer"], limit=1)[0]["employer"] is not None


def test_provenance_names_only_the_files_behind_the_figures(slice_):
    from temporada.demand.aggregates import provenance

    ImportBatch.objects.create(kind="lmia", source="lmia", country_id="CAN", file_name="lmia.csv.gz",
                               file_sha256="l" * 64, status="succeeded", period_label="2017Q1–2024Q4",
                               finished_at=dt.datetime(2024, 7, 1, tzinfo=dt.UTC))
    JobOrder.objects.filter(source="lmia").update(batch=ImportBatch.objects.get(file_name="lmia.csv.gz"))
    assert [f["file"] for f in provenance(Filters(country="CAN"))["files"]] == ["lmia.csv.gz"]
    assert provenance(Filters(country="CAN"))["as_of"] == "2024-07-01"
    us = provenance(Filters(country="USA"))
    assert {f["file"] for f in us["files"]} == {"H-2A_FY17.xlsx", "H-2A_FY2016_Q2.xlsx"} and us["as_of"] == "2024-05-02"
    assert provenance(Filters(programme="H-2A", fiscal_year=2017))["partial"] == []
