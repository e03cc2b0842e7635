"""Worker arrays of one origin country's registry, built from the database and kept in memory.

The engine reads columns (``engine.WorkerArrays``); building them from the registry reads every matchable
profile of the country, which takes seconds at 100,000 profiles, while a shortlist over the arrays takes
milliseconds. So each process keeps the last few snapshots, keyed by (country, population), and checks
before every use that the registry has not changed since (``fingerprint``: the country's RegistryVersion,
raised on every profile save — the supply services save the profile on every change, including occupations,
languages, consent and status — and on bulk deletes, plus the highest id of verified profiles, for bulk
inserts). The check is two index lookups: counting the verified profiles instead took ~100 ms at 800,000
profiles, most of a shortlist's time through the service.

Booked periods change more often (each acceptance, release or withdrawal) and are few, so they are read on
every use and laid over the cached arrays (a cheap copy of two columns), never cached themselves.

Codebooks (the engine works on small integers and bitmasks):

* origin: the run's country is bit 0 (every worker of a snapshot is one of its nationals);
* regions: position of the residence subdivision in the sorted list of the snapshot's subdivisions;
* destinations and programmes: bits 0..61 for the values the workers prefer (sorted), bit 62 for any
  further value (more than 62 different preferred destinations is not expected), bit 63 for a job's value
  that no worker prefers;
* languages: position in ``supply.languages.LANGUAGES`` (25 languages, any declared level counts);
* sex: ISO/IEC 5218 (M → 1, F → 2, X → 0 "not known").

Experience: the three occupations with most years (ties: lower code first). Participation: seasons whose
outcome is known (``returned_on_time`` True or False) count in ``prior_count``, True ones in ``good_returns``.
A profile without a declared availability window is never available.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Max

from temporada.supply.languages import LANGUAGES
from temporada.supply.models import Worker

from .engine import WorkerArrays, WorkerIndex
from .engine.arrays import BOOKED_SLOTS, EXPERIENCE_SLOTS, PAD, to_days

LANGUAGE_BIT = {code: bit for bit, (code, _label) in enumerate(LANGUAGES)}
SEX_CODE = {"M": 1, "F": 2, "X": 0}
SEX_LETTER = {1: "M", 2: "F", 0: "X"}
OVERFLOW_BIT = 62
NOBODY_BIT = 63
NEVER = 1_000_000_000  # availability start of a profile without a window (no job begins that late)
CACHE_SIZE = 4

POPULATIONS = ("real", "synthetic")


def matchable_profiles(country: str, population: str):
    """Profiles a run may propose: verified, both consents, nationals of ``country``; real or synthetic only."""
    if population not in POPULATIONS:
        raise ValueError(f"unknown population {population!r}")
    return Worker.objects.matchable().filter(nationality_id=country, is_synthetic=population == "synthetic")


def fingerprint(country: str, population: str) -> tuple:
    """(registry version of the country, highest id of its verified profiles). The version moves on every
    profile save and bulk delete (signals.py); the highest id, the last entry of the (nationality, status, id)
    index, moves when profiles are inserted in bulk (ids only grow: AUTOINCREMENT / sequences)."""
    from .models import RegistryVersion

    version = RegistryVersion.objects.filter(country_id=country).values_list("version", flat=True).first() or 0
    top = (Worker.objects.filter(nationality_id=country, status=Worker.Status.VERIFIED)
           .aggregate(top=Max("id"))["top"])
    return version, top


class Codebook:
    """Bits for a small set of values (destinations or programmes) preferred by the workers."""

    def __init__(self, values):
        ordered = sorted(set(values))
        self.bits = {value: min(position, OVERFLOW_BIT) for position, value in enumerate(ordered)}

    def bit(self, value) -> int:
        return self.bits.get(value, NOBODY_BIT)

    def mask(self, positions, values, n) -> np.ndarray:
        out = np.zeros(n, np.uint64)
        if len(positions):
            bits = np.array([self.bits[v] for v in values], np.uint64)
            np.bitwise_or.at(out, np.asarray(positions, np.int64), np.left_shift(np.uint64(1), bits))
        return out


@dataclass
class Snapshot:
    country: str
    population: str
    fingerprint: tuple
    workers: WorkerArrays  # without booked periods
    index: WorkerIndex
    regions: list[str]
    destinations: Codebook
    programmes: Codebook
    position: dict[int, int]  # worker id -> row
    build_seconds: float
    booked_key: tuple = ()
    booked_index: WorkerIndex | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __len__(self) -> int:
        return len(self.workers)

    def region_code(self, value: int) -> str:
        return self.regions[value] if 0 <= value < len(self.regions) else ""

    def region_number(self, code: str) -> int:
        try:
            return self.regions.index(code)
        except ValueError:
            return -2  # matches nobody (-1 is "unknown region")


def build(country: str, population: str, *, key: tuple | None = None) -> Snapshot:
    """Read the registry of ``country`` into engine arrays (no cache)."""
    from temporada.supply.queries import engine_columns

    clock = time.perf_counter()
    key = key or fingerprint(country, population)
    cols = engine_columns(matchable_profiles(country, population))
    ids = cols["worker_id"]
    n = ids.shape[0]

    regions = sorted({code for code in cols["origin_subdivision"].tolist() if code})
    region_of = {code: i for i, code in enumerate(regions)}
    region = np.array([region_of.get(code, PAD) for code in cols["origin_subdivision"].tolist()], np.int32)
    sex = np.array([SEX_CODE.get(letter, 0) for letter in cols["sex"].tolist()], np.int8)
    birth_year = np.where(np.isnat(cols["birth_date"]), 1900,
                          cols["birth_date"].astype("datetime64[Y]").astype(np.int64) + 1970).astype(np.int16)

    exp_isco = np.full((n, EXPERIENCE_SLOTS), PAD, np.int16)
    exp_years = np.zeros((n, EXPERIENCE_SLOTS), np.float32)
    occ_worker = cols["occupation_worker"]
    if occ_worker.size:
        codes = cols["occupation_isco"]
        numeric = np.array([int(c) if c.isdigit() else -1 for c in codes.tolist()], np.int16)
        valid = numeric >= 0
        occ_worker, numeric, years = occ_worker[valid], numeric[valid], cols["occupation_years"][valid]
        order = np.lexsort((numeric, -years.astype(np.int32), occ_worker))  # by worker, most years first
        occ_worker, numeric, years = occ_worker[order], numeric[order], years[order]
        first = np.searchsorted(occ_worker, occ_worker, side="left")
        slot = np.arange(occ_worker.size) - first
        keep = slot < EXPERIENCE_SLOTS
        exp_isco[occ_worker[keep], slot[keep]] = numeric[keep]
        exp_years[occ_worker[keep], slot[keep]] = years[keep]

    languages = np.zeros(n, np.uint32)
    if cols["language_worker"].size:
        bits = np.array([LANGUAGE_BIT.get(c, 31) for c in cols["language_code"].tolist()], np.uint32)
        np.bitwise_or.at(languages, cols["language_worker"], np.left_shift(np.uint32(1), bits))

    def day_column(values, missing):
        days = values.astype("datetime64[D]").astype(np.int64)
        return np.where(np.isnat(values), missing, days).astype(np.int32)

    passport = day_column(cols["passport_expiry"], PAD)
    avail_start = day_column(cols["available_from"], NEVER)
    avail_end = day_column(cols["available_until"], PAD)
    no_window = (avail_start == NEVER) | (avail_end == PAD)
    avail_start[no_window], avail_end[no_window] = NEVER, PAD

    returned = cols["participation_returned"]
    known = returned >= 0
    prior = np.bincount(cols["participation_worker"][known], minlength=n).astype(np.int16)
    good = np.bincount(cols["participation_worker"][returned == 1], minlength=n).astype(np.int16)

    destinations = Codebook(cols["preferred_destination"].tolist())
    programmes = Codebook(cols["preferred_programme"].tolist())
    workers = WorkerArrays(
        ids=ids, origin=np.zeros(n, np.int8), region=region, sex=sex, birth_year=birth_year,
        exp_isco=exp_isco, exp_years=exp_years, languages=languages, passport_expiry=passport,
        avail_start=avail_start, avail_end=avail_end, prior_count=prior, good_returns=good,
        pref_dest=destinations.mask(cols["preferred_destination_worker"], cols["preferred_destination"].tolist(), n),
        pref_prog=programmes.mask(cols["preferred_programme_worker"], cols["preferred_programme"].tolist(), n),
        booked_start=np.full((n, BOOKED_SLOTS), PAD, np.int32), booked_end=np.full((n, BOOKED_SLOTS), PAD, np.int32),
    )
    return Snapshot(country=country, population=population, fingerprint=key, workers=workers,
                    index=WorkerIndex(workers), regions=regions, destinations=destinations, programmes=programmes,
                    position={int(pk): row for row, pk in enumerate(ids.tolist())},
                    build_seconds=time.perf_counter() - clock)


def booked_periods(snapshot: Snapshot, *, today: date) -> list[tuple[int, date, date]]:
    """(worker id, begin, end) of the accepted and released proposals of the snapshot's workers that have not
    ended before ``today``."""
    from .models import Proposal

    rows = Proposal.objects.filter(
        state__in=Proposal.BOOKED_STATES, run__origin_country_id=snapshot.country, end_date__gte=today,
        worker__is_synthetic=snapshot.population == "synthetic",
    ).values_list("worker_id", "begin_date", "end_date")
    return sorted(rows)


def booked_columns(snapshot: Snapshot, periods) -> tuple[np.ndarray, np.ndarray]:
    """The engine's two booked slots per worker: the first period, then the hull of any later ones (a
    conservative merge: a gap between two later commitments is treated as booked, never the reverse)."""
    n = len(snapshot)
    start = np.full((n, BOOKED_SLOTS), PAD, np.int32)
    end = np.full((n, BOOKED_SLOTS), PAD, np.int32)
    per_worker: dict[int, list[tuple[int, int]]] = {}
    for worker_id, begin, finish in periods:
        row = snapshot.position.get(int(worker_id))
        if row is not None:
            per_worker.setdefault(row, []).append((to_days(begin), to_days(finish)))
    for row, spans in per_worker.items():
        spans.sort()
        start[row, 0], end[row, 0] = spans[0]
        if len(spans) > 1:
            start[row, 1] = min(s for s, _e in spans[1:])
            end[row, 1] = max(e for _s, e in spans[1:])
    return start, end


def with_booked(snapshot: Snapshot, start: np.ndarray, end: np.ndarray) -> WorkerIndex:
    """A WorkerIndex sharing every column of the cached one except the booked periods."""
    base = snapshot.index
    index = object.__new__(WorkerIndex)
    workers = snapshot.workers
    index.workers = WorkerArrays(**{name: getattr(workers, name) for name in _COLUMNS},
                                 booked_start=start, booked_end=end, _checked=True)
    index.rows, index.blocks, index.booked_pos = base.rows, {}, {}
    for group, block in base.blocks.items():
        rows = base.rows[group]
        block_start, block_end = start[rows], end[rows]
        index.blocks[group] = WorkerArrays(**{name: getattr(block, name) for name in _COLUMNS},
                                           booked_start=block_start, booked_end=block_end, _checked=True)
        index.booked_pos[group] = np.flatnonzero((block_start != PAD).any(axis=1))
    index._union_sizes = base._union_sizes
    return index


_COLUMNS = ("ids", "origin", "region", "sex", "birth_year", "exp_isco", "exp_years", "languages", "passport_expiry",
            "avail_start", "avail_end", "prior_count", "good_returns", "pref_dest", "pref_prog")

_cache: OrderedDict[tuple[str, str], Snapshot] = OrderedDict()
_cache_lock = threading.Lock()
stats = {"hits": 0, "builds": 0}


def current(country: str, population: str, *, today: date) -> tuple[Snapshot, WorkerIndex]:
    """The snapshot of ``country``'s registry (rebuilt when the registry changed) and an index carrying the
    booked periods as of ``today``."""
    key = fingerprint(country, population)
    with _cache_lock:
        snapshot = _cache.get((country, population))
        if snapshot is not None and snapshot.fingerprint == key:
            _cache.move_to_end((country, population))
            stats["hits"] += 1
        else:
            snapshot = None
    if snapshot is None:
        snapshot = build(country, population, key=key)
        with _cache_lock:
            _cache[(country, population)] = snapshot
            _cache.move_to_end((country, population))
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
            stats["builds"] += 1
    periods = booked_periods(snapshot, today=today)
    booked_key = (today, hash(tuple(periods)))
    with snapshot.lock:
        if snapshot.booked_key != booked_key or snapshot.booked_index is None:
            start, end = booked_columns(snapshot, periods)
            snapshot.booked_index = with_booked(snapshot, start, end)
            snapshot.booked_key = booked_key
        return snapshot, snapshot.booked_index


def clear() -> None:
    with _cache_lock:
        _cache.clear()
