"""Occupation data for the tests of this package, loaded once from slices of the real files.

``occupations`` loads the slices (``slices.build_slice``) into the test database at the start of the
package and removes them at the end, so each test (in its own rolled-back transaction) reads them
without paying for the load again. Full-file checks are in ``test_full_files.py`` (marked slow).
"""

import pytest
from django.test import override_settings

from temporada.occupations import models
from temporada.occupations.queries import clear_caches

from .slices import build_slice

MODELS = [models.SearchEntry, models.CrosswalkLink, models.EscoOccupation, models.OnetOccupation,
          models.Soc2010Occupation]
TREES = [models.IscoGroup, models.SocOccupation, models.NocGroup]


def wipe():
    for model in MODELS:
        model.objects.all().delete()
    for model in TREES:  # children before parents
        for level in sorted(set(model.objects.values_list("level", flat=True)), reverse=True):
            model.objects.filter(level=level).delete()
    clear_caches()


@pytest.fixture(scope="session")
def slice_dir(tmp_path_factory):
    return build_slice(tmp_path_factory.mktemp("occupations-data"))


@pytest.fixture(scope="package")
def _loaded(django_db_setup, django_db_blocker, slice_dir):
    from temporada.occupations.bootstrap import load_all

    with django_db_blocker.unblock(), override_settings(DATA_DIR=slice_dir):
        wipe()
        report = load_all()
    yield report
    with django_db_blocker.unblock():
        wipe()


@pytest.fixture
def occupations(_loaded, db, settings, slice_dir):
    """The load report of the sliced files (data already in the database)."""
    settings.DATA_DIR = slice_dir
    clear_caches()
    return _loaded
