"""Roles × countries: fail-closed scopes, same 404 for forbidden and missing ids, the permission
matrix helper itself, and the audit trail that only administrators can browse."""

from types import SimpleNamespace

import pytest
from django.http import Http404

from temporada.accounts.roles import ALL_ROLES, PUBLIC, Role
from temporada.core.audit import record, record_read
from temporada.core.models import AuditEvent, Country
from temporada.core.restrict import Action, ScopedModel, get_restricted_or_404
from temporada.core.testing import PermissionMatrix, Probe, client_for, make_user

pytestmark = pytest.mark.django_db
AUDIT_LIST = "/es/admin/core/auditevent/"


def test_default_scope_fails_closed_for_everyone(reference_countries):
    """A scoped model that declares no policy shows nothing, even to an admin with countries."""
    qs = Country.objects.all()
    for role in Role.values:
        user = make_user(role, ["USA"])
        assert not ScopedModel.scope(qs, user, Action.VIEW).exists()


def test_user_without_country_has_no_country_codes(reference_countries):
    user = make_user(Role.ORIGIN_OFFICIAL)
    assert user.country_codes == frozenset()
    assert make_user(Role.ORIGIN_OFFICIAL, ["GTM", "HND"]).country_codes == {"GTM", "HND"}


def test_restrict_refuses_unknown_actions(reference_countries):
    with pytest.raises(ValueError):
        Country.objects.restrict(None, "steal")


def test_reference_countries_are_public_reads_but_not_writable(reference_countries):
    assert Country.objects.restrict(None).count() == 249
    assert not Country.objects.restrict(make_user(Role.ADMIN), Action.CHANGE).exists()


@pytest.mark.parametrize("lookup", [{"pk": "USA"}, {"pk": "ZZZ"}, {"pk": ["not", "a", "code"]}])
def test_forbidden_missing_and_malformed_ids_all_answer_404(reference_countries, lookup):
    user = make_user(Role.WORKER, ["GTM"])
    with pytest.raises(Http404):
        # CHANGE is forbidden for everyone on reference data: same answer as a missing or malformed id
        get_restricted_or_404(Country.objects, user, Action.CHANGE, **lookup)


def test_forbidden_and_missing_api_ids_look_the_same(client):
    """The API 404 body carries no hint of whether the id exists."""
    a = client.get("/api/v1/core/subdivisions", {"country": "ZZZ"})
    assert a.status_code == 200 and a.json() == []


# --- PermissionMatrix self-test ------------------------------------------------------------

@pytest.fixture
def matrix_urls(settings):
    settings.ROOT_URLCONF = "temporada.core.tests.matrix_urls"


def _matrix(kind):
    return PermissionMatrix(obj=SimpleNamespace(pk=7),
                            probes=[Probe(kind, lambda o: f"/{kind}/{o.pk}/", marker=lambda o: f"secret-{o.pk}")])


def test_matrix_passes_a_correct_view(matrix_urls):
    _matrix("correct").check({("admin", ()): True, ("worker", ("GTM",)): False, (PUBLIC, ()): False})


def test_matrix_detects_a_leak(matrix_urls):
    with pytest.raises(AssertionError, match="expected hidden, got 200"):
        _matrix("leaky").check({("worker", ("GTM",)): False})


def test_matrix_detects_a_403_that_reveals_the_id(matrix_urls):
    with pytest.raises(AssertionError, match="answered 403, must be 404"):
        _matrix("forbidden").check({("consular", ("MEX",)): False})


def test_matrix_detects_missing_access(matrix_urls):
    with pytest.raises(AssertionError, match="expected access, got 404"):
        _matrix("correct").check({("analyst", ("USA",)): True})


# --- audit trail ---------------------------------------------------------------------------

def test_only_admins_can_browse_the_audit_trail(reference_countries):
    event = record(type=AuditEvent.Type.RECORD_CHANGED, object_type="demo.thing", object_id="42",
                   object_repr="marcador-secreto-42", country="GTM")
    matrix = PermissionMatrix(obj=event, probes=[
        Probe("list", lambda e: AUDIT_LIST, marker=lambda e: e.object_repr),
        Probe("detail", lambda e: f"{AUDIT_LIST}{e.pk}/change/", marker=lambda e: e.object_repr),
        Probe("search", lambda e: AUDIT_LIST + "?q=marcador", marker=lambda e: e.object_repr),
    ])
    expectations = {(role, ("GTM",) if role != PUBLIC else ()): role == Role.ADMIN for role in ALL_ROLES}
    matrix.check(expectations)


def test_non_admins_never_get_a_200_from_the_audit_admin(reference_countries):
    for role in Role.values:
        if role == Role.ADMIN:
            continue
        response = client_for(make_user(role, ["USA"])).get(AUDIT_LIST)
        assert response.status_code in (302, 403, 404), role
        if response.status_code == 302:
            assert "login" in response["Location"]


def test_admin_filters_the_audit_trail_by_type_and_country(reference_countries):
    admin = make_user(Role.ADMIN)
    record(type=AuditEvent.Type.RECORD_CREATED, object_repr="evento-guatemala", country="GTM")
    record(type=AuditEvent.Type.EXPORT, object_repr="evento-mexico", country="MEX")
    client = client_for(admin)
    page = client.get(AUDIT_LIST, {"type__exact": "data.export"}).content.decode()
    assert "evento-mexico" in page and "evento-guatemala" not in page
    page = client.get(AUDIT_LIST, {"country__iso3__exact": "GTM"}).content.decode()
    assert "evento-guatemala" in page and "evento-mexico" not in page
    page = client.get(AUDIT_LIST, {"q": "guatemala"}).content.decode()
    assert "evento-guatemala" in page and "evento-mexico" not in page
    # read-only: no add, no change, no delete
    assert client.get(f"{AUDIT_LIST}add/").status_code == 403
    event = AuditEvent.objects.get(object_repr="evento-mexico")
    assert client.post(f"{AUDIT_LIST}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_record_fills_request_metadata_and_refuses_unknown_types(rf, reference_countries):
    user = make_user(Role.CONSULAR, ["MEX"])
    request = rf.get("/", HTTP_USER_AGENT="pytest-agent", REMOTE_ADDR="192.0.2.5")
    request.user = user
    event = record_read(actor=user, obj=Country.objects.get(pk="MEX"), request=request, country="MEX")
    assert (event.type, event.actor, event.object_type, event.object_id) == ("record.read", user, "core.country", "MEX")
    assert (event.ip_address, event.user_agent, event.country_id) == ("192.0.2.5", "pytest-agent", "MEX")
    assert event.request_id
    with pytest.raises(ValueError):
        record(type="made.up")
