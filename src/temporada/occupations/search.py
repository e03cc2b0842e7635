"""Text normalisation shared by the search index, the search queries and the title matcher.

``normalise("Peones de explotaciones agrícolas")`` → ``"peones de explotaciones agricolas"``: lower case,
accents and punctuation removed, ligatures spelled out (œ → oe), single spaces. Stored in
``SearchEntry.search_text`` so that a plain, index-free LIKE works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
                            "đ": "d", "Đ": "d", "ı": "i", "’": "'"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (empty string for None/blank)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _NON_ALNUM.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    return normalise(text).split()
