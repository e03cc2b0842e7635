"""Supply indicators and the gap: definitions, synthetic exclusion and small-cell suppression."""

import csv
import io
import itertools
from datetime import date

import pytest

from temporada.core.testing import make_user
from temporada.demand.models import JobOrder
from temporada.supply import stats
from temporada.supply.models import Worker

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)
MARCH = date(2027, 3, 1)


def worker(*, isco="9211", country="GTM", subdivision="GT-13", start="2027-02-01", end="2027-10-31",
           status="verified", registry=True, matching=True, synthetic=False, destinations=()):
    n = next(_ids)
    w = Worker.objects.create(
        given_names="T", family_names=str(n), birth_date=date(1990, 1, 1), sex="M", nationality_id=country,
        national_id_hash=f"h{n}", national_id_encrypted="x", national_id_last4=str(n)[-4:],
        residence_subdivision_id=subdivision, primary_isco=isco, primary_years=3,
        available_from=date.fromisoformat(start) if start else None,
        available_until=date.fromisoformat(end) if end else None, status=status,
        has_registry_consent=registry, has_matching_consent=matching, is_synthetic=synthetic,
    )
    if destinations:
        w.preferred_destinations.set(destinations)
    return w


def job_order(*, isco="9211", country="USA", begin="2027-03-15", end="2027-06-30", certified=10, requested=12,
              status="certified", primary=True, synthetic=False):
    n = next(_ids)
    return JobOrder.objects.create(
        source="oflc_h2a", source_key=f"H-300-{n}", programme="H-2A", fiscal_year=2027, employer_name="Farm",
        country_id=country, source_file="test.xlsx", source_row=n, isco_code=isco,
        begin_date=date.fromisoformat(begin), end_date=date.fromisoformat(end), positions_certified=certified,
        positions_requested=requested, status_category=status, is_primary=primary, is_synthetic=synthetic,
    )


@pytest.fixture
def world(origins):
    return None


def test_demand_counts_real_primary_orders_in_each_month_they_touch(world):
    job_order(certified=10)                                    # Mar–Jun
    job_order(certified=5, begin="2027-04-01", end="2027-04-30", isco="9212")
    job_order(certified=None, requested=7, status="pending", begin="2027-03-01", end="2027-03-31")
    job_order(certified=100, primary=False)                    # association member repeat
    job_order(certified=100, synthetic=True)
    job_order(certified=0, requested=100, status="denied")
    job_order(certified=100, requested=100, status="withdrawn")
    cells = stats.demand_cells(start=MARCH, count=4, level="unit")
    assert cells[("9211", "USA", date(2027, 3, 1))] == 17
    assert cells[("9211", "USA", date(2027, 6, 1))] == 10
    assert cells[("9212", "USA", date(2027, 4, 1))] == 5
    assert ("9212", "USA", date(2027, 3, 1)) not in cells
    major = stats.demand_cells(start=MARCH, count=2, level="major")
    assert major[("9", "USA", date(2027, 4, 1))] == 15


def test_supply_counts_verified_consenting_available_real_profiles_covering_the_month(world):
    worker()                                                    # Feb–Oct: every month
    worker(start="2027-03-10", end="2027-10-31")                # misses March (not the whole month)
    worker(status="registered")
    worker(status="pending")
    worker(matching=False)
    worker(registry=False, matching=False)
    worker(synthetic=True)
    worker(destinations=["CAN"])                                # does not accept the USA
    worker(destinations=["USA", "CAN"])
    worker(start=None, end=None)
    cells = stats.supply_cells(start=MARCH, count=2, level="unit", destinations=["USA", "CAN"])
    assert cells[("9211", "USA", date(2027, 3, 1))] == 2
    assert cells[("9211", "USA", date(2027, 4, 1))] == 3
    assert cells[("9211", "CAN", date(2027, 4, 1))] == 4
    with_synthetic = stats.supply_cells(start=MARCH, count=1, level="unit", destinations=["USA"],
                                        include_synthetic=True)
    assert with_synthetic[("9211", "USA", MARCH)] == 3


