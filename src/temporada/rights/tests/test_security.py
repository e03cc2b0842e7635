"""Bad input, personal data, rate limit and anonymity of what the verification leaves behind."""

import json
import re

import pytest
from django.apps import apps
from django.db import models

from temporada.core.models import AuditEvent
from temporada.rights.models import CheckFailureCount, PageVisit, VerificationCount

pytestmark = pytest.mark.django_db

HOSTILE = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
           "{{ settings.SECRET_KEY }}", "&#60;script&#62;"]
# What would execute if the value came back unescaped (values shown back in an input are escaped).
MARKERS = ["<script>alert", "<img src=x", 'href="javascript:', "&#60;script"]


def _post(client, **data):
    return client.post("/es/rights/verify/", data, REMOTE_ADDR=data.pop("ip", "203.0.113.7"))


def _counters():
    return (VerificationCount.objects.count(), CheckFailureCount.objects.count())


@pytest.mark.parametrize("value", HOSTILE)
def test_markup_in_free_text_is_refused_and_nothing_is_counted(client, content, value, settings):
    before = _counters()
    response = _post(client, employer_name=value, city=value)
    assert response.status_code == 400
    text = response.content.decode()
    assert "errorlist" in text
    for marker in MARKERS:
        assert marker not in text
    assert settings.SECRET_KEY not in text
    assert _counters() == before


def test_sql_looking_text_is_just_a_name(client, content):
    from temporada.rights.models import Statement

    statements = Statement.objects.count()
    response = _post(client, employer_name="Robert'); DROP TABLE rights_statement;--")
    assert response.status_code == 200 and "No encontramos" in response.content.decode()
    assert Statement.objects.count() == statements


@pytest.mark.parametrize("data, message", [
    ({}, "al menos el número de caso o el nombre del empleador"),
    ({"employer_name": "   "}, "al menos el número de caso o el nombre del empleador"),
    ({"employer_name": "x" * 5000}, "150"),
    ({"case_number": "H-400-" + "9" * 500}, "40"),
    ({"case_number": "???"}, "letras, números y guiones"),
    ({"employer_name": "1234 5678"}, "con letras"),
    ({"employer_name": "Acme Farms", "fee_amount": "-5"}, "0"),
    ({"employer_name": "Acme Farms", "fee_amount": "1e30"}, ""),
    ({"employer_name": "Acme Farms", "begin_date": "1850-01-01"}, "no es posible"),
    ({"employer_name": "Acme Farms", "begin_date": "2026-05-01", "end_date": "2026-01-01"}, "anterior"),
    ({"employer_name": "Acme Farms", "subdivision": "ZZ-99"}, ""),
])
def test_empty_absurd_and_long_answers_get_clear_messages(client, content, data, message):
    response = _post(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counters() == (0, 0)


def test_rate_limit_per_client_with_a_clear_message(client, content, settings):
    settings.RIGHTS_VERIFY_RATE_LIMIT = 3
    for _ in range(3):
        assert _post(client, employer_name="Acme Farms").status_code == 200
    blocked = _post(client, employer_name="Acme Farms")
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    assert "muchas comprobaciones seguidas" in blocked.content.decode()
    assert VerificationCount.objects.get().count == 3  # the refused request was not counted
    # Another client is not affected; the API shares the same limit per client.
    assert _post(client, employer_name="Acme Farms", ip="198.51.100.9").status_code == 200
    api = client.post("/api/v1/rights/verify", json.dumps({"employer_name": "Acme Farms"}),
                      content_type="application/json", REMOTE_ADDR="203.0.113.7")
    assert api.status_code == 429


def test_no_identity_of_the_client_is_stored_anywhere(client, job_orders):
    ip, agent = "203.0.113.77", "Mozilla/5.0 very-unique-agent-string"
    secret_name, secret_city = "Zyxwvut Qponm Harvest", "Xylophonetown"
    client.get("/es/rights/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    client.post("/es/rights/verify/", {"employer_name": secret_name, "city": secret_city, "subdivision": "US-FL",
                                        "case_number": "H-400-12345-678901", "fee_amount": "950"},
                REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    assert VerificationCount.objects.exists() and PageVisit.objects.exists()
    # Every stored row of the portal, the audit trail included, must be free of what the visitor typed or sent.
    needles = [ip, agent, secret_name, secret_city, "12345-678901", "950"]
    for model in [VerificationCount, CheckFailureCount, PageVisit, AuditEvent]:
        for row in model.objects.all().values():
            dump = json.dumps(row, default=str)
            for needle in needles:
                assert needle not in dump, (model.__name__, needle)
    event = AuditEvent.objects.get(type="rights.verification")
    assert event.ip_address is None and event.user_agent == "" and event.actor is None


def test_counter_models_have_no_free_text_or_address_column():
    for name in ["VerificationCount", "CheckFailureCount", "PageVisit"]:
        model = apps.get_model("rights", name)
        for field in model._meta.concrete_fields:
            assert not isinstance(field, (models.TextField, models.GenericIPAddressField, models.JSONField)), field
            if isinstance(field, models.CharField):
                assert field.max_length <= 40 or field.choices, field


def test_responses_carry_no_employer_contact_or_personal_data(client, job_orders):
    rows = {r["case_number"]: r for r in job_orders}
    row = rows["H-400-25310-383555"] if "H-400-25310-383555" in rows else next(iter(rows.values()))
    page = _post(client, case_number=row["case_number"], programme=row["visa_class"]).content.decode()
    api = client.post("/api/v1/rights/verify", json.dumps({"case_number": row["case_number"]}),
                      content_type="application/json", REMOTE_ADDR="192.0.2.1").content.decode()
    for text in (page, api):
        assert row["case_number"] in text
        for field in ("apply_email", "apply_phone", "employer_business_name", "worksite_address"):
            value = row[field].strip()
            if value and value not in ("N/A", "None"):
                assert value not in text, field
        assert not re.search(r"[\w.+-]+@[\w-]+\.(?:com|net|org)", text.split('id="verify-result"')[-1]
                             .split("Qué hacer ahora")[0])


def test_api_validation_matches_the_form(client, content):
    response = client.post("/api/v1/rights/verify", json.dumps({"employer_name": "<b>x</b>"}),
                           content_type="application/json")
    assert response.status_code == 422 and "employer_name" in response.json()["errors"]
    garbage = client.post("/api/v1/rights/verify", "not json", content_type="application/json")
    assert garbage.status_code in (400, 422)
    assert _counters() == (0, 0)


def test_htmx_requests_get_the_messages_swapped_in(client, content, settings):
    settings.RIGHTS_VERIFY_RATE_LIMIT = 1
    invalid = client.post("/es/rights/verify/", {"employer_name": "<b>"}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 200 and "errorlist" in invalid.content.decode()
    client.post("/es/rights/verify/", {"employer_name": "Acme Farms"}, HTTP_HX_REQUEST="true")
    limited = client.post("/es/rights/verify/", {"employer_name": "Acme Farms"}, HTTP_HX_REQUEST="true")
    assert limited.status_code == 200 and "muchas comprobaciones seguidas" in limited.content.decode()
    assert limited.headers["Retry-After"]
