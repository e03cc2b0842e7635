"""Top-N candidates for one job order.

Blocking (major groups × availability-start prefix, see :mod:`.index`) → the cheap date, passport,
origin, language and booking rules on contiguous slices → filters → scoring of the survivors →
``argpartition`` for the top N. Ties are broken by the worker's row in the input (callers pass
workers ordered by id), so the same input always gives the same list.

The result also says how many workers each rule left (``funnel``) and, when nobody is left, which
rule emptied the list (``reason``) — the official then knows whether to relax dates, languages…
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .arrays import PAD, JobArrays, from_days
from .index import WorkerIndex
from .rules import (
    EligibilityRules,
    booked_ok,
    experience_ok,
    language_ok,
    origin_ok,
    passport_ok,
)
from .scoring import FACTORS, JobTables, Weights, evaluate, to_units

STAGES = (
    "occupation_family",
    "availability",
    "passport",
    "origin",
    "language",
    "booked",
    "filters",
    "occupation",
    "experience",
)

REASONS = {
    "no_workers": "there are no worker profiles",
    "occupation_family": "no worker has experience in the job's ISCO major groups",
    "availability": "no worker is available for the whole period of the job",
    "passport": "no available worker has a passport valid until the job ends",
    "origin": "no available worker is a national of a country eligible for the programme",
    "language": "no remaining worker speaks the required languages",
    "booked": "every remaining worker is already booked during the job",
    "filters": "no remaining worker matches the filters",
    "occupation": "no remaining worker's experience is close enough to the job's occupation",
    "experience": "no remaining worker has the required months of experience",
}


@dataclass(frozen=True)
class Filters:
    """Optional narrowing chosen by the official (all given conditions must hold)."""

    origins: tuple[int, ...] | None = None  # country bits
    regions: tuple[int, ...] | None = None
    sexes: tuple[int, ...] | None = None  # ISO 5218 codes
    min_age: int | None = None  # age reached in the year the job begins
    max_age: int | None = None
    min_good_returns: int | None = None
    languages: int = 0  # must speak all of these (bitmask)
    exclude_ids: tuple[int, ...] = ()

    def mask(self, workers, begin_year: int) -> np.ndarray | None:
        mask = None

        def both(current, new):
            return new if current is None else current & new

        if self.origins is not None:
            mask = both(mask, np.isin(workers.origin, np.asarray(self.origins, np.int8)))
        if self.regions is not None:
            mask = both(mask, np.isin(workers.region, np.asarray(self.regions, np.int32)))
        if self.sexes is not None:
            mask = both(mask, np.isin(workers.sex, np.asarray(self.sexes, np.int8)))
        if self.min_age is not None:
            mask = both(mask, begin_year - workers.birth_year.astype(np.int32) >= self.min_age)
        if self.max_age is not None:
            mask = both(mask, begin_year - workers.birth_year.astype(np.int32) <= self.max_age)
        if self.min_good_returns is not None:
            mask = both(mask, workers.good_returns >= self.min_good_returns)
        if self.languages:
            mask = both(mask, language_ok(workers.languages, self.languages))
        if self.exclude_ids:
            mask = both(mask, ~np.isin(workers.ids, np.asarray(self.exclude_ids, np.int64)))
        return mask


@dataclass
class Shortlist:
    """Ranked candidates (best first) with every factor's contribution."""

    job_row: int
    rows: np.ndarray  # rows in the workers arrays
    worker_ids: np.ndarray
    total: np.ndarray  # points
    contributions: np.ndarray  # (n, 5) points per factor (FACTORS order)
    factors: np.ndarray  # (n, 5) factor values in [0, 1]
    level: np.ndarray  # ISCO proximity level of the best match (4 unit … 1 major)
    worker_code: np.ndarray  # worker's ISCO code behind the occupation factor
    job_code: np.ndarray  # job's ISCO code it matched
    relevant_years: np.ndarray
    eligible_count: int
    funnel: list[tuple[str, int]] = field(default_factory=list)
    reason: str | None = None  # stage that left nobody (see REASONS), None when not empty
    factor_names: tuple[str, ...] = FACTORS

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    @property
    def reason_text(self) -> str | None:
        return REASONS.get(self.reason) if self.reason else None


