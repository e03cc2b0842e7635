"""The read-only interface other apps use (rights, indicators) and its API twin: channels, eligibility, obligations."""

import pytest
from django.test import Client

from temporada.programmes.models import Programme
from temporada.programmes.queries import (
    eligibility_for,
    employer_obligations,
    fees_and_payers,
    instruments_for_country,
    legal_channels,
    procedure_for,
    worker_conditions,
)

pytestmark = pytest.mark.django_db


def slugs(channels):
    return [c["programme"].slug for c in channels]


def test_channels_for_a_honduran_farm_worker(catalogue):
    found = legal_channels(nationality="HND", sector="agriculture")
    assert {"us-h2a", "hn-ptte", "ca-tfwp-agricultural"} <= set(slugs(found))
    assert "ca-sawp" not in slugs(found)  # Mexico and the Caribbean only (verified list)
    assert "us-h2b" not in slugs(found)  # verified sectors exclude agriculture
    h2a = next(c for c in found if c["programme"].slug == "us-h2a")
    assert h2a["eligibility"]["basis"] == "list" and h2a["eligibility"]["list_year"] == 2024
    assert h2a["eligibility"]["source_url"] and h2a["criteria"] == {"sector": True}
    # Channels whose every criterion is verified come first.
    order = [None in c["criteria"].values() for c in found]
    assert order == sorted(order)


def test_unverified_criteria_are_unknown_not_guessed(catalogue):
    found = {c["programme"].slug: c for c in legal_channels(nationality="HND", months=10, family=True)}
    assert found["us-h2a"]["criteria"] == {"duration": True, "family": True}
    # Canada's low-wage stream: open to any nationality, but its stay and family rules are not verified.
    assert found["ca-tfwp-low-wage"]["criteria"] == {"duration": None, "family": None}
    assert found["ca-tfwp-low-wage"]["max_stay_months"] is None
    # A verified fact that rules the channel out removes it: H-2A's stay reaches 36 months, SAWP's 8.
    assert "us-h2a" not in slugs(legal_channels(nationality="HND", months=48))


def test_eligibility_on_a_partial_list_is_unknown_for_nationalities_we_did_not_enter(catalogue):
    h2a = Programme.objects.get(slug="us-h2a")
    assert eligibility_for(h2a, "GTM")["eligible"] is True
    jamaica = eligibility_for(h2a, "JAM")  # not an RCM country: the entered list is only the RCM part of 88
    assert jamaica["eligible"] is None and jamaica["list_partial"] is True
    sawp = Programme.objects.get(slug="ca-sawp")
    assert eligibility_for(sawp, "JAM")["eligible"] is True
    assert eligibility_for(sawp, "HND") == {**eligibility_for(sawp, "HND"), "eligible": False, "basis": "not_listed"}
    assert eligibility_for(Programme.objects.get(slug="ca-tfwp-low-wage"), "HTI")["basis"] == "open"


def test_employer_obligations_carry_sources_and_gaps(catalogue):
    h2a = employer_obligations(Programme.objects.get(slug="us-h2a"))
    assert set(h2a) == {"wage_rule", "housing", "transport", "meals", "insurance", "recruitment_fee_rule"}
    assert h2a["wage_rule"]["verified"] and "dol.gov" in h2a["wage_rule"]["source_url"]
    assert h2a["wage_rule"]["checked_on"] is not None
    assert h2a["insurance"] == {"value": "", "verified": False, "source_url": None, "source_title": None,
                                "checked_on": None}
    conditions = worker_conditions(Programme.objects.get(slug="us-h2a"))
    assert conditions["family"]["value"].startswith("Sí")


def test_procedure_fees_and_who_pays(catalogue):
    programme = Programme.objects.get(slug="hn-ptte")
    procedure = procedure_for(None, programme, "HND")
    steps = fees_and_payers(procedure)
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))
    assert any(s["fee_payer"] == "none" and "elheraldo" in s["source_url"] for s in steps)
    assert procedure_for(None, programme, "GTM") is None


def test_instruments_for_country(catalogue):
    assert {"un-icmw-1990", "ca4-2006", "ilo-c097"} <= {i.slug for i in instruments_for_country(None, "GTM")}


def test_channels_api_validates_and_answers(catalogue):
    client = Client()
    data = client.get("/api/v1/programmes/channels", {"nationality": "HND", "sector": "agriculture"}).json()
    assert "us-h2a" in {c["programme"] for c in data}
    for bad in ({"nationality": "XXX"}, {"nationality": "HND", "sector": "mining"},
                {"nationality": "HND", "months": 0}, {"nationality": "HND", "destination": "ZZ"}):
        assert client.get("/api/v1/programmes/channels", bad).status_code == 422, bad
