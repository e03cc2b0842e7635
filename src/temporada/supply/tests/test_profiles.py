"""Profile validation (one form for page, upload and self-registration) and the audited services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from temporada.core.models import AuditEvent
from temporada.core.testing import make_user
from temporada.supply import services
from temporada.supply.forms import WorkerForm
from temporada.supply.models import Consent, Worker

from .conftest import profile_data

pytestmark = pytest.mark.django_db


def errors(nationalities=("GTM",), **overrides):
    form = WorkerForm(profile_data(**overrides), nationalities=set(nationalities))
    form.is_valid()
    return form.errors


def test_valid_profile_passes(origins):
    assert errors() == {}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"birth_date": "1994-02-30"}, "birth_date"),                      # impossible date
    ({"birth_date": "2090-01-01"}, "birth_date"),                      # future
    ({"birth_date": "1930-01-01"}, "birth_date"),                      # over the programmes' age
    ({"national_id": "12345"}, "national_id"),                         # DPI has 13 digits
    ({"national_id": ""}, "national_id"),
    ({"isco_1": "9999"}, "isco_1"),                                    # format ok, not an ISCO unit group
    ({"isco_1": "92"}, "isco_1"),                                      # a group, not a unit
    ({"isco_1": ""}, "isco_1"),
    ({"years_1": "30"}, "years_1"),                                    # more experience than age allows
    ({"isco_2": "9211"}, "isco_2"),                                    # repeated occupation
    ({"available_until": "2000-01-01"}, "available_until"),            # ends before it starts
    ({"available_from": "", "available_until": "2031-01-01"}, "available_from"),
    ({"residence_subdivision": "HN-CR"}, "residence_subdivision"),     # Honduran department for a Guatemalan
    ({"residence_subdivision": "XX-99"}, "residence_subdivision"),
    ({"passport_number": "GT1234567"}, "passport_expiry"),             # passport without expiry
    ({"passport_number": "GT1234567", "passport_expiry": "1990-01-01"}, "passport_expiry"),  # before birth
    ({"passport_number": "GT1234567", "passport_expiry": "2060-01-01"}, "passport_expiry"),  # > 10 years
    ({"passport_number": "G!"}, "passport_number"),
    ({"consent_registry": ""}, "consent_registry"),                    # no registry without consent
    ({"consent_date": "2099-01-01"}, "consent_date"),
    ({"consent_registry": "", "consent_matching": "on"}, "consent_matching"),
    ({"language_1": "xx"}, "language_1"),
    ({"language_3": "en"}, "level_3"),                                 # language without level
    ({"past_destination_1": "USA", "past_season_1": "1800"}, "past_season_1"),
    ({"past_employer_1": "Granja"}, "past_destination_1"),
    ({"sex": "Z"}, "sex"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "call me"}, "phone"),
])
def test_bad_input_is_refused_with_a_field_message(origins, overrides, field):
    found = errors(**overrides)
    assert field in found, found


def test_official_can_only_register_own_nationals(origins):
    assert "nationality" in errors(nationalities=("GTM",), nationality="HND", national_id="0801199012345",
                                   residence_subdivision="HN-CR")


def test_country_specific_national_id_formats(origins):
    assert errors(nationalities=("MEX",), nationality="MEX", residence_subdivision="MX-MIC",
                  national_id="GOMJ900101HMNRRN09") == {}
    assert "national_id" in errors(nationalities=("MEX",), nationality="MEX", residence_subdivision="MX-MIC",
                                   national_id="1234567890123")


def test_duplicate_documents_are_refused(make_worker, origins):
    make_worker(national_id="2567 81234 0101", passport_number="GT1234567", passport_expiry="2030-01-01")
    assert "national_id" in errors(national_id="2567812340101")
    assert "passport_number" in errors(national_id="1111111110101", passport_number="gt 1234567",
                                       passport_expiry="2030-01-01")


def test_create_records_consents_audit_and_primary_occupation(gt_official):
    form = WorkerForm(profile_data(documents_verified="on"), nationalities={"GTM"})
    assert form.is_valid(), form.errors
    worker = services.create_worker(actor=gt_official, data=form.cleaned_data)
    assert worker.status == Worker.Status.VERIFIED and worker.verified_by == gt_official
    assert worker.primary_isco == "9211" and worker.primary_years == 6
    assert sorted(worker.occupations.values_list("isco_code", flat=True)) == ["6111", "9211"]
    assert sorted(worker.languages.values_list("language", flat=True)) == ["es", "mam"]
    assert set(worker.consents.values_list("purpose", flat=True)) == {"registry", "matching"}
    assert worker.has_registry_consent and worker.has_matching_consent
    types = set(AuditEvent.objects.filter(object_id=str(worker.pk)).values_list("type", flat=True))
    assert {AuditEvent.Type.WORKER_CREATED, AuditEvent.Type.WORKER_VERIFIED} <= types
    # the audit trail never carries the name or the document number
    for event in AuditEvent.objects.filter(object_id=str(worker.pk)):
        assert "López" not in event.object_repr and "2567812340101" not in str(event.details)


def test_create_refused_for_another_countrys_official(hn_official, origins):
    form = WorkerForm(profile_data(), nationalities={"GTM"})
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        services.create_worker(actor=hn_official, data=form.cleaned_data)
    assert not Worker.objects.exists()


def test_unverified_registration_then_verification(gt_official, make_worker):
    worker = make_worker(verified=False)
    assert worker.status == Worker.Status.REGISTERED
    assert not Worker.objects.matchable().filter(pk=worker.pk).exists()
    services.verify_worker(actor=gt_official, worker=worker)
    assert Worker.objects.matchable().filter(pk=worker.pk).exists()
    with pytest.raises(ValidationError):
        services.verify_worker(actor=gt_official, worker=worker)
    with pytest.raises(PermissionDenied):
        services.verify_worker(actor=make_user("origin_official", ["HND"]), worker=worker)


def test_update_keeps_documents_when_left_blank(gt_official, make_worker):
    worker = make_worker(national_id="2567812340101")
    token = worker.national_id_encrypted
    form = WorkerForm(profile_data(national_id="", phone="+502 4444 0000"), instance=worker, nationalities={"GTM"})
    assert form.is_valid(), form.errors
    services.update_worker(actor=gt_official, worker=worker, data=form.cleaned_data)
    worker.refresh_from_db()
    assert worker.national_id_encrypted == token and worker.phone == "+502 4444 0000"
    event = AuditEvent.objects.filter(type=AuditEvent.Type.WORKER_CHANGED, object_id=str(worker.pk)).get()
    assert event.details["fields"] == ["phone"]


def test_worker_editing_identity_goes_back_to_pending(make_worker, origins):
    worker = make_worker()
    account = make_user("worker", ["GTM"])
    worker.account = account
    worker.save()
    form = WorkerForm(profile_data(national_id="", family_names="López Tzul"), instance=worker,
                      nationalities={"GTM"}, allow_verification=False)
    assert form.is_valid(), form.errors
    services.update_worker(actor=account, worker=worker, data=form.cleaned_data)
    worker.refresh_from_db()
    assert worker.status == Worker.Status.PENDING


def test_withdrawing_consent_removes_from_registry_and_matching_but_keeps_the_record(gt_official, make_worker):
    worker = make_worker()
    services.withdraw_consent(actor=gt_official, worker=worker, purpose="matching", reason="prefiere esperar")
    worker.refresh_from_db()
    assert worker.has_registry_consent and not worker.has_matching_consent
    assert Worker.objects.in_registry().filter(pk=worker.pk).exists()
    assert not Worker.objects.matchable().filter(pk=worker.pk).exists()
    services.withdraw_consent(actor=gt_official, worker=worker, purpose="registry")
    worker.refresh_from_db()
    assert not Worker.objects.in_registry().filter(pk=worker.pk).exists()
    assert Worker.objects.filter(pk=worker.pk).exists()  # legal record kept
    consents = Consent.objects.filter(worker=worker)
    assert consents.count() == 2 and all(c.withdrawn_at for c in consents)
    assert AuditEvent.objects.filter(type=AuditEvent.Type.CONSENT_CHANGED, object_id=str(worker.pk)).count() == 2
    with pytest.raises(ValidationError):
        services.verify_worker(actor=gt_official, worker=worker)


def test_reveal_is_audited_and_scoped(gt_official, hn_official, make_worker):
    worker = make_worker(national_id="2567812340101")
    assert services.reveal_documents(actor=gt_official, worker=worker)["national_id"] == "2567812340101"
    assert AuditEvent.objects.filter(type=AuditEvent.Type.PROTECTED_READ, object_id=str(worker.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        services.reveal_documents(actor=hn_official, worker=worker)


def test_self_registration_creates_a_pending_profile_with_its_account(origins):
    form = WorkerForm(profile_data(), allow_verification=False)
    assert "documents_verified" not in form.fields
    assert form.is_valid(), form.errors
    worker = services.self_register(data=form.cleaned_data, username="ana.lopez", password="tomate-Cosecha-2026!")
    assert worker.status == Worker.Status.PENDING and worker.origin == Worker.Origin.SELF
    assert worker.account.role == "worker" and worker.account.country_codes == {"GTM"}
    assert Worker.objects.restrict(worker.account).get() == worker


def test_availability_window_over_two_years_is_refused(origins):
    start = timezone.localdate() + timedelta(days=10)
    assert "available_until" in errors(available_from=start.isoformat(),
                                       available_until=(start + timedelta(days=800)).isoformat())
