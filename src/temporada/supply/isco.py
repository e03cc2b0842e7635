"""ISCO-08 look-ups for the registry: is a code a real unit group, and what are its titles and parents.

The occupations app owns the classification (``occupations.IscoGroup``). When its table is loaded we
read it; otherwise (fresh test database, or before `setup` ran) we read the same published list from
``data/occupations/isco08/`` so validation never degrades to a format check.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.apps import apps

from temporada.core.bootstrap import data_path, read_csv

UNIT_CODE = re.compile(r"^\d{4}$")
LEVELS = {"major": 1, "sub_major": 2, "minor": 3, "unit": 4}


@lru_cache(maxsize=1)
def _file_groups() -> dict[str, dict]:
    rows = read_csv(data_path("occupations", "isco08", "isco08_groups_en_es_fr.csv"))
    return {
        row["code"]: {"level": int(row["level"]), "es": row["title_es"], "en": row["title_en"], "fr": row["title_fr"]}
        for row in rows
    }


def _db_groups() -> dict[str, dict] | None:
    try:
        model = apps.get_model("occupations", "IscoGroup")
    except LookupError:
        return None
    try:
        rows = list(model.objects.values_list("code", "level", "title_es", "title_en", "title_fr"))
    except Exception:  # table not migrated yet (occupations app without migrations)
        return None
    if not rows:
        return None
    return {code: {"level": level, "es": es, "en": en, "fr": fr} for code, level, es, en, fr in rows}


def groups() -> dict[str, dict]:
    """Every ISCO-08 group (all four levels) by code."""
    return _db_groups() or _file_groups()


def unit_codes() -> frozenset[str]:
    return frozenset(code for code, group in groups().items() if group["level"] == 4)


def is_unit_code(code: str) -> bool:
    return bool(UNIT_CODE.match(code or "")) and code in unit_codes()


def title(code: str, lang: str = "es") -> str:
    group = groups().get(code)
    if not group:
        return ""
    return group.get(lang) or group["en"]


def group_code(code: str, level: str) -> str:
    """The ``level`` (major / sub_major / minor / unit) group a unit code belongs to: 9211 → 9, 92, 921, 9211.
    ISCO codes nest by prefix, so the parent is the first n digits."""
    return (code or "")[: LEVELS[level]]
