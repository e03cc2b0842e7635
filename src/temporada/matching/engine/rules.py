"""Eligibility rules, each a vectorised test over worker columns against one job (scalars) or against
one job per row (pair arrays).

A worker is eligible for a job order when ALL of these hold:

``occupation``
    Some experience code of the worker is at least ``min_occupation_level`` close to one of the job's
    candidate ISCO codes (levels: 1 same major group, 2 same sub-major, 3 same minor, 4 same unit).
    The default 1 (same major group) keeps everyone the score can rank; it is also what blocking
    by major group relies on.
``origin``
    The worker's country of nationality is one of the programme's eligible origin countries.
``availability``
    The worker's availability window *contains* the job's dates, give or take
    ``availability_slack_days``: ``avail_start <= begin + slack`` and ``avail_end >= end - slack``.
    Containment (not mere overlap) because a seasonal worker travels for the whole contract.
``passport``
    The passport is valid until the job ends: ``passport_expiry >= end`` (no passport = -1 fails).
``language``
    The worker speaks every language the job requires (``languages & req_lang == req_lang``).
``booked``
    No already-booked period of the worker overlaps the job's dates (closed intervals).
``experience``
    When the job requires experience, the worker has at least that many months in an occupation at
    least ``experience_level`` close to the job's codes (default 2: same sub-major group).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import PAD, InvalidInput

RULES = ("occupation", "origin", "availability", "passport", "language", "booked", "experience")

LEVEL_NAMES = {0: "none", 1: "major", 2: "sub_major", 3: "minor", 4: "unit"}


@dataclass(frozen=True)
class EligibilityRules:
    availability_slack_days: int = 0
    min_occupation_level: int = 1
    experience_level: int = 2

    def __post_init__(self):
        if not 0 <= self.availability_slack_days <= 366:
            raise InvalidInput("availability_slack_days must be between 0 and 366")
        if not 1 <= self.min_occupation_level <= 4:
            raise InvalidInput("min_occupation_level must be between 1 (major group) and 4 (unit group)")
        if not 1 <= self.experience_level <= 4:
            raise InvalidInput("experience_level must be between 1 (major group) and 4 (unit group)")


def origin_ok(origin: np.ndarray, eligible_origins) -> np.ndarray:
    """Nationality bit set in the programme's eligible-origin mask."""
    if np.ndim(eligible_origins) == 0:
        mask = int(eligible_origins)
        table = np.array([(mask >> bit) & 1 for bit in range(64)], dtype=bool)
        return table[origin]
    shifted = np.right_shift(np.asarray(eligible_origins, np.uint64), origin.astype(np.uint64))
    return (shifted & np.uint64(1)).astype(bool)


def availability_ok(avail_start, avail_end, begin, end, slack: int) -> np.ndarray:
    return (avail_start <= begin + slack) & (avail_end >= end - slack)


def passport_ok(passport_expiry, end) -> np.ndarray:
    return passport_expiry >= end


def language_ok(languages, req_lang) -> np.ndarray:
    required = np.asarray(req_lang, np.uint32)
    return (languages & required) == required


def booked_ok(booked_start, booked_end, begin, end) -> np.ndarray:
    """True when no booked period overlaps [begin, end]; ``begin``/``end`` scalars or one per row."""
    begin = np.asarray(begin)
    end = np.asarray(end)
    if begin.ndim:
        begin, end = begin[:, None], end[:, None]
    clash = (booked_start != PAD) & (booked_start <= end) & (booked_end >= begin)
    return ~clash.any(axis=1)


def experience_ok(relevant_years, req_exp_months) -> np.ndarray:
    # a small tolerance so that 0.25 years count as 3 months despite float32 rounding
    return relevant_years * np.float32(12) + np.float32(1e-3) >= req_exp_months
