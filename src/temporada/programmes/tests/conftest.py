import pytest


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
