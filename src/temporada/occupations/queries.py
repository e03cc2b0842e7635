"""Reads of the occupations app, including the mapping service that other apps call.

Mapping service (stable names and signatures)
---------------------------------------------
``isco_for_occupation_code(system, code) -> list[IscoMatch]``
    ISCO-08 groups for one occupation code. ``system`` is one of ``SYSTEMS``:

    ========  ===================================================  ============================================
    system    example codes (messy forms accepted)                 how the ISCO groups are found (``method``)
    ========  ===================================================  ============================================
    SOC2010   "45-2092", "452092", "45-2092.00"                    official crosswalk SOC2010→ISCO08 (BLS/IBS)
    SOC2018   "45-2092", " 452092", "45-2092.00"                   derived via SOC 2010 (not official)
    ONETSOC   "45-2092.02", "45-2092" (= .00)                      O*NET-SOC → SOC 2018 → ISCO (2019 list first,
                                                                   then 2010; the last step is the derived table)
    NOC2011   "8431", "8431.0", "16" (= 0016), "0016-Senior …"     manual (hand-made table), else title match
    NOC2021   "85101", "85101.0"                                   manual, else title match
    ISCO08    "9211", "110" (= 0110 when 110 is no group)          ISCO-08 code as given
    ========  ===================================================  ============================================

    An unknown or malformed code gives an empty list, never an exception (an unknown *system* is a
    programming error and raises ``ValueError``). Matches keep the crosswalk's order, without repeats.
    Short NOC 2021 / ISCO codes are zero-padded only when the code as written is no group of that
    system: NOC 2021 "10" is the major group 10 (no ISCO link), not the unit group 00010.
    Only unit groups (NOC, SOC detailed, O*NET) carry links; broader groups give an empty list.

``isco_mapping_table(system) -> dict[str, list[IscoMatch]]``
    The whole mapping of one system, keyed by canonical code ("45-2092", "0016", "45-2092.02"), cached in
    the process and rebuilt when the crosswalk tables change (each call checks that with one or two
    cheap queries, so ``isco_for_occupation_code`` costs those queries on every call). For bulk imports:
    call it once, then ``table.lookup(messy_code)`` per row (same normalisation and zero-padding as
    ``isco_for_occupation_code``, no query; ``benchmarks/occupations_mapping.py``). Do not mutate the lists.

``normalise_code(system, code) -> str | None``
    The canonical text form of a messy code, or None when it cannot be a code of that system.

``isco_ancestors(code) -> list[str]`` / ``isco_proximity(a, b) -> int`` / ``isco_proximity_matrix(a, b)``
    ISCO-08 is positional ("9211" sits in 921 ⊂ 92 ⊂ 9), so these need no database: ancestors from the
    major group down to the code itself; proximity is the level of the deepest common group, 4 = same unit
    group … 0 = nothing in common (or an invalid code). The matrix form is the NumPy version for scoring.

``IscoMatch(isco_code, method, detail="", score=None)``
    ``method`` is one of the ``Method`` strings; ``detail`` says the path or the reasoning ("SOC 2018
    45-2092 → SOC 2010 45-2092 → ISCO-08 9211", the hand-made reason, or the titles that matched);
    ``score`` is the title similarity for title matches.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.utils.translation import gettext as _

from .models import (
    CrosswalkLink,
    EscoOccupation,
    IscoGroup,
    LinkMethod,
    NocGroup,
    OnetOccupation,
    SearchEntry,
    Soc2010Occupation,
    SocOccupation,
    System,
)
from .search import normalise

SYSTEMS = ("SOC2010", "SOC2018", "ONETSOC", "NOC2011", "NOC2021", "ISCO08")


class Method:
    """The ``IscoMatch.method`` values (stable: other apps store and compare them)."""

    SOC2010_OFFICIAL = "official crosswalk SOC2010→ISCO08 (BLS/IBS)"
    SOC2018_DERIVED = "derived via SOC 2010 (not official)"
    ONETSOC = "O*NET-SOC → SOC 2018 → ISCO"
    MANUAL = "manual"
    TITLE_MATCH = "title match"
    ISCO_AS_GIVEN = "ISCO-08 code as given"


@dataclass(frozen=True)
class IscoMatch:
    isco_code: str
    method: str
    detail: str = ""
    score: float | None = None


# --- code normalisation ------------------------------------------------------------------------------------

_SOC = re.compile(r"^\D*?(\d{2})[\s\-–.]?(\d{4})(?:\.(\d{1,2}))?(?!\d)")
_DIGITS = re.compile(r"^\s*(\d{1,5})(?:\.0*)?(?![\d.])")
_SYSTEM_ALIASES = {"ONETSOC2019": "ONETSOC", "ONETSOC2010": "ONETSOC", "ONET": "ONETSOC", "ISCO": "ISCO08",
                   "ISCO2008": "ISCO08", "SOC": "SOC2018", "NOC": "NOC2021"}


def canonical_system(system: str) -> str:
    """'SOC 2018', 'soc2018', 'O*NET-SOC' → 'SOC2018', 'ONETSOC'. Unknown systems raise ValueError."""
    key = re.sub(r"[^A-Z0-9]", "", str(system or "").upper())
    key = _SYSTEM_ALIASES.get(key, key)
    if key not in SYSTEMS:
        raise ValueError(f"unknown classification system {system!r}; expected one of {', '.join(SYSTEMS)}")
    return key


def normalise_code(system: str, code) -> str | None:
    """Canonical code text ("45-2092", "45-2092.02", "0016", "00010", "9211"), or None if impossible."""
    system = canonical_system(system)
    if isinstance(code, bool) or not isinstance(code, (str, int, float, Decimal)):
        return None  # None, lists, dicts… are no codes (bool is an int, but never a code)
    text = str(code).strip().replace("\u00a0", " ")[:64]
    if not text:
        return None
    if system in ("SOC2010", "SOC2018", "ONETSOC"):
        found = _SOC.match(text)
        if not found:
            return None
        base = f"{found.group(1)}-{found.group(2)}"
        if system != "ONETSOC":
            return base
        # "45-2092.2" is a spreadsheet's float 45-2092.20: pad on the right, like the lost trailing zero.
        return f"{base}.{(found.group(3) or '00').ljust(2, '0')}"
    found = _DIGITS.match(text)
    if not found:
        return None
    digits = found.group(1)
    width = {"NOC2011": 4, "NOC2021": 5, "ISCO08": 4}[system]
    if len(digits) > width:
        return None
    if system == "NOC2011":
        return digits.zfill(4)
    return digits  # NOC 2021 and ISCO group codes have several lengths: padding is decided by lookup()


# --- mapping tables ---------------------------------------------------------------------------------------


class MappingTable(dict):
    """``dict[str, list[IscoMatch]]`` for one system, plus ``lookup(messy_code)``."""

    def __init__(self, system: str, data: dict[str, list[IscoMatch]], known: frozenset[str]):
        super().__init__(data)
        self.system = system
        self.known = known  # every code of the system, mapped or not (NOC 2021 minor groups, ISCO majors…)

    def canonical(self, code) -> str | None:
        normal = normalise_code(self.system, code)
        if normal is None:
            return None
        if self.system in ("NOC2021", "ISCO08") and normal not in self.known:
            padded = normal.zfill(5 if self.system == "NOC2021" else 4)
            return padded if padded in self.known else normal
        return normal

    def lookup(self, code) -> list[IscoMatch]:
        return list(self.get(self.canonical(code) or "", ()))


_cache: dict[str, tuple[tuple, MappingTable]] = {}
_lock = threading.Lock()


def clear_caches():
    with _lock:
        _cache.clear()


def _data_version(system: str) -> tuple:
    """Changes whenever a load or an edit touches the tables ``system``'s mapping is built from.

    Every load rebuilds the crosswalk rows, so their count and highest id move; ISCO-08 and NOC also
    depend on their own code lists. One query (two for NOC).
    """
    if system == "ISCO08":
        return tuple(IscoGroup.objects.aggregate(n=Count("code"), last=Max("code")).values())
    links = tuple(CrosswalkLink.objects.aggregate(n=Count("id"), last=Max("id")).values())
    if system in ("NOC2011", "NOC2021"):
        return links + (NocGroup.objects.count(),)
    return links


def isco_mapping_table(system: str) -> dict[str, list[IscoMatch]]:
    """Whole mapping of ``system`` (see module docstring). Cached; rebuilt when the data changes."""
    system = canonical_system(system)
    version = _data_version(system)
    cached = _cache.get(system)
    if cached and cached[0] == version:
        return cached[1]
    table = _build_table(system)
    with _lock:
        _cache[system] = (version, table)
    return table


def isco_for_occupation_code(system: str, code) -> list[IscoMatch]:
    """ISCO-08 groups for one code of ``system``; empty for unknown or malformed codes."""
    return isco_mapping_table(system).lookup(code)


def _add(table: dict, key: str, match: IscoMatch):
    matches = table.setdefault(key, [])
    if all(m.isco_code != match.isco_code for m in matches):
        matches.append(match)


def _links(source_system: str, target_system: str = System.ISCO08):
    return (CrosswalkLink.objects.filter(source_system=source_system, target_system=target_system)
            .order_by("source_code", "position", "target_code")
            .values_list("source_code", "target_code", "method", "detail", "score", "via_code"))


def _build_table(system: str) -> MappingTable:
    table: dict[str, list[IscoMatch]] = {}
    if system == "ISCO08":
        codes = frozenset(IscoGroup.objects.values_list("code", flat=True))
        for code in sorted(codes):
            table[code] = [IscoMatch(code, Method.ISCO_AS_GIVEN)]
        return MappingTable(system, table, codes)
    if system == "SOC2010":
        for soc, isco, *_rest in _links(System.SOC2010):
            _add(table, soc, IscoMatch(isco, Method.SOC2010_OFFICIAL, f"SOC 2010 {soc} → ISCO-08 {isco}"))
        known = frozenset(Soc2010Occupation.objects.values_list("code", flat=True)) | frozenset(table)
        return MappingTable(system, table, known)
    soc2018: dict[str, list[IscoMatch]] = {}
    for soc, isco, _method, _detail, _score, via in _links(System.SOC2018):
        _add(soc2018, soc, IscoMatch(isco, Method.SOC2018_DERIVED, f"SOC 2018 {soc} → SOC 2010 {via} → ISCO-08 {isco}"))
    if system == "SOC2018":
        return MappingTable(system, soc2018, frozenset(SocOccupation.objects.values_list("code", flat=True)))
    if system == "ONETSOC":
        targets: dict[str, tuple[str, list[str]]] = {}
        for version, source in (("2019", System.ONETSOC2019), ("2010", System.ONETSOC2010)):
            for onet, soc, *_rest in _links(source, System.SOC2018):
                current = targets.get(onet)
                if current is None:
                    targets[onet] = (version, [soc])
                elif current[0] == version:
                    current[1].append(soc)  # several SOC 2018 codes from the same list; the newer list wins
        for onet, (version, socs) in targets.items():
            for soc in socs:
                for match in soc2018.get(soc, ()):
                    detail = f"O*NET-SOC {version} {onet} → {match.detail}"
                    _add(table, onet, IscoMatch(match.isco_code, Method.ONETSOC, detail))
        known = frozenset(OnetOccupation.objects.values_list("code", flat=True))
        return MappingTable(system, table, known)
    # NOC 2011 / NOC 2021: the hand-made table wins; title matches only where it is silent.
    source = System.NOC2011 if system == "NOC2011" else System.NOC2021
    manual: dict[str, list[IscoMatch]] = {}
    titled: dict[str, list[IscoMatch]] = {}
    for noc, isco, method, detail, score, _via in _links(source):
        if method == LinkMethod.MANUAL:
            _add(manual, noc, IscoMatch(isco, Method.MANUAL, detail))
        elif method == LinkMethod.TITLE_MATCH:
            _add(titled, noc, IscoMatch(isco, Method.TITLE_MATCH, detail, score))
    table = {**titled, **manual}
    known = frozenset(NocGroup.objects.filter(version=system[-4:]).values_list("code", flat=True))
    return MappingTable(system, table, known)


def code_exists(system: str, code) -> bool:
    """Whether ``code`` (messy forms accepted) is a code of ``system`` in the loaded data."""
    table = isco_mapping_table(system)
    canonical = table.canonical(code)
    return canonical is not None and (canonical in table.known or canonical in table)


# --- ISCO hierarchy helpers (no database) ------------------------------------------------------------------

_ISCO = re.compile(r"^\s*(\d{1,4})(?:\.0*)?\s*$")


def _isco_text(code) -> str | None:
    if code is None or isinstance(code, bool):
        return None
    found = _ISCO.match(str(code))
    return found.group(1) if found else None


def isco_ancestors(code) -> list[str]:
    """["9", "92", "921", "9211"] for "9211": the groups containing ``code``, major group first.

    Codes are text: "0110" is an armed-forces unit group; a bare "110" is read as written (3 digits).
    Anything that is not 1–4 digits gives [].
    """
    text = _isco_text(code)
    return [text[:length] for length in range(1, len(text) + 1)] if text else []


def isco_proximity(a, b) -> int:
    """Level of the deepest ISCO group holding both codes: 4 same unit group … 1 same major group, 0 none."""
    left, right = _isco_text(a), _isco_text(b)
    if not left or not right:
        return 0
    level = 0
    for x, y in zip(left, right, strict=False):
        if x != y:
            break
        level += 1
    return level


def isco_proximity_matrix(a_codes, b_codes):
    """NumPy matrix of ``isco_proximity`` for every pair (rows: ``a_codes``, columns: ``b_codes``)."""
    import numpy as np

    def prefixes(codes):
        texts = [_isco_text(c) or "" for c in codes]
        return [np.array([t[:level] if len(t) >= level else "" for t in texts], dtype=object) for level in (1, 2, 3, 4)]

    left, right = prefixes(a_codes), prefixes(b_codes)
    result = np.zeros((len(left[0]), len(right[0])), dtype=np.int8)
    still = np.ones_like(result, dtype=bool)
    for level in range(4):
        same = (left[level][:, None] == right[level][None, :]) & (left[level][:, None] != "")
        still &= same
        result += still
    return result


# --- explorer reads ----------------------------------------------------------------------------------------

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
KIND_ORDER = {"isco": 0, "esco": 1, "soc": 2, "noc": 3, "soc2010": 4, "noc2011": 5}


class SearchError(ValueError):
    """A query we will not run; ``str(error)`` is a message for the user (translated)."""


def search_terms(query: str) -> list[str]:
    """Normalised words of ``query``; SearchError with a clear message when it cannot be searched."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchError(_("La búsqueda es demasiado larga: use como máximo %(max)d caracteres.")
                          % {"max": MAX_QUERY_LENGTH})
    terms = list(dict.fromkeys(normalise(query).split()))
    if not terms:
        raise SearchError(_("Escriba al menos una palabra o un código con letras o cifras."))
    if len(terms) > MAX_TERMS:
        raise SearchError(_("Use como máximo %(max)d palabras.") % {"max": MAX_TERMS})
    return terms


