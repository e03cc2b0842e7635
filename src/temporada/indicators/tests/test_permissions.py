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
