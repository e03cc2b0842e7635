"""Search across titles and alternative labels in es/en/fr: accents, case, codes, ranking, bad queries."""

import pytest

from temporada.occupations.models import EscoOccupation
from temporada.occupations.queries import SearchError, search_entries, search_terms
from temporada.occupations.search import normalise


def _keys(query, kind=""):
    return [(e.kind, e.code) for e in search_entries(None, query, kind)]


def test_normalise_removes_accents_case_punctuation_and_ligatures():
    assert normalise("Peones de explotaciones AGRÍCOLAS") == "peones de explotaciones agricolas"
    assert normalise("Manœuvres de l’agriculture") == "manoeuvres de l agriculture"
    assert normalise("  45-2092.00 ") == "45 2092 00"
    assert normalise(None) == ""


@pytest.mark.parametrize("query", ["agricola", "agrícola", "AGRÍCOLA", "Agrícola"])
def test_spanish_search_ignores_accents_and_case(occupations, query):
    keys = _keys(query)
    assert ("isco", "9211") in keys
    assert keys == _keys("agricola")


def test_french_search_with_ligature_either_way(occupations):
    assert ("isco", "9211") in _keys("manœuvres agriculture")
    assert _keys("manoeuvres agriculture") == _keys("manœuvres agriculture")


def test_english_search_finds_isco_esco_soc_and_noc(occupations):
    kinds = {kind for kind, _code in _keys("farm")}
    assert {"isco", "esco", "soc", "soc2010", "noc", "noc2011"} <= kinds
    assert ("noc", "2021-85101") in _keys("harvesting labourers")


def test_words_match_the_start_of_words_in_any_order(occupations):
    assert ("isco", "9211") in _keys("agric peon")
    assert ("isco", "9211") not in _keys("gricola")


def test_alternative_labels_are_searched_in_each_language(occupations):
    for lang in ("es", "en", "fr"):
        found = None
        for occupation in EscoOccupation.objects.exclude(**{f"alt_labels_{lang}": ""}):
            preferred = " ".join(normalise(getattr(occupation, f"label_{x}")) for x in ("es", "en", "fr")).split()
            for alt in occupation.alt_labels(lang):
                words = [w for w in normalise(alt).split() if len(w) > 4 and w not in preferred]
                if words:
                    found = (occupation, words[0])
                    break
            if found:
                break
        occupation, word = found
        assert ("esco", occupation.uuid) in _keys(word, "esco"), (lang, word)


def test_codes_are_searchable_in_their_usual_forms(occupations):
    assert _keys("45-2092")[0] == ("soc", "45-2092")
    assert ("soc", "45-2092") in _keys("452092")
    assert _keys("9211")[0] == ("isco", "9211")
    assert _keys("00010")[0] == ("noc", "2021-00010")


def test_exact_title_ranks_first(occupations):
    # Minor group 512 and unit group 5120 are both titled "Cocineros" / "Cooks".
    assert set(_keys("cocineros")[:2]) == {("isco", "512"), ("isco", "5120")}
    assert set(_keys("cooks")[:2]) == {("isco", "512"), ("isco", "5120")}
    assert _keys("cuisiniers")[:2] == _keys("cocineros")[:2]


def test_kind_filter(occupations):
    assert {kind for kind, _ in _keys("farm", "soc")} == {"soc"}


@pytest.mark.parametrize("query, message", [
    ("a" * 101, "demasiado larga"),
    ("%%% ___ ***", "al menos una palabra"),
    ("\x00", "al menos una palabra"),
    ("uno dos tres cuatro cinco seis siete ocho nueve", "como máximo 8 palabras"),
])
def test_queries_we_will_not_run_get_a_clear_message(query, message):
    with pytest.raises(SearchError, match=message):
        search_terms(query)


def test_like_wildcards_are_plain_text(occupations):
    assert search_terms("100% agri_cola") == ["100", "agri", "cola"]
