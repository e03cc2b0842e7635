"""Employer-name comparison for offer checks.

Normalisation is the ``employers`` app's (the same rules that resolve employers across sources);
this module only adds a similarity score for names typed by a person, who may misspell or reorder them.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from temporada.employers.normalize import normalize_name


def normalise(name: str) -> str:
    """Upper case, no accents, punctuation or legal form: 'Snipes Adventures, LLC' -> 'SNIPES ADVENTURES'."""
    return normalize_name(name or "")


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
