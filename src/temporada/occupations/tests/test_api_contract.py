"""API contract with real data loaded: schemathesis-generated GET requests on `/api/v1/occupations/` never
produce a server error and always match the documented response schemas.

(Kept apart from test_api.py: the schema is read at collection, so a broken router elsewhere in the API
only stops this module.)"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from temporada.wsgi import application

# Pages and API answers are gzip-compressed for browsers; schemathesis' WSGI transport would hand the
# compressed body to the schema checks undecoded.
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture
def _keep_connection():
    """Generated requests go through the raw WSGI app, whose request signals would close the test's
    database connection (PostgreSQL really closes it inside the test transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    method="GET", path_regex="^/api/v1/occupations/")


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_generated_requests_with_data_never_fail(case, occupations, _keep_connection):
    case.call_and_validate(headers=IDENTITY, checks=[not_a_server_error, response_schema_conformance])