class _JobView:
    """Scalar view of one job order, shaped for :func:`scoring.evaluate`."""

    def __init__(self, jobs: JobArrays, row: int):
        codes = jobs.isco[row]
        keep = codes != PAD
        self.isco = codes[keep]
        self.isco_method = jobs.isco_method[row][keep]
        self.pref_lang = jobs.pref_lang[row]
        self.destination = jobs.destination[row]
        self.programme = jobs.programme[row]
        self.begin = int(jobs.begin[row])
        self.end = int(jobs.end[row])
        self.eligible_origins = int(jobs.eligible_origins[row])
        self.req_lang = int(jobs.req_lang[row])
        self.req_exp_months = int(jobs.req_exp_months[row])
        self.majors = tuple(sorted({int(c) // 1000 for c in self.isco}))


def shortlist(index: WorkerIndex, jobs: JobArrays, job_row: int, *, n: int = 50,
              filters: Filters | None = None, rules: EligibilityRules | None = None,
              weights: Weights | None = None) -> Shortlist:
    """The ``n`` best eligible workers for job order ``job_row``."""
    rules = rules or EligibilityRules()
    weights = weights or Weights()
    if not 0 <= job_row < len(jobs):
        raise IndexError(f"job row {job_row} out of range")
    if n < 1:
        raise ValueError("n must be at least 1")
    job = _JobView(jobs, job_row)
    slack = rules.availability_slack_days
    funnel: list[tuple[str, int]] = [("workers", len(index))]
    if len(index) == 0:
        return _empty(job_row, funnel, "no_workers")
    funnel.append(("occupation_family", index.family_size(job.majors)))

    begin_year = from_days(job.begin).year
    checks = (
        ("availability", lambda w: w.avail_end >= job.end - slack),
        ("passport", lambda w: passport_ok(w.passport_expiry, job.end)),
        ("origin", lambda w: origin_ok(w.origin, job.eligible_origins)),
        ("language", lambda w: language_ok(w.languages, job.req_lang) if job.req_lang else None),
        ("booked", None),  # only the few booked rows are checked, see below
        ("filters", lambda w: filters.mask(w, begin_year) if filters else None),
    )
    counts = np.zeros(len(checks), dtype=np.int64)
    pieces, piece_rows = [], []
    seen = np.zeros(len(index), dtype=bool) if len(job.majors) > 1 else None
    for group in job.majors:
        # prefix of the block whose availability starts early enough (views, no copy)
        block = index.blocks[group]
        stop = int(np.searchsorted(block.avail_start, job.begin + slack, side="right"))
        head, rows = block.head(stop), index.rows[group][:stop]
        mask = np.ones(stop, dtype=bool)
        if seen is not None:  # a worker may sit in several blocks: count each once
            mask &= ~seen[rows]
            seen[rows] = True
        # the cheap rules as cumulative masks (counted for the funnel), then one compaction
        for i, (stage, check) in enumerate(checks):
            if stage == "booked":
                booked = index.booked_pos[group]
                booked = booked[: np.searchsorted(booked, stop)]
                free = booked_ok(head.booked_start[booked], head.booked_end[booked], job.begin, job.end)
                mask[booked[~free]] = False
            else:
                new = check(head)
                if new is not None:
                    mask &= new
            counts[i] += np.count_nonzero(mask)
        keep = np.flatnonzero(mask)
        pieces.append(_ScoringColumns(head, keep))
        piece_rows.append(rows[keep])
    funnel.extend((stage, int(count)) for (stage, _check), count in zip(checks, counts, strict=True))
    cand = pieces[0] if len(pieces) == 1 else _ScoringColumns.concat(pieces)
    cand_rows = piece_rows[0] if len(pieces) == 1 else np.concatenate(piece_rows)

    tables = JobTables(job.isco, job.isco_method, weights)
    ev = evaluate(cand, job, weights=weights, experience_level=rules.experience_level, tables=tables,
                  explain=False)
    keep = ev.max_level >= rules.min_occupation_level
    funnel.append(("occupation", int(keep.sum())))
    if job.req_exp_months:
        keep &= experience_ok(ev.relevant_years, job.req_exp_months)
    funnel.append(("experience", int(keep.sum())))
    selected = np.flatnonzero(keep)
    reason = next((stage for stage, count in funnel[1:] if count == 0), None)
    if selected.shape[0] == 0:
        return _empty(job_row, funnel, reason)

    units = to_units(ev.total[selected])
    key = units * (1 << 32) + ((1 << 32) - 1 - cand_rows[selected])
    if selected.shape[0] > n:
        top = np.argpartition(-key, n - 1)[:n]
        top = top[np.argsort(-key[top])]
    else:
        top = np.argsort(-key)
    rows = cand_rows[selected[top]]
    # full explanation for the few listed workers only
    listed = index.workers.take(rows)
    ev = evaluate(listed, job, weights=weights, experience_level=rules.experience_level, tables=tables)
    return Shortlist(
        job_row=job_row,
        rows=rows,
        worker_ids=listed.ids,
        total=ev.total,
        contributions=ev.contributions,
        factors=ev.factors,
        level=ev.level,
        worker_code=ev.worker_code,
        job_code=ev.job_code,
        relevant_years=ev.relevant_years,
        eligible_count=int(selected.shape[0]),
        funnel=funnel,
        reason=None,
    )


class _ScoringColumns:
    """Only the columns the score needs, gathered for the rows that passed the cheap rules."""

    names = ("exp_isco", "exp_years", "good_returns", "prior_count", "languages", "pref_dest", "pref_prog")

    def __init__(self, workers=None, rows=None, **columns):
        if workers is not None:
            columns = {name: getattr(workers, name)[rows] for name in self.names}
        for name, value in columns.items():
            setattr(self, name, value)

    def __len__(self) -> int:
        return int(self.exp_isco.shape[0])

    @classmethod
    def concat(cls, pieces):
        return cls(**{name: np.concatenate([getattr(p, name) for p in pieces]) for name in cls.names})


def _empty(job_row: int, funnel, reason: str) -> Shortlist:
    empty_i = np.zeros(0, np.int64)
    empty_f = np.zeros(0, np.float32)
    return Shortlist(
        job_row=job_row, rows=empty_i, worker_ids=empty_i, total=empty_f,
        contributions=np.zeros((0, len(FACTORS)), np.float32), factors=np.zeros((0, len(FACTORS)), np.float32),
        level=np.zeros(0, np.int8), worker_code=np.zeros(0, np.int16), job_code=np.zeros(0, np.int16),
        relevant_years=empty_f, eligible_count=0, funnel=funnel, reason=reason,
    )
