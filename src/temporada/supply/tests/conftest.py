from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from temporada.core.testing import make_user


@pytest.fixture
def origins(reference_countries):
    """Real countries and subdivisions, plus the origin countries' ISO 3166-2 divisions of this app."""
    from temporada.supply.bootstrap import load_origin_subdivisions

    load_origin_subdivisions()


@pytest.fixture
def gt_official(origins):
    return make_user("origin_official", ["GTM"])


@pytest.fixture
def hn_official(origins):
    return make_user("origin_official", ["HND"])


def next_season():
    today = timezone.localdate()
    start = date(today.year + 1, 3, 1)
    return start, start + timedelta(days=240)


def profile_data(**overrides) -> MultiValueDict:
    """Valid form data for a Guatemalan worker (override any field; None removes it)."""
    start, end = next_season()
    data = {
        "given_names": "Ana María", "family_names": "López Xol", "birth_date": "1994-05-17", "sex": "F",
        "nationality": "GTM", "national_id": "2567 81234 0101", "passport_number": "", "passport_expiry": "",
        "phone": "+502 5555 0101", "email": "", "residence_subdivision": "GT-13", "residence_locality": "Chiantla",
        "education_level": "1", "language_1": "es", "level_1": "native", "language_2": "mam", "level_2": "native",
        "isco_1": "9211", "years_1": "6", "experience_1": "Corte de café", "isco_2": "6111", "years_2": "2",
        "available_from": start.isoformat(), "available_until": end.isoformat(),
        "consent_registry": "on", "consent_matching": "on", "consent_date": timezone.localdate().isoformat(),
    }
    multi = {"preferred_destinations": [], "preferred_programmes": []}
    for key, value in overrides.items():
        if key in multi:
            multi[key] = value
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    result = MultiValueDict({k: [v] for k, v in data.items()})
    for key, values in multi.items():
        result.setlist(key, values)
    return result


@pytest.fixture
def make_worker(gt_official):
    """Create a profile through the real form and service (defaults: Guatemalan, verified)."""
    from temporada.supply import services
    from temporada.supply.forms import WorkerForm

    counter = iter(range(10_000, 99_999))

    def build(actor=None, verified=True, nationality="GTM", **overrides):
        actor = actor or gt_official
        if "national_id" not in overrides:
            overrides["national_id"] = str(next(counter)).zfill(13)  # GTM and HND ids have 13 digits
        if nationality != "GTM":
            overrides.setdefault("nationality", nationality)
            overrides.setdefault("residence_subdivision", "")
        if verified:
            overrides.setdefault("documents_verified", "on")
        form = WorkerForm(profile_data(**overrides), nationalities=None)
        assert form.is_valid(), form.errors.as_json()
        return services.create_worker(actor=make_user("admin") if nationality not in actor.country_codes else actor,
                                      data=form.cleaned_data)

    return build


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Many users per test (permission matrices): a fast hasher keeps the suite lean; hashing itself is
    tested in accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def tiny_distributions(countries=("GTM",)):
    """Hand-set distributions for tests that only need some synthetic profiles (the real ones read big files)."""
    import numpy as np

    from temporada.core.models import Subdivision
    from temporada.supply.synthetic import Distributions

    subdivisions = {c: sorted(Subdivision.objects.filter(country_id=c).values_list("code", flat=True))
                    for c in countries}
    return Distributions(countries=list(countries), country_weights=np.full(len(countries), 1 / len(countries)),
                         subdivisions=subdivisions, isco_codes=["9211", "9213"], isco_weights=np.array([0.7, 0.3]),
                         month_weights=np.full(12, 1 / 12), canada_share={"GTM": 0.1})
