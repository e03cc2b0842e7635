"""Fixtures of the Django-side matching tests: real job orders (a slice of OFLC's H-2A FY2017 disclosure file
imported through the demand importer, SOC codes mapped by the official BLS/IBS SOC 2010 → ISCO-08 crosswalk
file), the real programme catalogue, and worker profiles created through the supply form and services."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import lru_cache

import pytest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from temporada.core.bootstrap import data_path
from temporada.core.testing import make_user

H2A_FY17 = ("labor_demand", "us_oflc_h2a", "raw", "H-2A_Disclosure_Data_FY17.xlsx")
BLS_CROSSWALK = ("occupations", "crosswalks", "soc2010_isco08_bls_ibs.csv")
# Rows of the FY2017 file chosen for the tests: real primary certified cases of the three commonest SOC codes.
SLICE_SOC = ("45-2092", "45-2093", "45-2091")
SLICE_PER_SOC = 4


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_snapshots():
    """Each test has its own database: no worker arrays carried over from another test."""
    from temporada.matching import snapshot

    snapshot.clear()
    yield
    snapshot.clear()


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def origins(reference_countries):
    from temporada.supply.bootstrap import load_origin_subdivisions

    load_origin_subdivisions()


@pytest.fixture
def catalogue(origins):
    from temporada.programmes.bootstrap import load_catalogue

    load_catalogue()


@lru_cache(maxsize=1)
def bls_crosswalk() -> dict[str, list]:
    """The official SOC 2010 → ISCO-08 crosswalk file, as the occupations app's mapping table would give it."""
    from temporada.occupations.queries import IscoMatch, Method

    table: dict[str, list] = {}
    with open(data_path(*BLS_CROSSWALK), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            matches = table.setdefault(row["soc2010_code"], [])
            if all(m.isco_code != row["isco08_code"] for m in matches):
                matches.append(IscoMatch(row["isco08_code"], Method.SOC2010_OFFICIAL,
                                         f"SOC 2010 {row['soc2010_code']} → ISCO-08 {row['isco08_code']}"))
    return table


class _Table(dict):
    def lookup(self, code):
        return list(self.get(code, ()))


@pytest.fixture(scope="session")
def h2a_slice(tmp_path_factory):
    """A small xlsx with the real header and a few real rows of the FY2017 H-2A disclosure file."""
    from temporada.demand.tests.conftest import slice_workbook

    counts: dict[str, int] = {}

    def chosen(row):
        soc = str(row.get("SOC_CODE") or "")[:7]
        if soc in SLICE_SOC and row.get("PRIMARY/SUB") == "PRI" and str(row.get("CASE_STATUS", "")).startswith(
                "DETERMINATION ISSUED - CERTIFICATION") and counts.get(soc, 0) < SLICE_PER_SOC:
            counts[soc] = counts.get(soc, 0) + 1
            return True
        return False

    return slice_workbook(data_path(*H2A_FY17), tmp_path_factory.mktemp("h2a") / "H-2A_Disclosure_Data_FY17.xlsx",
                          where=chosen)


@pytest.fixture
def h2a_orders(catalogue, h2a_slice, monkeypatch):
    """Real H-2A job orders (FY2017, all begun long ago) imported through the demand importer."""
    from temporada.demand.importers import get_importer, run_import
    from temporada.demand.models import JobOrder
    from temporada.occupations import queries

    monkeypatch.setattr(queries, "isco_mapping_table", lambda system: _Table(bls_crosswalk() if system == "SOC2010"
                                                                              else {}))
    run_import(get_importer("oflc-h2a"), h2a_slice)
    return JobOrder.objects.filter(source="oflc_h2a").order_by("id")


@pytest.fixture
def gt_official(origins):
    return make_user("origin_official", ["GTM"])


@pytest.fixture
def us_official(origins):
    return make_user("destination_official", ["USA"])


def planned(job, today=None):
    from temporada.matching.orders import plan_order

    return plan_order(job, today=today or timezone.localdate(), project=True)


def profile_data(**overrides) -> MultiValueDict:
    """Valid WorkerForm data for a Guatemalan worker (override any field; None removes it)."""
    today = timezone.localdate()
    start, end = today, today + timedelta(days=700)  # covers any order planned for the next twelve months
    data = {
        "given_names": "Ana María", "family_names": "López Xol", "birth_date": "1994-05-17", "sex": "F",
        "nationality": "GTM", "national_id": "2567 81234 0101", "passport_number": "", "passport_expiry": "",
        "phone": "", "email": "", "residence_subdivision": "GT-13", "residence_locality": "Chiantla",
        "education_level": "1", "language_1": "es", "level_1": "native", "isco_1": "9211", "years_1": "6",
        "experience_1": "Corte de café", "available_from": start.isoformat(), "available_until": end.isoformat(),
        "consent_registry": "on", "consent_matching": "on", "consent_date": today.isoformat(),
        "documents_verified": "on",
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
    """A profile created through the real supply form and service (default: verified Guatemalan with a passport
    valid for years, available from today for almost two years)."""
    from temporada.supply import services
    from temporada.supply.forms import WorkerForm

    counter = iter(range(10_000, 99_999))

    def build(actor=None, nationality="GTM", **overrides):
        actor = actor or gt_official
        number = next(counter)
        overrides.setdefault("national_id", str(number).zfill(13))
        overrides.setdefault("passport_number", f"P{number:07d}")
        overrides.setdefault("passport_expiry", (timezone.localdate() + timedelta(days=3650)).isoformat())
        if nationality != "GTM":
            overrides.setdefault("nationality", nationality)
            overrides.setdefault("residence_subdivision", "")
        form = WorkerForm(profile_data(**overrides), nationalities=None)
        assert form.is_valid(), form.errors.as_json()
        creator = actor if nationality in actor.country_codes else make_user("admin")
        return services.create_worker(actor=creator, data=form.cleaned_data)

    return build


def shortlist_params(**overrides) -> dict:
    """ShortlistForm.parameters() of a plain search (the form is tested on its own)."""
    params = {
        "origin": "GTM", "population": "real", "required_languages": [], "preferred_languages": [],
        "rules": {"availability_slack_days": 0, "min_occupation_level": 1, "experience_level": 2},
        "weights": {"occupation": 40.0, "experience": 20.0, "participation": 15.0, "language": 10.0,
                    "preference": 15.0},
        "top": 25, "plan_next_season": True, "isco_code": "",
        "filters": {"sexes": [], "regions": [], "min_age": None, "max_age": None, "min_good_returns": None,
                    "must_speak": []},
    }
    for key, value in overrides.items():
        if key in params["filters"]:
            params["filters"][key] = value
        else:
            params[key] = value
    return params


def season_params(window: tuple[date, date], **overrides) -> dict:
    params = {
        "origin": "GTM", "population": "real", "required_languages": [], "preferred_languages": [],
        "rules": {"availability_slack_days": 0, "min_occupation_level": 1, "experience_level": 2},
        "weights": {"occupation": 40.0, "experience": 20.0, "participation": 15.0, "language": 10.0,
                    "preference": 15.0},
        "programme": "", "destination": "", "window_from": window[0].isoformat(), "window_to": window[1].isoformat(),
        "fairness": None, "multiple_orders": False, "solver": "auction", "seed": 0,
    }
    params.update(overrides)
    return params
