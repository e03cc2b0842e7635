"""Loader behaviour on slices of the real files: text codes, hierarchy, rejected rows, idempotency."""

import csv
import gzip

import pytest
from django.db import transaction

from temporada.core.bootstrap import MissingReferenceFile, run_steps
from temporada.core.models import DataLoad
from temporada.occupations import bootstrap
from temporada.occupations.models import (
    CrosswalkLink,
    EscoOccupation,
    IscoGroup,
    LinkMethod,
    NocGroup,
    SearchEntry,
    SocOccupation,
    System,
)
from temporada.occupations.queries import isco_ancestors

from .slices import ESCO_UNITS


def test_codes_are_text_and_keep_their_zeros(occupations):
    armed = IscoGroup.objects.get(code="0110")
    assert (armed.level, armed.parent_id, armed.parent.parent_id) == (4, "011", "01")
    legislators = NocGroup.objects.get(version="2021", code="00010")
    assert (legislators.level, legislators.parent.code, legislators.title_en) == (5, "0001", "Legislators")
    assert NocGroup.objects.get(version="2011", code="0016").title_en.startswith("Senior managers - construction")
    assert not IscoGroup.objects.filter(code="110").exists()
    assert not NocGroup.objects.filter(code="10", level=5).exists()


def test_isco_hierarchy_is_the_code_prefix_chain(occupations):
    groups = {g.code: g for g in IscoGroup.objects.all()}
    assert len(groups) == 619
    for code, group in groups.items():
        chain, node = [], group
        while node is not None:
            chain.insert(0, node.code)
            node = groups.get(node.parent_id) if node.parent_id else None
        assert chain == isco_ancestors(code), code
        assert group.title_es and group.title_en and group.title_fr


