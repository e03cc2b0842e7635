"""Title similarity between an occupation title and ISCO-08 / ESCO labels (the labelled fallback).

Used where no published crosswalk exists (Canada's NOC). It is deliberately simple and explainable:

1. The title is split into its parts ("Food counter attendants, kitchen helpers and related support
   occupations" → "food counter attendants", "kitchen helpers", "related support occupations"); a lone
   word before "and" borrows the head noun of the next part ("Nursery and greenhouse workers" →
   "nursery workers", "greenhouse workers"); qualifiers after " - " and in brackets are dropped.
2. Words are lower-cased, accent-free, stop words removed and plurals reduced ("labourers" → "labourer").
3. Each part is compared with every ISCO unit-group title and every ESCO preferred and alternative label
   (each label points to one ISCO unit group) by IDF-weighted Jaccard similarity; the part's head noun
   (its last word) and the label's head noun must both appear in the other.
4. The best-scoring ISCO unit group wins; it is kept only at or above ``THRESHOLD``, and the score, the
   part and the label that matched are recorded with the link, so every match can be checked.

``THRESHOLD`` was chosen against the hand-made NOC table (``calibrate``; ``manage.py noc_coverage
--calibrate`` prints the table): at 0.7 about nine in ten title matches of the hand-mapped NOC titles land
in an ISCO unit group chosen by hand, against under eight in ten at 0.5. That sample is the hand-mapped
codes themselves, so it measures the method, not the codes the fallback is actually used for.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .search import normalise

THRESHOLD = 0.7

_STOP = {
    "en": {"a", "an", "and", "or", "of", "the", "in", "on", "for", "to", "with", "by", "at", "except", "excluding",
           "including", "n", "e", "c", "nec", "not", "elsewhere", "classified", "related", "associated", "other",
           "all", "occupation", "occupations", "etc"},
    "es": {"a", "al", "de", "del", "la", "las", "el", "los", "y", "e", "o", "u", "en", "para", "por", "con", "otros",
           "otras", "otro", "otra", "n", "c", "excepto", "ocupaciones", "afines"},
    "fr": {"a", "au", "aux", "de", "des", "du", "la", "le", "les", "l", "d", "et", "ou", "en", "pour", "par", "avec",
           "autres", "autre", "sauf", "professions", "assimiles"},
}
_SPELLING = {"laborer": "labourer", "labor": "labour", "center": "centre", "organization": "organisation"}
_AND = {"en": " and ", "es": " y ", "fr": " et "}


def stem(word: str) -> str:
    """Plural → singular, enough for occupation titles (no dictionary)."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return _SPELLING.get(word, word)


def words(text: str, lang: str = "en") -> list[str]:
    stop = _STOP.get(lang, _STOP["en"])
    return [stem(w) for w in normalise(text).split() if w not in stop and not w.isdigit()]


_IN_PHRASE = re.compile(r"^\s*(\w+)\s+in\s+(.+)$", re.IGNORECASE)


def split_title(title: str, lang: str = "en") -> list[list[str]]:
    """The phrases of a title as word lists, before head nouns are shared out."""
    text = re.sub(r"\([^)]*\)", " ", title or "")
    text = re.split(r"\s[-–]\s", text)[0]
    if lang == "en" and (found := _IN_PHRASE.match(text)):
        # "Labourers in fish and seafood processing" → "fish and seafood processing labourers"
        text = f"{found.group(2)} {found.group(1)}"
    pieces: list[str] = []
    for chunk in re.split(r",|;|/", text):
        pieces.extend(p for p in chunk.split(_AND.get(lang, " and ")) if p.strip())
    return [p for p in (words(piece, lang) for piece in pieces) if p]


@dataclass(frozen=True)
class Label:
    text: str
    words: tuple[str, ...]
    isco_code: str
    origin: str  # "ISCO-08", "ESCO <uuid>" (preferred label) or "ESCO <uuid> alt" (alternative label)


@dataclass(frozen=True)
class TitleMatch:
    isco_code: str
    score: float
    part: str
    label: str
    origin: str


ALT_LABEL_FACTOR = 0.95  # an alternative label is slightly weaker evidence than a title or preferred label


