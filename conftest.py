"""Project-wide pytest setup."""

import pytest


@pytest.fixture(autouse=True)
def _spanish_by_default(settings):
    settings.LANGUAGE_CODE = "es"


@pytest.fixture
def reference_countries(db):
    """The real country and subdivision lists (fast: ~460 rows)."""
    from temporada.core.reference import load_countries, load_subdivisions

    load_countries()
    load_subdivisions()
