"""Resolution of job orders to employers: rules, idempotency, determinism, synthetic isolation."""

import pytest

from temporada.demand.models import JobOrder
from temporada.employers.models import Employer, EmployerAlias
from temporada.employers.resolution import resolve_job_orders

from .factories import job_order

pytestmark = pytest.mark.django_db


def _employer_of(jo):
    jo.refresh_from_db()
    return jo.employer_id


def test_same_name_and_zip_across_years_is_one_employer(countries):
    a = job_order("Boisvert Farms, L.L.C.", address="PO Box 12", city="Baton Rouge", state="LA", postal="70808", year=2016)
    b = job_order("BOISVERT FARMS LLC", address="6034 Flynn Rd", city="Baton Rouge", state="LOUISIANA",
                  postal="70808-1234", year=2019)
    assert resolve_job_orders(JobOrder.objects.all()) == 2
    assert _employer_of(a) == _employer_of(b)
    employer = Employer.objects.get()
    assert employer.normalized_name == "BOISVERT FARMS"
    assert employer.subdivision_id == "US-LA"
    rules = set(EmployerAlias.objects.values_list("resolution", flat=True))
    assert rules == {"new", "same-name-postcode"}
    variant = EmployerAlias.objects.get(resolution="same-name-postcode")
    assert variant.matched_alias.resolution == "new"
    assert variant.first_seen_year in (2016, 2019)


def test_same_name_in_other_state_stays_apart(countries):
    a = job_order("Johnson Farms", city="Tifton", state="GA", postal="31794")
    b = job_order("Johnson Farms", city="Yakima", state="WA", postal="98901")
    resolve_job_orders(JobOrder.objects.all())
    assert _employer_of(a) != _employer_of(b)


def test_same_short_person_name_in_other_zip_of_same_state_stays_apart(countries):
    a = job_order("Jose Ruiz", city="Fresno", state="CA", postal="93701")
    b = job_order("Jose Ruiz", city="Salinas", state="CA", postal="93901")
    resolve_job_orders(JobOrder.objects.all())
    assert _employer_of(a) != _employer_of(b)


def test_registered_name_in_same_state_joins_even_after_moving(countries):
    a = job_order("Sunrise Orchards of Wenatchee, LLC", city="Wenatchee", state="WA", postal="98801", year=2015)
    b = job_order("Sunrise Orchards of Wenatchee, Inc.", city="Cashmere", state="WA", postal="98815", year=2018)
    c = job_order("Sunrise Orchards of Wenatchee", city="Chelan", state="WA", postal="98816", year=2018)
    resolve_job_orders(JobOrder.objects.all())
    assert _employer_of(a) == _employer_of(b)
    assert _employer_of(c) != _employer_of(a)  # no legal form: the name alone does not prove the entity
    assert EmployerAlias.objects.filter(resolution="registered-name-state").count() == 1


def test_same_address_with_a_spelling_variant(countries):
    a = job_order("Kuhn's Produce", address="1200 North Orchard Road", city="Pasco", state="WA", postal="99301")
    b = job_order("KUHNS PRODUCE & PACKING", address="1200 N Orchard Rd.", city="Pasco", state="WA", postal="99301")
    c = job_order("Valley Packing", address="1200 N Orchard Rd", city="Pasco", state="WA", postal="99301")
    resolve_job_orders(JobOrder.objects.all())
    assert _employer_of(a) == _employer_of(b)
    assert _employer_of(c) != _employer_of(a)  # same address, unrelated name: kept apart


def test_dba_name_column_and_trade_name(countries):
    a = job_order("Green Valley Holdings LLC dba Valley Fresh", city="Salinas", state="CA", postal="93901")
    b = job_order("Green Valley Holdings, LLC", trade="Valley Fresh", city="Salinas", state="CA", postal="93901")
    c = job_order("Valley Fresh", city="Salinas", state="CA", postal="93901", year=2019)
    job_order("Green Valley Holdings, LLC", city="Salinas", state="CA", postal="93901", year=2020)
    resolve_job_orders(JobOrder.objects.all())
    assert _employer_of(a) == _employer_of(b) == _employer_of(c)
    trade = EmployerAlias.objects.get(kind="trade")
    assert trade.normalized_name == "VALLEY FRESH" and trade.resolution == "dba-of-legal-name"
    assert EmployerAlias.objects.filter(resolution="trade-name-postcode").count() == 1
    assert Employer.objects.get().name == "Green Valley Holdings, LLC"  # the most frequent spelling


