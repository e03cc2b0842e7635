"""ISCO-08 mapping of the published occupation codes: written with the rows, redone by the remap pass when the
crosswalks change, and saying how it was made."""

import pytest

from temporada.demand.models import JobOrder
from temporada.demand.services import NO_CODE, remap_all_isco
from temporada.occupations.queries import IscoMatch

from .conftest import H2A, real, slice_workbook

pytestmark = pytest.mark.django_db


class FakeTable(dict):
    def lookup(self, code):
        return list(self.get(code, ()))


def _tables(mapping):
    def table_for(system):
        return FakeTable(mapping.get(system, {}))

    return table_for


def test_codes_are_mapped_as_rows_are_written_and_remapped_later(reference, run, tmp_path, monkeypatch):
    from temporada.occupations import queries

    monkeypatch.setattr(queries, "isco_mapping_table", _tables({"SOC2010": {"45-2092": [
        IscoMatch("9211", "official crosswalk", "SOC 2010 45-2092 → ISCO-08 9211"), IscoMatch("6111", "official")]}}))
    batch = run("oflc-h2a", slice_workbook(real(*H2A, "H-2A_Disclosure_Data_FY16_updated.xlsx"), tmp_path / "FY16.xlsx",
                                           first=30))
    crop = JobOrder.objects.filter(batch=batch, occupation_code="45-2092")
    other = JobOrder.objects.filter(batch=batch).exclude(occupation_code="45-2092")
    assert crop.exists() and other.exists()
    assert set(crop.values_list("isco_code", "isco_method")) == {
        ("9211", "official crosswalk: SOC 2010 45-2092 → ISCO-08 9211")}
    assert crop.first().isco_alternatives == ["6111"]
    assert all(m.startswith("no SOC2010 → ISCO-08 correspondence") for m in other.values_list("isco_method", flat=True))

    # The crosswalk changes: the remap pass updates what changed, and only that.
    monkeypatch.setattr(queries, "isco_mapping_table", _tables({"SOC2010": {
        "45-2092": [IscoMatch("9211", "official crosswalk", "SOC 2010 45-2092 → ISCO-08 9211"), IscoMatch("6111", "official")],
        "45-2093": [IscoMatch("9212", "official crosswalk")]}}))
    changed = remap_all_isco()
    assert changed == JobOrder.objects.filter(occupation_code="45-2093").count() > 0
    assert set(JobOrder.objects.filter(occupation_code="45-2093").values_list("isco_code", flat=True)) == {"9212"}
    assert remap_all_isco() == 0  # nothing left to change


def test_rows_without_a_published_code_say_so(reference, run, tmp_path):
    run("oflc-h2a", slice_workbook(real(*H2A, "H2A_FY2008.xlsx"), tmp_path / "H2A_FY2008.xlsx", first=5))
    assert set(JobOrder.objects.values_list("occupation_code", "isco_code", "isco_method")) == {("", "", NO_CODE)}
