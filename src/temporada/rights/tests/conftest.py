"""Fixtures of the portal's tests; the loaders live in ``fixtures.py`` (shared with the browser tests)."""

import pytest
from django.db import transaction

from .fixtures import CASES, load_content, load_job_orders

__all__ = ["CASES"]


@pytest.fixture(scope="module")
def _module_content(django_db_setup, django_db_blocker):
    """Load the content once per test module inside an outer transaction rolled back at the end: each
    test's own transaction becomes a savepoint inside it, so tests stay isolated and the database clean."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_content()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def content(_module_content, db):
    """Countries, the programme catalogue and the portal's content (as `temporada setup` loads them)."""


@pytest.fixture
def job_orders(content, tmp_path):
    return load_job_orders(tmp_path)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
