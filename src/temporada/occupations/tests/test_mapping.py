"""The mapping service other apps call: messy codes, methods, the hand-made NOC table, proximity."""

import csv

import numpy as np
import pytest

from temporada.occupations.bootstrap import MANUAL_NOC_TABLE
from temporada.occupations.models import CrosswalkLink, IscoGroup, LinkMethod, System
from temporada.occupations.queries import (
    IscoMatch,
    Method,
    code_exists,
    isco_ancestors,
    isco_for_occupation_code,
    isco_mapping_table,
    isco_proximity,
    isco_proximity_matrix,
    normalise_code,
)
from temporada.occupations.titlematch import THRESHOLD


def _codes(matches):
    return [m.isco_code for m in matches]


def _official(soc2010):
    return list(CrosswalkLink.objects.filter(source_system=System.SOC2010, source_code=soc2010)
                .order_by("position").values_list("target_code", flat=True))


@pytest.mark.parametrize("messy", ["45-2092", " 452092", "45-2092.00", "452092.0", "45 2092", "SOC 45-2092",
                                   "45-2092 Farmworkers and Laborers"])
def test_messy_soc_codes_normalise(occupations, messy):
    matches = isco_for_occupation_code("SOC2018", messy)
    assert _codes(matches) == list(dict.fromkeys(
        CrosswalkLink.objects.filter(source_system=System.SOC2018, source_code="45-2092")
        .order_by("position").values_list("target_code", flat=True)))
    assert "9211" in _codes(matches)
    assert all(m.method == Method.SOC2018_DERIVED == "derived via SOC 2010 (not official)" for m in matches)
    assert matches[0].detail.startswith("SOC 2018 45-2092 → SOC 2010 45-2092 → ISCO-08")


def test_soc2010_uses_the_official_crosswalk(occupations):
    matches = isco_for_occupation_code("SOC2010", "47-2061")
    assert _codes(matches) == _official("47-2061") and matches
    assert {m.method for m in matches} == {"official crosswalk SOC2010→ISCO08 (BLS/IBS)"}


def test_onet_codes_go_through_soc2018(occupations):
    matches = isco_for_occupation_code("ONETSOC", "45-2092.02")
    assert set(_codes(matches)) == set(_codes(isco_for_occupation_code("SOC2018", "45-2092")))
    assert all(m.method == "O*NET-SOC → SOC 2018 → ISCO" for m in matches)
    assert matches[0].detail.startswith("O*NET-SOC 2010 45-2092.02 → SOC 2018 45-2092")
    # "45-2092" alone is the O*NET ".00" occupation, which the 2019 list has.
    assert isco_for_occupation_code("ONETSOC", "45-2092")[0].detail.startswith("O*NET-SOC 2019 45-2092.00")
    assert normalise_code("ONETSOC", "452092.2") == "45-2092.20"  # a float that lost its trailing zero


def test_an_onet_code_split_in_2018_reaches_both_soc_codes(occupations):
    # O*NET-SOC 2010 11-2031.00 became SOC 2018 11-2032 and 11-2033.
    matches = isco_for_occupation_code("ONETSOC", "11-2031.00")
    expected = set(_codes(isco_for_occupation_code("SOC2018", "11-2032"))) | set(
        _codes(isco_for_occupation_code("SOC2018", "11-2033")))
    assert set(_codes(matches)) == expected and expected


@pytest.mark.parametrize("messy", ["8431", "8431.0", " 8431 ", "8431-General farm workers"])
def test_noc2011_general_farm_workers_use_the_manual_table(occupations, messy):
    matches = isco_for_occupation_code("NOC2011", messy)
    assert _codes(matches) == ["9211", "9212", "9213"]
    assert {m.method for m in matches} == {"manual"} and "farm" in matches[0].detail


def test_noc_codes_that_lost_their_leading_zeros(occupations):
    assert _codes(isco_for_occupation_code("NOC2011", "16")) == ["1120"]
    assert _codes(isco_for_occupation_code("NOC2011", 16.0)) == ["1120"]
    # NOC 2021 "10" is the major group 10, not the unit group 00010: it has no link.
    assert isco_for_occupation_code("NOC2021", "10") == []
    assert normalise_code("NOC2021", "00010") == "00010"


def test_noc_title_match_is_labelled_and_above_the_threshold(occupations):
    matches = isco_for_occupation_code("NOC2021", "00010")  # Legislators: not in the hand-made table
    assert matches == [IscoMatch("1111", Method.TITLE_MATCH, matches[0].detail, matches[0].score)]
    assert matches[0].score >= THRESHOLD and "Legislators" in matches[0].detail
    for match in isco_mapping_table("NOC2011").values():
        assert {m.method for m in match} in ({"manual"}, {"title match"})


