"""Deferred employer resolution survives a busy database: the chunk is tried again, not the task failed."""

import pytest
from django.db import OperationalError

from temporada.demand import services
from temporada.demand.models import JobOrder

pytestmark = pytest.mark.django_db


def test_busy_chunk_is_tried_again(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    calls = []

    def flaky(rows):
        calls.append(rows)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return 7

    assert services._resolve_chunk(JobOrder.objects.none(), flaky) == 7
    assert len(calls) == 2


def test_a_database_that_stays_busy_still_fails_loudly(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)

    def busy(rows):
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        services._resolve_chunk(JobOrder.objects.none(), busy, attempts=3)
