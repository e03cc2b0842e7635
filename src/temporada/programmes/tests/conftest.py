import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The permission matrices create many users; the production hasher (Argon2) is not what these tests check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """The public study PDF is cached; each test starts without a copy from another test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def catalogue(reference_countries):
    """The real sourced catalogue (data/programmes/catalogue.json), published."""
    from temporada.programmes.bootstrap import load_catalogue

    load_catalogue()


@pytest.fixture
def draft_programme(catalogue):
    from temporada.programmes.models import Programme

    programme = Programme.objects.get(slug="us-h2a")
    programme.state = "draft"
    programme.save()
    return programme


def post_data(form) -> dict:
    """What a browser would send back for an unchanged form (initial values, checkboxes as 'on')."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, (list, tuple)):
            data[name] = list(value)
        else:
            data[name] = value
    return data