def test_lmia_address_column_and_numbered_companies(countries):
    a = job_order("1015514 B.C. Ltd. o/a Pizza Hut", country="CAN", source="lmia", programme="CA-LW",
                  address="Surrey, BC V3W 0P1", state="British Columbia", year=2019)
    b = job_order("1015514 BC LTD", country="CAN", source="lmia", programme="CA-LW",
                  address="Abbotsford, BC V2S 1C8", state="British Columbia", year=2021)
    c = job_order("Skafar Enterprises Ltd o/a Pizza Hut", country="CAN", source="lmia", programme="CA-LW",
                  address="Surrey, BC V3W 0P1", state="British Columbia", year=2019)
    resolve_job_orders(JobOrder.objects.all())
    assert _employer_of(a) == _employer_of(b)  # the registry number names one company in the province
    assert _employer_of(c) != _employer_of(a)  # another franchisee of the same brand
    keys = dict(EmployerAlias.objects.filter(normalized_name="1015514 BC").values_list("address_key", "resolution"))
    assert keys == {"CAN|BC|V2S1C8|ABBOTSFORD|": "new", "CAN|BC|V3W0P1|SURREY|": "registered-name-state"}
    assert Employer.objects.get(pk=_employer_of(a)).subdivision_id == "CA-BC"


def test_idempotent_and_deterministic(countries):
    rows = [("Alpha Farms LLC", "GA", "31794"), ("ALPHA FARMS, L.L.C.", "GA", "31794"), ("Beta Ranch", "TX", "78501"),
            ("The Beta Ranch", "TX", "78501"), ("Gamma Inc", "FL", "33101")]
    for name, state, postal in rows:
        job_order(name, state=state, postal=postal)
    assert resolve_job_orders(JobOrder.objects.all()) == 5
    snapshot = sorted(JobOrder.objects.values_list("source_key", "employer__normalized_name"))
    aliases = EmployerAlias.objects.count()
    assert resolve_job_orders(JobOrder.objects.all()) == 0
    assert EmployerAlias.objects.count() == aliases and Employer.objects.count() == 3
    assert sorted(JobOrder.objects.values_list("source_key", "employer__normalized_name")) == snapshot


def test_incremental_import_reuses_employers(countries):
    first = job_order("Delta Nursery Inc", city="Homestead", state="FL", postal="33030", year=2016)
    resolve_job_orders(JobOrder.objects.filter(pk=first.pk))
    second = job_order("DELTA NURSERY, INC.", city="Homestead", state="FL", postal="33030", year=2017)
    assert resolve_job_orders(JobOrder.objects.filter(pk=second.pk)) == 1
    assert _employer_of(first) == _employer_of(second)
    alias = EmployerAlias.objects.get()
    assert (alias.first_seen_year, alias.last_seen_year) == (2016, 2017)


def test_synthetic_job_orders_never_join_real_employers(countries):
    real = job_order("Epsilon Farms LLC", state="NC", postal="27501")
    fake = job_order("Epsilon Farms LLC", state="NC", postal="27501", synthetic=True, source="synthetic")
    resolve_job_orders(JobOrder.objects.all())
    assert _employer_of(real) != _employer_of(fake)
    assert Employer.objects.get(pk=_employer_of(fake)).is_synthetic
    assert not Employer.objects.get(pk=_employer_of(real)).is_synthetic


def test_empty_name_is_left_unresolved(countries):
    jo = job_order("  ", state="NC")
    assert resolve_job_orders(JobOrder.objects.all()) == 0
    assert _employer_of(jo) is None