class TitleMatcher:
    """Index of ISCO/ESCO labels in one language; ``best(title)`` gives the most similar ISCO unit group."""

    def __init__(self, labels: list[Label]):
        self.labels = labels
        postings: dict[str, list[int]] = defaultdict(list)
        last_word: Counter = Counter()
        for index, label in enumerate(labels):
            for word in set(label.words):
                postings[word].append(index)
            last_word[label.words[-1]] += 1
        total = max(len(labels), 1)
        self.postings = dict(postings)
        self.idf = {word: math.log(1 + total / len(ids)) for word, ids in postings.items()}
        self.unknown_idf = math.log(1 + total)
        # A word that usually ends a label is a head noun ("welder", "technician"), not a modifier ("restaurant").
        self.heads = {w for w, n in last_word.items() if n >= 3 and n >= 0.5 * len(postings[w])}
        self.label_sets = [frozenset(label.words) for label in labels]
        self.label_weights = [self._weight(words) for words in self.label_sets]
        self._memo: dict[tuple[str, str], list[TitleMatch]] = {}
        self.by_head: dict[str, list[int]] = defaultdict(list)  # labels by their last word
        for index, label in enumerate(labels):
            self.by_head[label.words[-1]].append(index)

    @classmethod
    def from_database(cls, lang: str = "en") -> TitleMatcher:
        from .models import EscoOccupation, IscoGroup

        labels: list[Label] = []
        seen: set[tuple[tuple[str, ...], str]] = set()

        def add(text, code, origin):
            for variant in text.split("/"):  # ESCO es/fr labels give both genders: "operador/operadora"
                ws = tuple(words(variant, lang))
                if ws and (ws, code) not in seen:
                    seen.add((ws, code))
                    labels.append(Label(variant.strip(), ws, code, origin))

        for code, title in IscoGroup.objects.filter(level=4).values_list("code", f"title_{lang}"):
            add(title, code, "ISCO-08")
            phrases = split_title(title, lang)
            if len(phrases) > 1:  # "Heavy truck and lorry drivers" also stands for "lorry drivers"
                for phrase in phrases:
                    if (tuple(phrase), code) not in seen and len(phrase) > 1:
                        seen.add((tuple(phrase), code))
                        labels.append(Label(" ".join(phrase), tuple(phrase), code, "ISCO-08"))
        rows = EscoOccupation.objects.values_list("uuid", "isco_id", f"label_{lang}", f"alt_labels_{lang}")
        for uuid, code, label, _alts in rows:
            add(label, code, f"ESCO {uuid}")
        for uuid, code, _label, alts in rows:
            for text in alts.split("\n"):
                if text:
                    add(text, code, f"ESCO {uuid} alt")
        return cls(labels)

    def parts(self, title: str, lang: str = "en") -> list[list[str]]:
        """Phrases of ``title`` with shared heads and modifiers given back to each phrase.

        "Nursery and greenhouse workers" → nursery worker / greenhouse worker;
        "Mechanical engineering technologists and technicians" → … technologist / mechanical engineering technician.
        """
        phrases = split_title(title, lang)
        result = []
        for i, phrase in enumerate(phrases):
            if len(phrase) == 1:
                word = phrase[0]
                if word not in self.heads and i + 1 < len(phrases) and len(phrases[i + 1]) > 1:
                    phrase = [word, phrases[i + 1][-1]]
                elif word in self.heads and i > 0 and len(phrases[i - 1]) > 1 and self._generic(word):
                    phrase = phrases[i - 1][:-1] + [word]
            result.append(phrase)
        return result

    def _generic(self, word: str) -> bool:
        """Heads so common that alone they say little ("technician", "operator", "supervisor")."""
        return len(self.postings.get(word, ())) >= 40

    def _weight(self, ws) -> float:
        return sum(self.idf.get(w, self.unknown_idf) for w in ws)

    def scores(self, title: str, lang: str = "en") -> list[TitleMatch]:
        """Best match per ISCO unit group, best first (ties: the group with more matching labels)."""
        key = (title, lang)
        if key not in self._memo:  # NOC 2011 and 2021 share many titles
            self._memo[key] = self._scores(title, lang)
        return self._memo[key]

    def _scores(self, title: str, lang: str) -> list[TitleMatch]:
        best: dict[str, tuple[float, int, str]] = {}
        support: Counter = Counter()
        parts = self.parts(title, lang)
        for part in parts:
            part_set = frozenset(part)
            if len(parts) > 1 and len(part_set) == 1 and self._generic(part[0]):
                continue  # a bare "technicians" or "inspectors" matches anything
            part_weight, head = self._weight(part_set), part[-1]
            # Candidates: labels whose head noun is a word of the part and which contain the part's head.
            for word in part_set:
                for index in self.by_head.get(word, ()):
                    label_set = self.label_sets[index]
                    if head not in label_set:
                        continue
                    shared = self._weight(part_set & label_set)
                    score = shared / (part_weight + self.label_weights[index] - shared)
                    label = self.labels[index]
                    if label.origin.endswith(" alt"):
                        score *= ALT_LABEL_FACTOR
                    current = best.get(label.isco_code)
                    if score >= 0.5 * (current[0] if current else 0):
                        support[label.isco_code] += 1
                    if current is None or score > current[0] + 1e-9:
                        best[label.isco_code] = (score, index, " ".join(part))
        matches = [TitleMatch(code, round(score, 3), part, self.labels[index].text, self.labels[index].origin)
                   for code, (score, index, part) in best.items()]
        return sorted(matches, key=lambda m: (-m.score, -support[m.isco_code], m.isco_code))

    def best(self, title: str, lang: str = "en", threshold: float = THRESHOLD) -> TitleMatch | None:
        ranked = self.scores(title, lang)
        if ranked and ranked[0].score >= threshold:
            return ranked[0]
        return None


def calibrate(matcher: TitleMatcher, manual: dict[str, tuple[str, set[str]]], thresholds=(0.3, 0.4, 0.5, 0.6, 0.7, 0.8)):
    """Agreement of title matches with the hand-made table, per threshold.

    ``manual`` maps a key to (title, set of ISCO unit codes chosen by hand). Returns rows of
    (threshold, matched, same unit group, same sub-major group).
    """
    ranked = {key: matcher.scores(title) for key, (title, _codes) in manual.items()}
    rows = []
    for threshold in thresholds:
        matched = unit = sub_major = 0
        for key, (_title, codes) in manual.items():
            top = ranked[key][0] if ranked[key] else None
            if top is None or top.score < threshold:
                continue
            matched += 1
            unit += top.isco_code in codes
            sub_major += any(top.isco_code[:2] == c[:2] for c in codes)
        rows.append((threshold, matched, unit, sub_major))
    return rows
