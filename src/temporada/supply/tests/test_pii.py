"""Identity documents: looked up by keyed hash, stored encrypted, never in clear in the database."""

import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection

from temporada.supply import pii
from temporada.supply.models import Worker
from temporada.supply.queries import registry_for


def test_lookup_hash_ignores_formatting_but_not_country_or_kind():
    a = pii.lookup_hash("national_id", "GTM", "2567 81234 0101")
    assert a == pii.lookup_hash("national_id", "GTM", "2567-81234-0101")
    assert a == pii.lookup_hash("national_id", "GTM", "2567812340101")
    assert a != pii.lookup_hash("national_id", "HND", "2567812340101")
    assert a != pii.lookup_hash("passport", "GTM", "2567812340101")
    assert len(a) == 64


def test_lookup_hash_is_keyed(settings):
    settings.TEMPORADA_PII_KEY = "first-key"
    first = pii.lookup_hash("national_id", "GTM", "2567812340101")
    settings.TEMPORADA_PII_KEY = "second-key"
    assert pii.lookup_hash("national_id", "GTM", "2567812340101") != first


def test_encryption_round_trip_and_random_nonce():
    token = pii.encrypt("CA 123-456")
    assert token.startswith(pii.FORMAT_PREFIX)
    assert pii.decrypt(token) == "CA123456"
    assert pii.encrypt("CA 123-456") != token  # a fresh nonce each time: equal numbers do not look equal
    assert pii.decrypt("") == ""


def test_decrypt_refuses_tampered_or_foreign_tokens(settings):
    token = pii.encrypt("AB1234567")
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(InvalidTag):
        pii.decrypt(tampered)
    with pytest.raises(ValueError):
        pii.decrypt("plain-text")
    settings.TEMPORADA_PII_KEY = "another-deployment"
    with pytest.raises(InvalidTag):
        pii.decrypt(token)


@pytest.mark.django_db
def test_no_plaintext_document_numbers_in_the_database(make_worker):
    worker = make_worker(national_id="2567 81234 0101", passport_number="GT1234567", passport_expiry="2030-01-31")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Worker._meta.db_table} WHERE id = %s", [worker.pk])  # noqa: S608
        raw = " ".join(str(v) for v in cursor.fetchone())
    for secret in ("2567812340101", "256781234", "GT1234567", "1234567"):
        assert secret not in raw
    stored = Worker.objects.get(pk=worker.pk)
    assert stored.national_id_last4 == "0101"
    assert stored.passport_last4 == "4567"
    assert pii.decrypt(stored.national_id_encrypted) == "2567812340101"
    assert pii.decrypt(stored.passport_encrypted) == "GT1234567"


@pytest.mark.django_db
def test_official_finds_a_profile_by_its_full_number_only(make_worker, gt_official):
    worker = make_worker(national_id="2567 81234 0101")
    make_worker(national_id="9999999990101")
    assert list(registry_for(gt_official, {"document": "2567-81234-0101"})) == [worker]
    assert list(registry_for(gt_official, {"document": "0101"})) == []  # last four digits find nothing
    assert list(registry_for(gt_official, {"document": "%"})) == []
