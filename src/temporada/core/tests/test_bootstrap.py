"""Reference data: complete and idempotent; missing files and concurrent set-ups fail clearly and change nothing."""

import fcntl
import shutil
from io import StringIO

import pytest
from django.conf import settings as dj_settings
from django.core.management import CommandError, call_command

from temporada.core.bootstrap import MissingReferenceFile, run_steps
from temporada.core.models import Country, DataLoad, Subdivision
from temporada.core.reference import load_countries, load_subdivisions

pytestmark = pytest.mark.django_db
CORE_STEPS = ["core.countries", "core.subdivisions"]
RCM = {"BLZ", "CAN", "CRI", "DOM", "GTM", "HND", "MEX", "NIC", "PAN", "SLV", "USA"}


def test_countries_with_three_languages_and_rcm_members(reference_countries):
    assert Country.objects.count() == 249
    assert set(Country.objects.filter(is_rcm_member=True).values_list("iso3", flat=True)) == RCM
    assert not Country.objects.filter(name_es="").exists()
    assert not Country.objects.filter(name_en="").exists()
    assert not Country.objects.filter(name_fr="").exists()
    gt = Country.objects.get(iso3="GTM")
    assert (gt.iso2, gt.numeric, gt.name_en, gt.name_fr) == ("GT", "320", "Guatemala", "Guatemala")
    assert Country.objects.get(iso3="AFG").numeric == "004"  # codes stay text with their zeros


def test_subdivisions_of_north_america(reference_countries):
    us = Subdivision.objects.filter(country_id="USA")
    assert us.filter(kind="State").count() == 50
    assert us.filter(code="US-DC").exists()
    assert us.get(code="US-CA").fips == "06"
    assert Subdivision.objects.filter(country_id="CAN").count() == 13  # 10 provinces + 3 territories
    assert Subdivision.objects.filter(country_id="MEX").count() == 32  # 31 states + Mexico City
    assert Subdivision.objects.get(code="CA-QC").name_fr == "Québec"


def test_loaders_are_idempotent(reference_countries):
    before = (Country.objects.count(), Subdivision.objects.count())
    load_countries()
    load_subdivisions()
    assert (Country.objects.count(), Subdivision.objects.count()) == before


def test_setup_steps_skip_unchanged_files(db):
    out = StringIO()
    assert run_steps(stdout=out, only=CORE_STEPS) == {n: "loaded" for n in CORE_STEPS}
    assert run_steps(stdout=out, only=CORE_STEPS) == {n: "unchanged" for n in CORE_STEPS}
    assert DataLoad.objects.get(name="core.countries").rows == 249
    assert Country.objects.count() == 249


@pytest.fixture
def partial_data(tmp_path, settings):
    """A data folder where countries.csv is present but subdivisions.csv is missing."""
    (tmp_path / "reference").mkdir()
    shutil.copy(dj_settings.DATA_DIR / "reference" / "countries.csv", tmp_path / "reference" / "countries.csv")
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_missing_reference_file_loads_nothing(partial_data):
    with pytest.raises(MissingReferenceFile, match="subdivisions.csv"):
        run_steps(stdout=StringIO(), only=CORE_STEPS)
    # the present file was not loaded either: no half-loaded database
    assert Country.objects.count() == 0 and not DataLoad.objects.exists()


def test_setup_reports_a_missing_file_clearly(partial_data, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match=r"missing file .*subdivisions\.csv.*Restore the data/ folder"):
        call_command("setup", "--skip-messages", "--only", "core.countries", "--only", "core.subdivisions",
                     stdout=StringIO())
    assert Country.objects.count() == 0


def test_second_concurrent_setup_exits_with_a_clear_message(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with open(tmp_path / "setup.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the "first" setup
        with pytest.raises(CommandError, match="already running"):
            call_command("setup", "--skip-messages", "--only", "core.countries", stdout=StringIO())
    assert Country.objects.count() == 0
    # once the first one is done, setup runs
    call_command("setup", "--skip-messages", "--only", "core.countries", stdout=StringIO())
    assert Country.objects.count() == 249


def test_every_setup_step_names_its_publisher_on_the_attribution_page():
    from temporada.core.bootstrap import all_steps
    from temporada.core.views import dataset_attribution

    missing = [step.name for step in all_steps() if not dataset_attribution(step.name)[0]]
    assert not missing, f"add these datasets to core.views.DATASET_ATTRIBUTION: {missing}"