def search_entries(user, query: str, kind: str = ""):
    """Concepts of every classification whose titles or alternative labels contain all words of ``query``.

    Accent- and case-insensitive in es/en/fr; each word matches the start of a word ("agric" finds
    "agrícola"). Ordered: exact title, title starting with the query, title containing it, then
    alternative labels only.
    """
    terms = search_terms(query)
    qs = SearchEntry.objects.restrict(user)
    if kind:
        qs = qs.filter(kind=kind)
    for term in terms:
        qs = qs.filter(search_text__contains=f" {term}")
    phrase = " ".join(terms)
    qs = qs.annotate(rank=Case(
        When(primary_text__contains=f"|{phrase}|", then=Value(0)),
        When(primary_text__contains=f"|{phrase}", then=Value(1)),
        When(Q(primary_text__contains=f" {phrase}") | Q(primary_text__contains=phrase), then=Value(2)),
        default=Value(3), output_field=IntegerField(),
    ))
    kind_order = Case(*[When(kind=k, then=Value(v)) for k, v in KIND_ORDER.items()], output_field=IntegerField())
    return qs.annotate(kind_rank=kind_order).order_by("rank", "kind_rank", "sort")


def isco_groups(user):
    return IscoGroup.objects.restrict(user)


def esco_occupations(user):
    return EscoOccupation.objects.restrict(user)


def soc_occupations(user):
    return SocOccupation.objects.restrict(user)


def soc2010_occupations(user):
    return Soc2010Occupation.objects.restrict(user)


def noc_groups(user):
    return NocGroup.objects.restrict(user)


def links(user):
    return CrosswalkLink.objects.restrict(user)


def links_into_isco(user, code: str):
    """Crosswalk rows that point at ISCO group ``code``, grouped by source system (in display order)."""
    groups: dict[str, list[CrosswalkLink]] = {}
    for link in links(user).filter(target_system=System.ISCO08, target_code=code).order_by(
        "source_system", "source_code", "position"
    ):
        groups.setdefault(link.source_system, []).append(link)
    order = [System.SOC2018, System.SOC2010, System.NOC2021, System.NOC2011]
    return [(System(s).label, groups[s]) for s in order if s in groups]
