"""Fixtures of the portal's tests; the loaders live in ``fixtures.py`` (shared with the browser tests)."""

import pytest

from .fixtures import CASES, load_content, load_job_orders

__all__ = ["CASES"]


@pytest.fixture
def content(db):
    load_content()


@pytest.fixture
def job_orders(content, tmp_path):
    return load_job_orders(tmp_path)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