def test_manual_table_wins_over_title_match(occupations):
    # "Cooks" would title-match ISCO 5120 anyway; the table gives the same group with its reasoning.
    links = CrosswalkLink.objects.filter(source_system=System.NOC2021, source_code="63200")
    assert {link.method for link in links} == {LinkMethod.MANUAL}
    assert _codes(isco_for_occupation_code("NOC2021", "63200")) == ["5120"]


def test_manual_table_rows_are_complete():
    with MANUAL_NOC_TABLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 100
    seen = set()
    for row in rows:
        assert row["noc2011_code"] or row["noc2021_code"], row
        assert row["reason"].strip() and row["isco08_codes"].split(), row
        assert all(len(code) == 4 and code.isdigit() for code in row["isco08_codes"].split()), row
        for version in ("2011", "2021"):
            key = (version, row[f"noc{version}_code"])
            if key[1]:
                assert key not in seen, f"{key} appears twice"
                seen.add(key)
    programme_trades = {"8431", "8432", "8611", "6322", "9463", "7611", "4412", "6711", "6731"}
    assert programme_trades <= {code for version, code in seen if version == "2011"}


def test_isco_codes_as_given(occupations):
    assert isco_for_occupation_code("ISCO08", "9211") == [IscoMatch("9211", "ISCO-08 code as given")]
    assert _codes(isco_for_occupation_code("ISCO08", "110")) == ["0110"]  # spreadsheet dropped the zero
    assert _codes(isco_for_occupation_code("ISCO08", "11")) == ["11"]  # a real sub-major group
    assert isco_for_occupation_code("ISCO08", "9999") == []


@pytest.mark.parametrize("system", ["SOC2010", "SOC2018", "ONETSOC", "NOC2011", "NOC2021", "ISCO08"])
@pytest.mark.parametrize("junk", ["", "   ", None, "abc", "99-9999", "12345678", "8431.5", "\x00", "🌽", "45-2092" * 40,
                                  True, 3.7, ["45-2092"]])
def test_unknown_or_malformed_codes_give_an_empty_list(occupations, system, junk):
    assert isco_for_occupation_code(system, junk) == []


def test_unknown_system_is_a_programming_error(occupations):
    with pytest.raises(ValueError, match="unknown classification system"):
        isco_for_occupation_code("CNO2011", "8431")
    assert isco_for_occupation_code("soc 2018", "45-2092") == isco_for_occupation_code("SOC2018", "45-2092")


def test_mapping_table_for_bulk_use_and_cache_refresh(occupations):
    table = isco_mapping_table("SOC2018")
    assert table is isco_mapping_table("SOC2018")  # cached
    assert table.lookup(" 452092") == table["45-2092"] == isco_for_occupation_code("SOC2018", "45-2092")
    assert "19-1020" not in table and code_exists("SOC2018", "19-1020")
    CrosswalkLink.objects.create(source_system=System.SOC2018, source_code="19-1020", target_system=System.ISCO08,
                                 target_code="2131", method=LinkMethod.DERIVED_VIA_SOC2010, provenance="test",
                                 via_code="19-1020")
    refreshed = isco_mapping_table("SOC2018")
    assert refreshed is not table and _codes(refreshed["19-1020"]) == ["2131"]


def test_isco_ancestors_and_proximity():
    assert isco_ancestors("9211") == ["9", "92", "921", "9211"]
    assert isco_ancestors("0110") == ["0", "01", "011", "0110"]
    assert isco_ancestors(" 9211.0 ") == ["9", "92", "921", "9211"]
    assert isco_ancestors("92111") == isco_ancestors("x") == isco_ancestors(None) == []
    assert isco_proximity("9211", "9211") == 4
    assert isco_proximity("9211", "9213") == 3
    assert isco_proximity("9211", "9311") == 1
    assert isco_proximity("9211", "6111") == 0
    assert isco_proximity("9211", "92") == 2
    assert isco_proximity("0110", "0210") == 1
    assert isco_proximity("9211", "") == isco_proximity(None, "9211") == isco_proximity("abc", "abc") == 0


def test_proximity_matrix_agrees_with_the_pairwise_function(occupations):
    codes = list(IscoGroup.objects.filter(code__startswith="9").values_list("code", flat=True))[:40] + ["6111", "x", ""]
    matrix = isco_proximity_matrix(codes, codes[::-1])
    expected = np.array([[isco_proximity(a, b) for b in codes[::-1]] for a in codes])
    assert matrix.shape == (len(codes), len(codes)) and (matrix == expected).all()
