"""Access: the statistics are public aggregates for every role; only administrators change them,
through audited services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from temporada.accounts.roles import ALL_ROLES, PUBLIC
from temporada.core.models import AuditEvent
from temporada.core.testing import PermissionMatrix, Probe, make_user
from temporada.indicators.models import (
    Area,
    Dataset,
    ImportBatch,
    Indicator,
    IndicatorValue,
    MigrantStock,
    Population,
    RejectedRow,
)
from temporada.indicators.services import update_dataset

pytestmark = pytest.mark.django_db

MODELS = [Dataset, ImportBatch, RejectedRow, Area, MigrantStock, Population, Indicator, IndicatorValue]


def test_every_role_reads_the_public_statistics(migration_data):
    matrix = PermissionMatrix(
        obj=Dataset.objects.get(key="migrant-stock"),
        probes=[Probe("profile", lambda d: "/es/indicators/countries/GTM/", marker=lambda d: "1 226 849"),
                Probe("dataset", lambda d: f"/es/indicators/data/{d.key}/", marker=lambda d: d.title_es),
                Probe("api", lambda d: f"/api/v1/indicators/datasets/{d.key}", marker=lambda d: d.key),
                Probe("chart-api", lambda d: "/api/v1/indicators/countries/GTM/charts/rcm-corridors",
                      marker=lambda d: "1226849"),
                Probe("dcat", lambda d: "/api/v1/indicators/catalog.jsonld", marker=lambda d: d.key)],
    )
    # The profile shows grouped thousands with a non-breaking space.
    matrix.probes[0].marker = lambda d: "1\xa0226\xa0849"
    matrix.check({(role, ("GTM",) if role != PUBLIC else ()): True for role in ALL_ROLES})


def test_writes_are_for_administrators_only(migration_data):
    for role in ALL_ROLES:
        user = None if role == PUBLIC else make_user(role, ["MEX"])
        for model in MODELS:
            visible = model.objects.restrict(user, "view").count()
            assert visible == model.objects.restrict(user, "export").count() == model.objects.count() > 0
            for action in ("change", "create", "delete"):
                writable = model.objects.restrict(user, action).count()
                assert writable == (visible if role == "admin" else 0), (role, model.__name__, action)


def test_dataset_metadata_edit_goes_through_an_audited_service(migration_data):
    dataset = Dataset.objects.get(key="population")
    with pytest.raises(PermissionDenied):
        update_dataset(actor=make_user("analyst"), dataset=dataset, changes={"version": "x"})
    with pytest.raises(ValidationError):
        update_dataset(actor=make_user("admin"), dataset=dataset, changes={"rows": 1})
    admin = make_user("admin")
    update_dataset(actor=admin, dataset=dataset, changes={"licence_url": "https://creativecommons.org/licenses/by/3.0/igo/legalcode"})
    dataset.refresh_from_db()
    assert dataset.licence_url.endswith("/legalcode")
    event = AuditEvent.objects.get(type=AuditEvent.Type.RECORD_CHANGED, object_id="population")
    assert event.actor == admin and event.details["fields"] == ["licence_url"]
    with pytest.raises(ValidationError):
        update_dataset(actor=admin, dataset=dataset, changes={"licence_url": "not a url"})


def test_only_administrators_reach_the_dataset_edit_page(migration_data):
    from temporada.core.testing import client_for

    url = "/es/indicators/data/population/edit/"
    for role in ("analyst", "destination_official", "worker"):
        assert client_for(make_user(role, ["USA"])).get(url).status_code == 404
        assert client_for(make_user(role, ["USA"])).post(url, {"version": "x"}).status_code == 404
    assert client_for(None).get(url).status_code == 302  # to sign in
    admin = make_user("admin")
    client = client_for(admin)
    form = client.get(url).context["form"]
    data = {name: form.initial[name] for name in form.fields} | {"version": "WPP 2022 (July 2022 release)"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("/es/indicators/data/population/")
    assert Dataset.objects.get(key="population").version == "WPP 2022 (July 2022 release)"
    event = AuditEvent.objects.get(type=AuditEvent.Type.RECORD_CHANGED, object_id="population")
    assert event.actor == admin and event.details["fields"] == ["version"]
    bad = client.post(url, data | {"licence_url": "javascript:alert(1)"})
    assert bad.status_code == 200 and "licence_url" in bad.context["form"].errors
    assert client.get("/es/indicators/data/no-such/edit/").status_code == 404