def test_esco_occupations_keep_their_isco_unit_and_alternative_labels(occupations):
    with bootstrap.data_path(*bootstrap.ESCO_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert EscoOccupation.objects.count() == len(rows) > 100
    row = next(r for r in rows if r["alt_labels_fr"].count(" | ") >= 2)
    occupation = EscoOccupation.objects.get(uri=row["esco_uri"])
    assert occupation.isco_id == row["isco08_code"] and occupation.isco.level == 4
    assert occupation.alt_labels("fr") == [label.strip() for label in row["alt_labels_fr"].split(" | ")]
    assert set(EscoOccupation.objects.values_list("isco_id", flat=True)) <= ESCO_UNITS


def test_soc_hierarchy_follows_the_bls_structure(occupations):
    detailed = SocOccupation.objects.get(code="45-2092")
    assert [detailed.parent_id, detailed.parent.parent_id, detailed.parent.parent.parent_id] == \
        ["45-2090", "45-2000", "45-0000"]
    assert detailed.definition_en.startswith("Manually plant, cultivate, and harvest")
    assert SocOccupation.objects.get(code="15-1252").parent_id == "15-1250"
    assert SocOccupation.objects.get(code="15-1250").parent_id == "15-1200"


def test_every_crosswalk_row_keeps_its_method_and_file(occupations):
    expected = {
        (System.SOC2010, LinkMethod.OFFICIAL_BLS_IBS, "soc2010_isco08_bls_ibs.csv"),
        (System.ONETSOC2010, LinkMethod.OFFICIAL_ONET, "onet_soc2010_to_soc2018_crosswalk.xlsx"),
        (System.ONETSOC2019, LinkMethod.OFFICIAL_ONET, "onet_soc2019_to_soc2018_crosswalk.xlsx"),
        (System.SOC2018, LinkMethod.DERIVED_VIA_SOC2010, "soc2018_isco08_derived_via_soc2010.csv"),
        (System.NOC2011, LinkMethod.MANUAL, "noc_isco08_manual.csv"),
        (System.NOC2021, LinkMethod.MANUAL, "noc_isco08_manual.csv"),
        (System.NOC2011, LinkMethod.TITLE_MATCH, "titlematch"),
        (System.NOC2021, LinkMethod.TITLE_MATCH, "titlematch"),
    }
    assert set(CrosswalkLink.objects.values_list("source_system", "method", "provenance").distinct()) == expected
    derived = CrosswalkLink.objects.filter(method=LinkMethod.DERIVED_VIA_SOC2010).first()
    assert derived.via_code and f"SOC 2010 {derived.via_code}" in derived.detail
    assert not CrosswalkLink.objects.filter(method=LinkMethod.MANUAL, detail="").exists()
    assert not CrosswalkLink.objects.filter(method=LinkMethod.TITLE_MATCH, score__isnull=True).exists()


def test_rows_without_isco_code_are_reported_not_loaded(occupations):
    rejected = dict(occupations.rejected)
    assert any("(19-1020)" in where for where in rejected) and any("(29-2055)" in where for where in rejected)
    assert not CrosswalkLink.objects.filter(source_system=System.SOC2018, source_code__in=["19-1020", "29-2055"]).exists()
    # The hand-made table checks every code and title against the sources: nothing of it is rejected.
    assert not [r for r in occupations.rejected if "manual" in r[0]]


def test_noc2011_title_is_the_most_frequent_spelling(tmp_path):
    path = tmp_path / "lmia.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["noc_version", "noc_code", "noc_title", "approved_positions"])
        writer.writerow(["NOC 2011", "6511", "Ma\x8ctres d'h\x93tel and hosts/hostesses", "1"])
        writer.writerows([["NOC 2011", "6511", "Maîtres d'hôtel and hosts/hostesses", "2"]] * 2)
        writer.writerow(["NOC 2011", "", "(blank)", "3"])
        writer.writerow(["NOC 2021", "85101", "Harvesting labourers", "4.0"])
    titles, positions = bootstrap.noc2011_from_lmia(path)
    assert titles == {"6511": "Maîtres d'hôtel and hosts/hostesses"}
    assert positions[("NOC 2011", "6511")] == 5 and positions[("NOC 2011", "")] == 3
    assert positions[("NOC 2021", "85101")] == 4


def _snapshot():
    return {
        "isco": list(IscoGroup.objects.order_by("code").values_list("code", "parent_id", "title_es")),
        "esco": list(EscoOccupation.objects.order_by("uuid").values_list("uuid", "isco_id", "alt_labels_en")),
        "noc": sorted(NocGroup.objects.values_list("pk", "version", "code", "parent_id")),
        "links": sorted(CrosswalkLink.objects.values_list("source_system", "source_code", "target_code", "method",
                                                          "detail", "score")),
        "search": sorted(SearchEntry.objects.values_list("kind", "code", "search_text")),
    }


def test_loading_twice_changes_nothing(occupations):
    before = _snapshot()
    report = bootstrap.load_all()
    assert _snapshot() == before
    assert report.counts == occupations.counts


def test_a_changed_title_is_updated_in_place(occupations):
    IscoGroup.objects.filter(code="9211").update(title_es="cambiado")
    bootstrap.import_isco_esco()
    assert IscoGroup.objects.get(code="9211").title_es == "Peones de explotaciones agrícolas"
    assert SearchEntry.objects.get(kind="isco", code="9211").title_es == "Peones de explotaciones agrícolas"


def test_a_bad_row_is_rejected_with_its_reason_and_the_rest_loads(occupations, slice_dir, tmp_path, settings):
    import shutil

    shutil.copytree(slice_dir, tmp_path / "data")
    settings.DATA_DIR = tmp_path / "data"
    esco = tmp_path / "data" / "occupations" / "esco_v1.0" / "esco_occupations_en_es_fr.csv"
    rows = list(csv.DictReader(esco.open(encoding="utf-8")))
    rows[0]["isco08_code"] = "921"  # a minor group, not a unit group
    with esco.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = bootstrap.import_isco_esco()
    assert report.rejected == [("esco_occupations_en_es_fr.csv line 2",
                                "ISCO code '921' is not an ISCO-08 unit group")]
    assert EscoOccupation.objects.count() == len(rows) - 1


def test_a_missing_file_changes_nothing(occupations, settings, tmp_path):
    before = _snapshot()
    settings.DATA_DIR = tmp_path  # empty
    with pytest.raises(MissingReferenceFile):
        with transaction.atomic():
            bootstrap.import_soc()
    assert _snapshot() == before


def test_setup_steps_load_once_then_skip_unchanged_files(occupations, slice_dir):
    names = [step.name for step in bootstrap.steps()]
    assert names == ["occupations.isco_esco", "occupations.soc", "occupations.noc"]
    assert all(path.exists() for step in bootstrap.steps() for path in step.files)

    class Out:
        def __init__(self):
            self.lines = []

        def write(self, line):
            self.lines.append(line)

    first = run_steps(stdout=Out(), only=names)
    second = run_steps(stdout=Out(), only=names)
    assert set(first.values()) == {"loaded"} and set(second.values()) == {"unchanged"}
    assert DataLoad.objects.get(name="occupations.noc").rows > 0
