import pytest


@pytest.fixture
def countries(reference_countries):
    """Real countries and subdivisions (employers point at them)."""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Many users per permission matrix: hash their test passwords cheaply (sign-in is tested in accounts)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
