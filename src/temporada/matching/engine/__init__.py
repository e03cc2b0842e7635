"""Matching engine: eligibility, explainable scores, shortlists and season runs on columnar arrays.

Pure NumPy / OR-Tools — no Django import, so it runs in benchmarks, tests and background tasks
alike. The Django side (``temporada.matching``) turns profiles and job orders into
:class:`WorkerArrays` / :class:`JobArrays`, calls :func:`shortlist` or :func:`season_run`, and
stores the results as records.

Modules: :mod:`.arrays` (inputs), :mod:`.rules` (eligibility), :mod:`.scoring` (factor-by-factor
score), :mod:`.index` (blocking), :mod:`.shortlist`, :mod:`.season` (candidate graph and run),
:mod:`.assign` (auction, min-cost flows, schedules), :mod:`.fairness`, :mod:`.exact` (exact
references for benchmarks and tests), :mod:`.reference` (plain-Python baseline and oracle),
:mod:`.synthetic` (seeded SYNTHETIC data).
"""

from .arrays import (
    InvalidInput,
    JobArrays,
    WorkerArrays,
    bits,
    from_days,
    to_days,
)
from .fairness import FairnessTarget
from .index import WorkerIndex
from .rules import EligibilityRules
from .scoring import FACTORS, Weights
from .season import SeasonParams, SeasonResult, check_assignment, season_run
from .shortlist import Filters, Shortlist, shortlist

__all__ = [
    "FACTORS",
    "EligibilityRules",
    "FairnessTarget",
    "Filters",
    "InvalidInput",
    "JobArrays",
    "SeasonParams",
    "SeasonResult",
    "Shortlist",
    "Weights",
    "WorkerArrays",
    "WorkerIndex",
    "bits",
    "check_assignment",
    "from_days",
    "season_run",
    "shortlist",
    "to_days",
]
