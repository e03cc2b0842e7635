"""The score of a worker for a job order, factor by factor.

``total = Σ weight_f × factor_f`` with every factor in [0, 1], so each contribution reads as
"points out of the weight" (defaults add up to 100 points):

``occupation`` (40)
    Closest ISCO-08 match between the worker's experience codes and the job's candidate codes:
    same unit 1.0, same minor group 0.75, same sub-major 0.5, same major 0.25, times a discount when
    the job's code is only a crosswalk candidate (unique counterpart 0.95, one of several 0.85).
``experience`` (20)
    Years in the *relevant* occupations (those at least ``rules.experience_level`` close to the job),
    counted up to ``experience_cap_years`` (5): ``min(years, 5) / 5``.
``participation`` (15)
    Good prior participation: returns in good standing up to ``participation_cap`` (3), minus
    ``bad_return_penalty`` (0.5) per participation that did not end well; clipped to [0, 1].
    First-time workers get 0 here (use the weights or fairness targets to favour newcomers).
``language`` (10)
    Share of the job's *preferred* languages the worker speaks; 1 when the job prefers none.
``preference`` (15)
    Mean of "destination fits" and "programme fits" the worker's stated preferences; a worker who
    stated no preference fits everywhere.

Costs for the assignment are integers: ``round(total × 100)`` (hundredths of a point).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .arrays import InvalidInput

FACTORS = ("occupation", "experience", "participation", "language", "preference")
SCORE_SCALE = 100  # integer score units per point


@dataclass(frozen=True)
class Weights:
    occupation: float = 40.0
    experience: float = 20.0
    participation: float = 15.0
    language: float = 10.0
    preference: float = 15.0
    level_value: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)  # by proximity level 0..4
    method_multiplier: tuple[float, ...] = (1.0, 0.95, 0.85)  # by arrays.METHOD_*
    experience_cap_years: float = 5.0
    participation_cap: int = 3
    bad_return_penalty: float = 0.5
    _vector: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        vector = np.array([getattr(self, name) for name in FACTORS], dtype=np.float64)
        if not np.isfinite(vector).all() or (vector < 0).any() or vector.sum() <= 0:
            raise InvalidInput("weights must be finite, non-negative and not all zero")
        if vector.sum() > 1000:
            raise InvalidInput("weights must add up to at most 1000 points")
        levels = np.asarray(self.level_value, dtype=np.float64)
        if levels.shape != (5,) or (levels < 0).any() or (levels > 1).any() or (np.diff(levels) < 0).any():
            raise InvalidInput("level_value: five non-decreasing values in [0, 1]")
        methods = np.asarray(self.method_multiplier, dtype=np.float64)
        if methods.shape != (3,) or (methods < 0).any() or (methods > 1).any():
            raise InvalidInput("method_multiplier: three values in [0, 1]")
        if self.experience_cap_years <= 0 or self.participation_cap <= 0 or self.bad_return_penalty < 0:
            raise InvalidInput("experience_cap_years and participation_cap must be positive")
        object.__setattr__(self, "_vector", vector.astype(np.float32))

    @property
    def vector(self) -> np.ndarray:
        return self._vector

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FACTORS} | {
            "level_value": list(self.level_value),
            "method_multiplier": list(self.method_multiplier),
            "experience_cap_years": self.experience_cap_years,
            "participation_cap": self.participation_cap,
            "bad_return_penalty": self.bad_return_penalty,
        }


def occupation_levels(exp_isco: np.ndarray, job_isco: np.ndarray) -> np.ndarray:
    """Proximity level (0..4) of every worker experience slot to every job code.

    ``exp_isco`` is (n, s); ``job_isco`` is (k,). Returns (n, s, k) int8; padded slots give 0. The
    hierarchy is in the digits, so the level is the number of equal prefixes among major (÷1000),
    sub-major (÷100), minor (÷10) and unit.
    """
    exp = np.asarray(exp_isco, np.int16)[:, :, None]
    job = np.asarray(job_isco, dtype=np.int16)[None, None, :]
    level = (exp // 1000 == job // 1000).astype(np.int8)
    level += exp // 100 == job // 100
    level += exp // 10 == job // 10
    level += exp == job
    level *= (exp >= 0) & (job >= 0)
    return level


_ALL_CODES = np.arange(10_000, dtype=np.int16)[:, None]


class JobTables:
    """Per-ISCO-code lookup tables for one job's candidate codes.

    Every worker experience code is then scored by one gather instead of comparisons with each job
    code: ``closeness[code]`` (best level value × method multiplier over the job's codes),
    ``level[code]`` (best proximity level), ``job_code[code]`` / ``pair_level[code]`` (which job code
    gave the closeness, for explanations). Index -1 (padding) lands on an extra last entry of 0.
    """

    def __init__(self, isco, methods, weights: Weights):
        codes = np.asarray(isco, np.int16)
        keep = codes >= 0
        codes, methods = codes[keep], np.asarray(methods, np.int8)[keep]
        level = occupation_levels(_ALL_CODES, codes)[:, 0, :]  # (10000, k)
        close = np.asarray(weights.level_value, np.float32)[level]
        close *= np.asarray(weights.method_multiplier, np.float32)[methods][None, :]
        best = close.argmax(axis=1)
        rows = np.arange(10_000)
        self.closeness = np.append(close[rows, best], np.float32(0)).astype(np.float32)
        self.level = np.append(level.max(axis=1), 0).astype(np.int8)
        self.pair_level = np.append(level[rows, best], 0).astype(np.int8)
        self.job_code = np.append(np.where(self.pair_level[:-1] > 0, codes[best], -1), -1).astype(np.int16)


@dataclass
class Evaluation:
    """Factors (n, 5) in [0, 1], contributions (n, 5) in points, totals, and what matched."""

    factors: np.ndarray
    contributions: np.ndarray
    total: np.ndarray
    max_level: np.ndarray  # highest proximity level 0..4 of any experience (eligibility rule)
    relevant_years: np.ndarray  # years counted for the experience factor and rule
    level: np.ndarray  # proximity level of the pair behind the occupation factor (explanation)
    worker_code: np.ndarray  # the worker's ISCO code behind the occupation factor (-1 none)
    job_code: np.ndarray  # the job's ISCO code it matched (-1 none)


def evaluate(workers, job, *, weights: Weights, experience_level: int, tables: JobTables | None = None,
             explain: bool = True) -> Evaluation:
    """Score ``workers`` against one ``job`` (or a class of identical jobs).

    ``workers`` needs the columns exp_isco, exp_years, good_returns, prior_count, languages,
    pref_dest and pref_prog (a WorkerArrays or any subset of its columns). ``job`` needs ``isco``
    and ``isco_method`` (k,), and scalar ``pref_lang``, ``destination`` and ``programme``.
    """
    tables = tables or JobTables(job.isco, job.isco_method, weights)
    exp = workers.exp_isco
    n = exp.shape[0]
    slot_close = tables.closeness[exp]  # (n, s); padding -1 reads the trailing 0
    occupation = row_max(slot_close)
    slot_level = tables.level[exp]
    max_level = row_max(slot_level)
    relevant_years = row_max(np.where(slot_level >= experience_level, workers.exp_years, np.float32(0)))
    experience = np.minimum(relevant_years, np.float32(weights.experience_cap_years))
    experience /= np.float32(weights.experience_cap_years)

    good = workers.good_returns.astype(np.float32)
    bad = (workers.prior_count - workers.good_returns).astype(np.float32)
    participation = np.minimum(good, np.float32(weights.participation_cap)) / np.float32(weights.participation_cap)
    participation = np.clip(participation - np.float32(weights.bad_return_penalty) * bad, 0, 1)

    pref_lang = np.uint32(job.pref_lang)
    wanted = int(np.bitwise_count(pref_lang))
    if wanted:
        language = np.bitwise_count(workers.languages & pref_lang).astype(np.float32) / np.float32(wanted)
    else:
        language = np.ones(n, np.float32)

    dest_bit = np.uint64(1) << np.uint64(job.destination)
    prog_bit = np.uint64(1) << np.uint64(job.programme)
    dest_fit = (workers.pref_dest == 0) | ((workers.pref_dest & dest_bit) != 0)
    prog_fit = (workers.pref_prog == 0) | ((workers.pref_prog & prog_bit) != 0)
    preference = (dest_fit.astype(np.float32) + prog_fit.astype(np.float32)) * np.float32(0.5)

    columns = (occupation, experience, participation, language, preference)
    total = np.zeros(n, np.float32)
    for weight, column in zip(weights.vector, columns, strict=True):
        total += weight * column  # column by column: cheaper than a (n, 5) row sum
    if explain and n:
        factors = np.stack(columns, axis=1)
        contributions = factors * weights.vector
        best_slot = slot_close.argmax(axis=1)
        code = exp[np.arange(n), best_slot]
        code = np.where(occupation > 0, code, -1).astype(np.int16)
        level, job_code = tables.pair_level[code], tables.job_code[code]
    else:
        factors = contributions = code = level = job_code = None
    return Evaluation(factors, contributions, total, max_level, relevant_years.astype(np.float32),
                      level, code, job_code)


def row_max(values: np.ndarray) -> np.ndarray:
    """Maximum of each row of a narrow (n, s) array; column by column is much faster than max(axis=1)."""
    best = values[:, 0].copy()
    for column in range(1, values.shape[1]):
        np.maximum(best, values[:, column], out=best)
    return best


def to_units(total: np.ndarray) -> np.ndarray:
    """Integer score units (hundredths of a point) used as assignment costs and for exact ties."""
    return np.rint(np.asarray(total, np.float64) * SCORE_SCALE).astype(np.int64)
