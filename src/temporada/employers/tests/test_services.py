"""Officials' merges, splits and renames: effects, audit, and persistence across re-imports."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from temporada.core.models import AuditEvent
from temporada.core.testing import make_user
from temporada.demand.models import JobOrder
from temporada.employers import services
from temporada.employers.models import Employer, EmployerAlias
from temporada.employers.resolution import resolve_job_orders

from .factories import job_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_spellings(countries):
    """One business published under two names that no automatic rule joins (different ZIP and city)."""
    a = job_order("Rio Grande Growers", address="PO Box 1", city="Mission", state="TX", postal="78572", year=2016)
    b = job_order("R G Growers", address="12 Farm Rd", city="McAllen", state="TX", postal="78501", year=2017)
    resolve_job_orders(JobOrder.objects.all())
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.employer_id != b.employer_id
    return a, b


def test_merge_moves_aliases_and_job_orders_and_is_audited(two_spellings):
    a, b = two_spellings
    official = make_user("destination_official", ["USA"])
    target = services.merge_employers(actor=official, target=a.employer, others=[b.employer], note="same grower")
    b.refresh_from_db()
    assert b.employer_id == target.pk
    source = Employer.objects.get(merged_into=target)
    assert source.manually_reviewed and target.manually_reviewed
    assert set(EmployerAlias.objects.filter(employer=target).values_list("resolution", flat=True)) == {
        "new", "manual-merge"}
    event = AuditEvent.objects.get(type=AuditEvent.Type.EMPLOYER_MERGED, object_id=str(target.pk))
    assert event.actor == official and event.details["job_orders_moved"] == 1
    assert event.details["note"] == "same grower" and event.country_id == "USA"
    assert AuditEvent.objects.filter(type=AuditEvent.Type.EMPLOYER_MERGED, object_id=str(source.pk)).exists()


def test_merge_survives_reimport_and_new_rows(two_spellings):
    a, b = two_spellings
    admin = make_user("admin")
    target = services.merge_employers(actor=admin, target=a.employer, others=[b.employer])
    # The importer updates the rows and resolves again: nothing moves back.
    assert resolve_job_orders(JobOrder.objects.all()) == 0
    # A new year of the second spelling lands on the merged employer.
    c = job_order("R G GROWERS", address="12 Farm Road", city="McAllen", state="TX", postal="78501", year=2019)
    resolve_job_orders(JobOrder.objects.filter(pk=c.pk))
    c.refresh_from_db()
    assert c.employer_id == target.pk


def test_split_moves_chosen_aliases_and_persists(countries):
    a = job_order("Sunshine Farms LLC", city="Immokalee", state="FL", postal="34142", year=2016)
    b = job_order("Sunshine Farms LLC", city="Plant City", state="FL", postal="33563", year=2018)
    resolve_job_orders(JobOrder.objects.all())
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.employer_id == b.employer_id  # registered name in one state
    employer = a.employer
    wrong = EmployerAlias.objects.get(employer=employer, postal_code="33563")
    official = make_user("destination_official", ["USA"])
    new = services.split_employer(actor=official, employer=employer, alias_ids=[wrong.pk], name="Sunshine Farms (Plant City)",
                                  note="two companies")
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.employer_id == new.pk and a.employer_id == employer.pk
    wrong.refresh_from_db()
    assert wrong.employer_id == new.pk and wrong.resolution == "manual-split"
    assert new.name == "Sunshine Farms (Plant City)" and new.subdivision_id == "US-FL"
    assert AuditEvent.objects.filter(type=AuditEvent.Type.EMPLOYER_SPLIT, object_id=str(new.pk)).count() == 1
    # Re-import: both stay where the official put them, and a new Plant City row follows the split.
    assert resolve_job_orders(JobOrder.objects.all()) == 0
    c = job_order("SUNSHINE FARMS, L.L.C.", city="Plant City", state="FL", postal="33563", year=2019)
    resolve_job_orders(JobOrder.objects.filter(pk=c.pk))
    c.refresh_from_db()
    assert c.employer_id == new.pk


def test_split_needs_a_proper_subset(countries):
    a = job_order("Lone Star Ranch", city="Alpine", state="TX", postal="79830")
    resolve_job_orders(JobOrder.objects.all())
    a.refresh_from_db()
    admin = make_user("admin")
    alias = a.employer.aliases.get()
    with pytest.raises(ValidationError):
        services.split_employer(actor=admin, employer=a.employer, alias_ids=[alias.pk])
    with pytest.raises(ValidationError):
        services.split_employer(actor=admin, employer=a.employer, alias_ids=[])


def test_other_countrys_official_and_other_roles_cannot_merge_or_split(two_spellings):
    a, b = two_spellings
    for user in (make_user("destination_official", ["CAN"]), make_user("origin_official", ["MEX"]),
                 make_user("analyst"), make_user("employer", ["USA"]), make_user("consular", ["USA"])):
        with pytest.raises(PermissionDenied):
            services.merge_employers(actor=user, target=a.employer, others=[b.employer])
        with pytest.raises(PermissionDenied):
            services.rename_employer(actor=user, employer=a.employer, name="X")
    assert not AuditEvent.objects.filter(type__startswith="employer.").exists()
    assert Employer.objects.filter(merged_into__isnull=False).count() == 0


def test_merge_refuses_other_country_and_merged_employers(two_spellings, countries):
    a, b = two_spellings
    ca = job_order("Ferme Tremblay Inc", country="CAN", source="lmia", programme="CA-AG", address="Mirabel, QC J7N 1G5",
                   state="Quebec")
    resolve_job_orders(JobOrder.objects.filter(pk=ca.pk))
    ca.refresh_from_db()
    admin = make_user("admin")
    with pytest.raises(ValidationError):
        services.merge_employers(actor=admin, target=a.employer, others=[ca.employer])
    services.merge_employers(actor=admin, target=a.employer, others=[b.employer])
    with pytest.raises(PermissionDenied):  # a merged employer is no longer a live one
        services.merge_employers(actor=admin, target=b.employer, others=[a.employer])


def test_rename_is_audited_and_sticks(two_spellings):
    a, _b = two_spellings
    official = make_user("destination_official", ["USA"])
    services.rename_employer(actor=official, employer=a.employer, name="  Rio Grande   Growers Cooperative ")
    employer = Employer.objects.get(pk=a.employer_id)
    assert employer.name == "Rio Grande Growers Cooperative" and employer.manually_reviewed
    event = AuditEvent.objects.get(type=AuditEvent.Type.EMPLOYER_CHANGED)
    assert event.details["name"]["from"] == "Rio Grande Growers"
    job_order("Rio Grande Growers", address="PO Box 1", city="Mission", state="TX", postal="78572", year=2020)
    job_order("Rio Grande Growers", address="PO Box 1", city="Mission", state="TX", postal="78572", year=2021)
    resolve_job_orders(JobOrder.objects.all())
    assert Employer.objects.get(pk=a.employer_id).name == "Rio Grande Growers Cooperative"
    with pytest.raises(ValidationError):
        services.rename_employer(actor=official, employer=employer, name="   ")
