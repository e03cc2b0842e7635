"""Offer verification on real job orders (a slice of the SeasonalJobs snapshot): every outcome,
fee contradictions, fuzzy employer names, and the anonymous counters it leaves behind."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from temporada.demand.models import JobOrder
from temporada.rights.models import CheckFailureCount, Outcome, VerificationCount
from temporada.rights.verification import Claim, verify

pytestmark = pytest.mark.django_db

AMUSEMENT = "H-400-25317-406903"  # H-2B, Orlando, Florida


def _order(number):
    return JobOrder.objects.filter(source_key=number).order_by("line").first()


def _claim_for(order, **changes):
    values = {"programme": order.programme, "case_number": order.source_key, "employer_name": order.employer_name,
              "subdivision": order.worksite_subdivision_id or "", "city": order.worksite_city,
              "begin_date": order.begin_date, "end_date": order.end_date, "fee_amount": Decimal("0")}
    values.update(changes)
    return Claim(**values)


def test_found_and_consistent(job_orders):
    order = _order(AMUSEMENT)
    result = verify(_claim_for(order))
    assert result.outcome == Outcome.CONSISTENT
    assert not result.failed_checks
    assert result.orders[0].case_number == AMUSEMENT and result.orders[0].employer_matches is True


def test_found_by_fuzzy_employer_name_without_number(job_orders):
    order = _order(AMUSEMENT)
    typed = order.employer_name.lower().replace(",", "").replace("inc.", "").strip() + "  "
    result = verify(Claim(programme="H-2B", employer_name=typed, subdivision=order.worksite_subdivision_id))
    assert result.outcome == Outcome.CONSISTENT
    assert result.orders[0].case_number == AMUSEMENT


def test_wrong_place_and_dates_are_contradictions(job_orders):
    order = _order(AMUSEMENT)
    other_state = "US-AK" if order.worksite_subdivision_id != "US-AK" else "US-TX"
    result = verify(_claim_for(order, subdivision=other_state, begin_date=order.end_date + timedelta(days=60),
                               end_date=order.end_date + timedelta(days=200)))
    assert result.outcome == Outcome.CONTRADICTIONS
    assert {"place", "dates"} <= set(result.failed_checks)


def test_fee_on_a_real_h2b_order_is_a_contradiction(job_orders):
    order = _order(AMUSEMENT)
    result = verify(_claim_for(order, fee_amount=Decimal("1500")))
    assert result.outcome == Outcome.CONTRADICTIONS
    assert result.failed_checks == ["fee"] and result.fee_forbidden


def test_wrong_programme_and_wrong_employer_for_a_real_number(job_orders):
    order = _order(AMUSEMENT)
    result = verify(_claim_for(order, programme="H-2A", employer_name="Totally Different Orchards"))
    assert {"programme", "employer"} <= set(result.failed_checks)


def test_unknown_number_is_not_found_and_the_fee_is_flagged(job_orders):
    result = verify(Claim(programme="H-2B", case_number="H-400-99999-999999", fee_amount=Decimal("2500"),
                          subdivision="US-TX"))
    assert result.outcome == Outcome.NOT_FOUND
    assert set(result.failed_checks) == {"exists", "fee"} and result.fee_forbidden
    assert result.coverage and result.coverage[0]["rows"] == JobOrder.objects.count()


def test_unknown_number_of_a_real_employer_is_a_contradiction(job_orders):
    order = _order(AMUSEMENT)
    result = verify(_claim_for(order, case_number="H-400-00000-000001"))
    assert result.outcome == Outcome.CONTRADICTIONS and "exists" in result.failed_checks
    assert result.orders[0].case_number == AMUSEMENT


def test_unknown_employer_is_not_found(job_orders):
    result = verify(Claim(employer_name="Nonexistent Dream Jobs International"))
    assert result.outcome == Outcome.NOT_FOUND and result.failed_checks == ["exists"]


def test_denied_order_is_reported(job_orders):
    order = _order(AMUSEMENT)
    JobOrder.objects.filter(pk=order.pk).update(status_category="denied")
    assert "status" in verify(_claim_for(order)).failed_checks


def test_synthetic_orders_are_never_matched(job_orders):
    order = _order(AMUSEMENT)
    JobOrder.objects.filter(source_key=AMUSEMENT).update(is_synthetic=True)
    result = verify(_claim_for(order))
    assert result.outcome == Outcome.NOT_FOUND and result.orders == []


def test_page_post_counts_outcomes_and_never_shows_employer_identity(client, job_orders):
    order = _order(AMUSEMENT)
    response = client.post("/es/rights/verify/", {
        "programme": "H-2B", "case_number": AMUSEMENT, "employer_name": order.employer_name,
        "subdivision": order.worksite_subdivision_id, "begin_date": order.begin_date.isoformat(),
        "end_date": order.end_date.isoformat(), "fee_amount": "800"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "contradicciones" in text and AMUSEMENT in text
    assert order.employer_name not in text.split('id="verify-result"')[1].split("</section>")[0]
    week = date.today() - timedelta(days=date.today().weekday())
    assert VerificationCount.objects.get(week=week, outcome="contradictions", programme="H-2B",
                                         subdivision=order.worksite_subdivision_id).count == 1
    assert CheckFailureCount.objects.get(check_name="fee").count == 1


def test_trade_name_known_to_the_employers_app_finds_the_order(job_orders):
    from temporada.employers.models import Employer, EmployerAlias
    from temporada.rights.names import normalise

    order = _order(AMUSEMENT)
    employer = Employer.objects.create(name=order.employer_name, normalized_name=normalise(order.employer_name),
                                       country_id="USA")
    EmployerAlias.objects.create(employer=employer, kind="trade", name="Fun Rides of Florida",
                                 normalized_name=normalise("Fun Rides of Florida"))
    JobOrder.objects.filter(source_key=AMUSEMENT).update(employer=employer)
    result = verify(Claim(programme="H-2B", employer_name="FUN RIDES OF FLORIDA"))
    assert result.outcome == Outcome.CONSISTENT and result.orders[0].case_number == AMUSEMENT
