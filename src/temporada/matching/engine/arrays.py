"""Columnar (structure-of-arrays) inputs of the matching engine.

The engine never sees Python objects per worker: the Django side (or the synthetic generator) fills
these arrays once, and every rule and score is computed on whole columns at a time.

Conventions shared by every column:

* Dates are whole days since 1970-01-01 (``int32``); :func:`to_days` / :func:`from_days` convert.
* Countries and programmes are *bit positions* 0..63 chosen by the caller (a codebook such as
  ``("MEX", "GTM", ...)``), so "eligible origins" and "preferred destinations" are ``uint64`` bitmasks.
* Languages are bit positions 0..31 in a ``uint32`` mask.
* Occupations are ISCO-08 **unit** group codes as integers (``9211``; ``110`` for ``0110``). The
  hierarchy is in the digits: unit 9211 → minor 921 → sub-major 92 → major 9.
* Fixed-width slots are padded with ``-1`` (experience slots, candidate ISCO codes, booked periods).
* Sex follows ISO/IEC 5218: 0 not known, 1 male, 2 female, 9 not applicable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np

PAD = -1
EXPERIENCE_SLOTS = 3
JOB_ISCO_SLOTS = 6
BOOKED_SLOTS = 2
MAX_BITS = 64

SEX_UNKNOWN, SEX_MALE, SEX_FEMALE, SEX_NOT_APPLICABLE = 0, 1, 2, 9

# How a job order's ISCO code was obtained; the score discounts codes that are only one of several
# crosswalk candidates (see scoring.Weights.method_multiplier).
METHOD_DIRECT = 0  # the job order was coded in ISCO directly (or by an official)
METHOD_CROSSWALK_UNIQUE = 1  # SOC/NOC code with a single ISCO counterpart in the crosswalk
METHOD_CROSSWALK_SEVERAL = 2  # one of several ISCO counterparts of the SOC/NOC code

_EPOCH = dt.date(1970, 1, 1)


class InvalidInput(ValueError):
    """The arrays handed to the engine are inconsistent (shape, dtype or value out of range)."""


def to_days(value: dt.date | None) -> int:
    """Days since 1970-01-01; ``None`` becomes -1 (missing)."""
    if value is None:
        return PAD
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - _EPOCH).days


def from_days(days: int) -> dt.date | None:
    return None if days < 0 else _EPOCH + dt.timedelta(days=int(days))


def _column(name: str, value, dtype, n: int | None, width: int | None = None) -> np.ndarray:
    array = np.ascontiguousarray(value, dtype=dtype)
    expected = (n,) if width is None else (n, width)
    if n is not None and array.shape != expected:
        raise InvalidInput(f"{name}: expected shape {expected}, got {array.shape}")
    return array


@dataclass(eq=False)
class _Columns:
    """Shared behaviour: length, row selection, memory size."""

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def take(self, rows: np.ndarray):
        """A new instance holding only ``rows`` (in that order)."""
        return type(self)(**{f.name: getattr(self, f.name)[rows] for f in fields(self)}, _checked=True)

    def head(self, count: int):
        """The first ``count`` rows as views (no copy)."""
        return type(self)(**{f.name: getattr(self, f.name)[:count] for f in fields(self)}, _checked=True)

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in fields(self))


@dataclass(init=False, eq=False)
class WorkerArrays(_Columns):
    """One row per worker profile (already filtered by the caller to active, consenting profiles)."""

    ids: np.ndarray  # int64 profile id
    origin: np.ndarray  # int8 country bit of nationality
    region: np.ndarray  # int32 region of residence (caller's codebook), -1 unknown
    sex: np.ndarray  # int8 ISO 5218
    birth_year: np.ndarray  # int16
    exp_isco: np.ndarray  # int16 (n, 3) ISCO unit codes of experience, -1 padded
    exp_years: np.ndarray  # float32 (n, 3) years of experience in each code, 0 padded
    languages: np.ndarray  # uint32 bitmask
    passport_expiry: np.ndarray  # int32 day, -1 = no passport
    avail_start: np.ndarray  # int32 day
    avail_end: np.ndarray  # int32 day
    prior_count: np.ndarray  # int16 previous participations
    good_returns: np.ndarray  # int16 of which returned on time / in good standing
    pref_dest: np.ndarray  # uint64 bitmask of preferred destination countries (0 = no preference)
    pref_prog: np.ndarray  # uint64 bitmask of preferred programmes (0 = no preference)
    booked_start: np.ndarray  # int32 (n, 2) already-booked periods, -1 padded
    booked_end: np.ndarray  # int32 (n, 2)

    def __init__(self, *, ids, origin, region, sex, birth_year, exp_isco, exp_years, languages,
                 passport_expiry, avail_start, avail_end, prior_count, good_returns, pref_dest, pref_prog,
                 booked_start, booked_end, _checked: bool = False):
        if _checked:  # rows taken from an already validated instance
            self.ids, self.origin, self.region, self.sex, self.birth_year = ids, origin, region, sex, birth_year
            self.exp_isco, self.exp_years, self.languages = exp_isco, exp_years, languages
            self.passport_expiry, self.avail_start, self.avail_end = passport_expiry, avail_start, avail_end
            self.prior_count, self.good_returns = prior_count, good_returns
            self.pref_dest, self.pref_prog = pref_dest, pref_prog
            self.booked_start, self.booked_end = booked_start, booked_end
            return
        self.ids = _column("ids", ids, np.int64, None)
        if self.ids.ndim != 1:
            raise InvalidInput("ids: expected a one-dimensional array")
        n = self.ids.shape[0]
        self.origin = _column("origin", origin, np.int8, n)
        self.region = _column("region", region, np.int32, n)
        self.sex = _column("sex", sex, np.int8, n)
        self.birth_year = _column("birth_year", birth_year, np.int16, n)
        self.exp_isco = _column("exp_isco", exp_isco, np.int16, n, EXPERIENCE_SLOTS)
        self.exp_years = _column("exp_years", exp_years, np.float32, n, EXPERIENCE_SLOTS)
        self.languages = _column("languages", languages, np.uint32, n)
        self.passport_expiry = _column("passport_expiry", passport_expiry, np.int32, n)
        self.avail_start = _column("avail_start", avail_start, np.int32, n)
        self.avail_end = _column("avail_end", avail_end, np.int32, n)
        self.prior_count = _column("prior_count", prior_count, np.int16, n)
        self.good_returns = _column("good_returns", good_returns, np.int16, n)
        self.pref_dest = _column("pref_dest", pref_dest, np.uint64, n)
        self.pref_prog = _column("pref_prog", pref_prog, np.uint64, n)
        self.booked_start = _column("booked_start", booked_start, np.int32, n, BOOKED_SLOTS)
        self.booked_end = _column("booked_end", booked_end, np.int32, n, BOOKED_SLOTS)
        self._validate()

    def _validate(self) -> None:
        if np.unique(self.ids).shape[0] != len(self):
            raise InvalidInput("ids: duplicate worker ids")
        if len(self) == 0:
            return
        if self.origin.min() < 0 or self.origin.max() >= MAX_BITS:
            raise InvalidInput("origin: country bit outside 0..63")
        valid_isco = (self.exp_isco == PAD) | ((self.exp_isco >= 0) & (self.exp_isco <= 9999))
        if not valid_isco.all():
            raise InvalidInput("exp_isco: ISCO unit codes must be 0..9999 or -1")
        if (self.exp_years < 0).any() or not np.isfinite(self.exp_years).all():
            raise InvalidInput("exp_years: years of experience must be finite and ≥ 0")
        if (self.good_returns < 0).any() or (self.good_returns > self.prior_count).any():
            raise InvalidInput("good_returns: must be between 0 and prior_count")
        if ((self.booked_start == PAD) != (self.booked_end == PAD)).any():
            raise InvalidInput("booked_start/booked_end: padding must match")
        if (self.booked_start > self.booked_end).any():
            raise InvalidInput("booked periods: start after end")


@dataclass(init=False, eq=False)
class JobArrays(_Columns):
    """One row per job order (capacity = positions; 0 positions means closed)."""

    ids: np.ndarray  # int64 job order id
    programme: np.ndarray  # int8 programme bit
    destination: np.ndarray  # int8 destination country bit
    eligible_origins: np.ndarray  # uint64 bitmask of origin countries eligible for the programme
    begin: np.ndarray  # int32 day
    end: np.ndarray  # int32 day
    isco: np.ndarray  # int16 (m, 6) candidate ISCO unit codes, -1 padded
    isco_method: np.ndarray  # int8 (m, 6) METHOD_* for each code
    req_exp_months: np.ndarray  # int16 required months of experience in the occupation
    req_lang: np.ndarray  # uint32 languages required (all of them)
    pref_lang: np.ndarray  # uint32 languages that count in the score (any of them)
    positions: np.ndarray  # int32 capacity

    def __init__(self, *, ids, programme, destination, eligible_origins, begin, end, isco, isco_method,
                 req_exp_months, req_lang, pref_lang, positions, _checked: bool = False):
        if _checked:
            self.ids, self.programme, self.destination = ids, programme, destination
            self.eligible_origins, self.begin, self.end = eligible_origins, begin, end
            self.isco, self.isco_method, self.req_exp_months = isco, isco_method, req_exp_months
            self.req_lang, self.pref_lang, self.positions = req_lang, pref_lang, positions
            return
        self.ids = _column("ids", ids, np.int64, None)
        if self.ids.ndim != 1:
            raise InvalidInput("ids: expected a one-dimensional array")
        m = self.ids.shape[0]
        self.programme = _column("programme", programme, np.int8, m)
        self.destination = _column("destination", destination, np.int8, m)
        self.eligible_origins = _column("eligible_origins", eligible_origins, np.uint64, m)
        self.begin = _column("begin", begin, np.int32, m)
        self.end = _column("end", end, np.int32, m)
        self.isco = _column("isco", isco, np.int16, m, JOB_ISCO_SLOTS)
        self.isco_method = _column("isco_method", isco_method, np.int8, m, JOB_ISCO_SLOTS)
        self.req_exp_months = _column("req_exp_months", req_exp_months, np.int16, m)
        self.req_lang = _column("req_lang", req_lang, np.uint32, m)
        self.pref_lang = _column("pref_lang", pref_lang, np.uint32, m)
        self.positions = _column("positions", positions, np.int32, m)
        self._validate()

    def _validate(self) -> None:
        if np.unique(self.ids).shape[0] != len(self):
            raise InvalidInput("ids: duplicate job order ids")
        if len(self) == 0:
            return
        for name in ("programme", "destination"):
            column = getattr(self, name)
            if column.min() < 0 or column.max() >= MAX_BITS:
                raise InvalidInput(f"{name}: bit outside 0..63")
        if (self.begin > self.end).any():
            raise InvalidInput("begin/end: a job order ends before it begins")
        if (self.positions < 0).any():
            raise InvalidInput("positions: negative capacity")
        if (self.req_exp_months < 0).any():
            raise InvalidInput("req_exp_months: negative")
        valid_isco = (self.isco == PAD) | ((self.isco >= 0) & (self.isco <= 9999))
        if not valid_isco.all():
            raise InvalidInput("isco: ISCO unit codes must be 0..9999 or -1")
        if (self.isco[:, 0] == PAD).any():
            raise InvalidInput("isco: every job order needs at least one ISCO code (first slot)")
        if not np.isin(self.isco_method, (METHOD_DIRECT, METHOD_CROSSWALK_UNIQUE, METHOD_CROSSWALK_SEVERAL)).all():
            raise InvalidInput("isco_method: unknown mapping method")


def bits(*positions: int) -> int:
    """A bitmask with the given bit positions set (handy for tests and callers)."""
    mask = 0
    for position in positions:
        if not 0 <= position < MAX_BITS:
            raise InvalidInput(f"bit {position} outside 0..63")
        mask |= 1 << position
    return mask
