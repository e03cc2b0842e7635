"""Fixtures: RCM slices of the official files loaded through the importers (see slices.py)."""

import pytest

from .slices import load_slices


@pytest.fixture
def migration_data(reference_countries, tmp_path):
    """RCM slices of the five official files, loaded through the importers."""
    return load_slices(tmp_path)


@pytest.fixture
def catalogue_loaded(reference_countries):
    from temporada.programmes.bootstrap import load_catalogue

    load_catalogue()