def test_gap_is_supply_minus_demand_with_status(world):
    job_order(certified=10, begin="2027-03-01", end="2027-03-31")
    job_order(isco="6111", certified=2, begin="2027-03-01", end="2027-03-31")
    for _ in range(7):
        worker()
    for _ in range(6):
        worker(isco="6111")
    table = stats.gap_table(start=MARCH, count=1, level="unit", suppress_cells=False)
    rows = {r.group: r for r in table.rows}
    assert (rows["9211"].demand, rows["9211"].supply, rows["9211"].gap, rows["9211"].status) == (10, 7, -3, "shortage")
    assert (rows["6111"].gap, rows["6111"].status) == (4, "surplus")
    assert table.demand_total == 12 and table.supply_visible_total == 13


def test_orders_without_an_occupation_code_count_on_a_line_of_their_own(world, client):
    """SeasonalJobs publishes the current seasons without an occupation code: their positions appear, per
    destination and month, on an "occupation not published" line with no supply or gap, and never in a group."""
    job_order(certified=10, begin="2027-03-01", end="2027-03-31")
    job_order(isco="", certified=40, begin="2027-03-01", end="2027-04-30")
    for _ in range(7):
        worker()
    assert ("", "USA", MARCH) not in stats.demand_cells(start=MARCH, count=2, level="unit")
    table = stats.gap_table(start=MARCH, count=2, level="unit", suppress_cells=True)
    uncoded = [r for r in table.rows if r.status == "uncoded"]
    assert [(r.group, r.destination, r.month, r.demand, r.supply, r.gap) for r in uncoded] == [
        ("", "USA", MARCH, 40, None, None), ("", "USA", date(2027, 4, 1), 40, None, None)]
    assert "no publicada" in uncoded[0].title
    coded = {r.group: r for r in table.rows if r.month == MARCH and r.status != "uncoded"}
    assert (coded["9211"].demand, coded["9211"].supply, coded["9211"].gap) == (10, 7, -3)
    assert table.demand_total == 90 and table.hidden_cells == 0 and table.supply_visible_total == 14  # worker-months
    client.force_login(make_user("analyst", ["GTM", "USA"]))
    response = client.get("/es/supply/gap/", {"start": "2027-03", "months": "2", "level": "unit", "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [r for r in csv.DictReader(io.StringIO(body)) if r["status"] == "uncoded"]
    assert [(r["isco_group"], r["month"], r["demand_positions"], r["supply_workers"], r["gap"]) for r in lines] == [
        ("", "2027-03", "40", "", ""), ("", "2027-04", "40", "", "")]
    api = client.get("/api/v1/supply/gap", {"start": "2027-03", "months": "2", "level": "unit"}).json()
    lines = [r for r in api["rows"] if r["status"] == "uncoded"]
    assert [(r["isco_group"], r["demand_positions"], r["supply_workers"], r["gap"]) for r in lines] == [
        ("", 40, None, None), ("", 40, None, None)]


def test_synthetic_profiles_never_enter_the_gap_by_default(world):
    job_order(certified=10, begin="2027-03-01", end="2027-03-31")
    for _ in range(8):
        worker(synthetic=True)
    assert stats.gap_table(start=MARCH, count=1, suppress_cells=False).rows[0].supply == 0
    assert stats.gap_table(start=MARCH, count=1, suppress_cells=False, include_synthetic=True).rows[0].supply == 8


# --- suppression ----------------------------------------------------------------------------------
def test_single_small_cell_gets_a_partner_so_totals_cannot_reveal_it():
    cells = {"a": 3, "b": 40, "c": 12, "d": 0}
    shown = stats.suppress(cells, [lambda k: "all"])
    assert shown.values["a"] is None and shown.primary == {"a"}
    assert len([k for k, v in shown.values.items() if v is None]) >= 2
    # the partner is the smallest positive visible cell; zeros are only used when nothing else is left
    assert shown.values["c"] is None and shown.values["d"] == 0
    # the true total minus the visible cells never isolates one hidden cell
    hidden = [k for k, v in shown.values.items() if v is None]
    assert sum(cells[k] for k in hidden) >= stats.THRESHOLD and len(hidden) >= 2
    assert shown.visible_total() == 40


def test_two_tiny_cells_are_not_enough_protection():
    cells = {"a": 1, "b": 1, "c": 50, "d": 9}
    shown = stats.suppress(cells, [lambda k: "all"])
    hidden = {k for k, v in shown.values.items() if v is None}
    assert {"a", "b", "d"} <= hidden  # 1 + 1 could be read off the total: a third cell is hidden too


def test_every_group_of_every_grouping_is_protected():
    cells = {(country, sub): n for country, sub, n in [
        ("GTM", "GT-01", 2), ("GTM", "GT-02", 30), ("GTM", "GT-03", 25),
        ("HND", "HN-CR", 40), ("HND", "HN-YO", 4), ("HND", "HN-AT", 0),
    ]}
    shown = stats.suppress(cells, [lambda k: "all", lambda k: k[0]])
    for group in ("GTM", "HND"):
        hidden = [k for k in cells if k[0] == group and shown.values[k] is None]
        assert len(hidden) != 1
        if hidden:
            assert sum(cells[k] for k in hidden) >= stats.THRESHOLD or all(
                shown.values[k] is None for k in cells if k[0] == group)


def test_indicator_tables_for_an_analyst_leak_nothing_through_totals(world):
    for _ in range(3):
        worker(subdivision="GT-01")
    for _ in range(8):
        worker(subdivision="GT-13")
    for _ in range(6):
        worker(subdivision="GT-12")
    for _ in range(2):
        worker(isco="6111", subdivision="GT-12")
    data = stats.indicator_tables(start=MARCH, count=1, level="unit", suppress_cells=True)
    rows = data["subdivision"]["rows"]
    values = {r["key"]: r["value"] for r in rows if not r.get("is_total")}
    assert values["GT-01"] is None
    assert sum(v is None for v in values.values()) >= 2           # secondary suppression
    total = next(r for r in rows if r.get("is_total"))
    assert total["value"] == sum(v for v in values.values() if v is not None)  # total of published cells only
    occupations = {r["key"]: r["value"] for r in data["occupation"]["rows"]}
    assert occupations["6111"] is None and occupations["9211"] is None  # 2 and 17: the pair protects each other
    assert data["occupation"]["total_visible"] == 0


def test_gap_table_for_analysts_hides_small_supply_cells_and_their_gap(world):
    job_order(certified=10, begin="2027-03-01", end="2027-03-31")
    job_order(isco="6111", certified=3, begin="2027-03-01", end="2027-03-31")
    job_order(isco="9212", certified=3, begin="2027-03-01", end="2027-03-31")
    for _ in range(2):
        worker()
    for _ in range(9):
        worker(isco="6111")
    for _ in range(20):
        worker(isco="9212")
    table = stats.gap_table(start=MARCH, count=1, level="unit", suppress_cells=True)
    rows = {r.group: r for r in table.rows}
    assert rows["9211"].supply is None and rows["9211"].gap is None and rows["9211"].status == "suppressed"
    assert rows["6111"].supply is None  # secondary: smallest visible partner in the same destination-month
    assert rows["9212"].supply == 20
    assert table.supply_visible_total == 20 and table.hidden_cells == 2


def test_who_gets_exact_counts(origins):
    assert not stats.needs_suppression(make_user("admin"), None)
    gt = make_user("origin_official", ["GTM"])
    assert not stats.needs_suppression(gt, ["GTM"])
    assert stats.needs_suppression(gt, ["GTM", "HND"])
    assert stats.needs_suppression(make_user("analyst", ["GTM"]), ["GTM"])
    assert stats.needs_suppression(make_user("destination_official", ["USA"]), None)
    assert not stats.can_include_synthetic(make_user("analyst"))
    assert stats.can_include_synthetic(gt)
    for role in ("worker", "employer"):
        assert not stats.can_see_statistics(make_user(role, ["GTM"]))


def test_gap_page_points_to_the_latest_demand_when_the_period_has_none(world):
    from django.urls import reverse

    from temporada.core.testing import client_for

    job_order(begin="2026-04-01", end="2026-08-31")
    client = client_for(make_user("analyst", ["GTM"]))
    body = client.get(reverse("supply:gap"), {"start": "2030-01", "months": "3"}).content.decode()
    assert "empiezan en 2026-04" in body and "start=2026-02" in body
    body = client.get(reverse("supply:gap"), {"start": "2026-02", "months": "3", "level": "unit"}).content.decode()
    assert "empiezan en" not in body
    assert "9211" in body
