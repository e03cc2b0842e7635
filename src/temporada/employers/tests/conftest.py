import pytest


@pytest.fixture
def countries(reference_countries):
    """Real countries and subdivisions (employers point at them)."""
