"""Employer-name normalisation for offer checks.

Minimal on purpose: the ``employers`` app owns name resolution across sources; when it publishes a
normaliser this module should delegate to it (see ``normalise``).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Legal-form words that vary between a published name and what a recruiter says.
_LEGAL_FORMS = {
    "inc", "incorporated", "llc", "l", "c", "llp", "lp", "ltd", "limited", "co", "corp", "corporation", "company",
    "pllc", "pc", "sa", "de", "cv", "srl", "ltee", "ltée", "the", "dba", "and",
}
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(name: str) -> str:
    """Lower case, no accents or punctuation, no legal-form words: 'Snipes Adventures, LLC' -> 'snipes adventures'."""
    try:  # prefer the employers app's normaliser once it exists
        from temporada.employers.normalise import normalise_name  # type: ignore[import-not-found]
    except ImportError:
        normalise_name = None
    if normalise_name is not None:
        return normalise_name(name)
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " and ")
    words = [w for w in _NON_WORD.split(text) if w and w not in _LEGAL_FORMS]
    return " ".join(words)


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two normalised names (token order ignored)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ta, tb = " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    return max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, ta, tb).ratio())


def search_token(normalised: str) -> str:
    """The longest word of a normalised name: a cheap database pre-filter before scoring."""
    words = sorted(normalised.split(), key=len, reverse=True)
    return words[0] if words else ""
