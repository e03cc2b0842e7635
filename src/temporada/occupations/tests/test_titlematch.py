"""Title similarity: how titles are split, and why a match is or is not accepted."""

from temporada.occupations.titlematch import Label, TitleMatcher, split_title, stem, words


def _matcher(entries):
    labels = [Label(text, tuple(words(text)), code, origin) for text, code, origin in entries]
    return TitleMatcher(labels)


LABELS = [
    ("Crop farm labourers", "9211", "ISCO-08"), ("Garden and horticultural labourers", "9214", "ISCO-08"),
    ("nursery worker", "9214", "ESCO a alt"), ("greenhouse worker", "9214", "ESCO b alt"),
    ("nursery school worker", "5311", "ESCO c alt"), ("Kitchen helpers", "9412", "ISCO-08"),
    ("Food service counter attendants", "5246", "ISCO-08"), ("supply chain manager", "1324", "ESCO d"),
    ("Cooks", "5120", "ISCO-08"), ("pastry cook", "7512", "ESCO e alt"),
    ("Heavy truck and lorry drivers", "8332", "ISCO-08"), ("truck driver", "8332", "ESCO f"),
] + [(f"other worker {i}", "9629", f"ESCO g{i}") for i in range(3)]


def test_words_are_normalised_and_singular():
    assert words("Labourers in Fish-and-Seafood Processing (n.e.c.)") == ["labourer", "fish", "seafood", "processing"]
    assert [stem(w) for w in ("nurseries", "classes", "drivers", "boss", "laborers")] == \
        ["nursery", "class", "driver", "boss", "labourer"]


def test_titles_split_into_their_occupations():
    assert split_title("Food counter attendants, kitchen helpers and related support occupations") == \
        [["food", "counter", "attendant"], ["kitchen", "helper"], ["support"]]
    assert split_title("Labourers in fish and seafood processing") == [["fish"], ["seafood", "processing", "labourer"]]
    assert split_title("Butchers, meat cutters and fishmongers - retail and wholesale") == \
        [["butcher"], ["meat", "cutter"], ["fishmonger"]]


def test_a_lone_modifier_borrows_the_head_noun():
    matcher = _matcher(LABELS)
    assert matcher.parts("Nursery and greenhouse workers") == [["nursery", "worker"], ["greenhouse", "worker"]]


def test_exact_title_scores_one_and_wins():
    best = _matcher(LABELS).best("Cooks")
    assert (best.isco_code, best.score, best.label, best.origin) == ("5120", 1.0, "Cooks", "ISCO-08")


def test_each_part_of_a_composite_title_is_compared():
    ranked = _matcher(LABELS).scores("Food counter attendants, kitchen helpers and related support occupations")
    assert {m.isco_code for m in ranked[:2]} == {"9412", "5246"}
    assert ranked[0].score > 0.7


def test_alternative_labels_count_slightly_less_than_titles():
    matcher = _matcher(LABELS)
    assert matcher.best("Greenhouse workers").score == 0.95


def test_a_modifier_alone_never_matches_a_label_with_another_head():
    # "supply chain" is not "supply chain manager": the label's head noun must be in the title.
    assert _matcher(LABELS).scores("Supervisors, supply chain, tracking and scheduling co-ordination occupations") == []


def test_below_the_threshold_there_is_no_match():
    matcher = _matcher(LABELS)
    weak = matcher.scores("Long haul truck drivers")[0]
    assert weak.isco_code == "8332" and weak.score < 0.7
    assert matcher.best("Long haul truck drivers") is None
    assert matcher.best("Long haul truck drivers", threshold=0.3).isco_code == "8332"
