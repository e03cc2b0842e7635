"""The API's OpenAPI schema is a tested contract: it is valid, lists every app's router, and
schemathesis-generated requests against every GET operation never produce a server error and
get answers that conform to the documented response schemas."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from temporada.api import api
from temporada.wsgi import application

# Pages and API answers are gzip-compressed for browsers; schemathesis' WSGI transport would hand the
# compressed body to the schema checks undecoded.
IDENTITY = {"Accept-Encoding": "identity"}

# Read at collection (schemathesis' from_fixture does not work with pytest 9): a router whose schema
# cannot be built stops the run with a collection error, which fails CI just the same.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(method="GET")


def test_schema_is_openapi_3_with_every_app_router():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    assert document["openapi"].startswith("3.")
    tags = {tag for operation in _operations(document) for tag in operation.get("tags", [])}
    assert {"reference", "programmes"} <= tags
    for path in document["paths"]:
        assert path.startswith("/api/v1/"), path


def _operations(document):
    for item in document["paths"].values():
        yield from (op for method, op in item.items() if method in {"get", "post", "put", "patch", "delete"})


def test_every_operation_documents_its_responses():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    for operation in _operations(document):
        assert operation.get("responses"), operation.get("operationId")


@pytest.fixture
def _reference(reference_countries):
    """Real countries so that lookups by code exercise found and not-found paths."""


@pytest.fixture
def _keep_connection():
    """Generated requests go through the WSGI handler, whose request signals would close the test's
    connection; on PostgreSQL that ends the test transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_reference", "_keep_connection")
@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_get_operations_never_fail_and_match_their_schema(case):
    case.call_and_validate(headers=IDENTITY, checks=[not_a_server_error, response_schema_conformance])
