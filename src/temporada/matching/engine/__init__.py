"""Matching engine: eligibility, explainable scores, shortlists and season runs on columnar arrays.

Pure NumPy / OR-Tools — no Django import, so it runs in benchmarks, tests and background tasks
alike. The Django side (``temporada.matching``) turns profiles and job orders into
:class:`WorkerArrays` / :class:`JobArrays`, calls :func:`shortlist` or :func:`season_run`, and
stores the results as records.
"""

from .arrays import (
    InvalidInput,
    JobArrays,
    WorkerArrays,
    bits,
    from_days,
    to_days,
)
from .index import WorkerIndex
from .rules import EligibilityRules
from .scoring import FACTORS, Weights
from .shortlist import Filters, Shortlist, shortlist

__all__ = [
    "FACTORS",
    "EligibilityRules",
    "Filters",
    "InvalidInput",
    "JobArrays",
    "Shortlist",
    "Weights",
    "WorkerArrays",
    "WorkerIndex",
    "bits",
    "from_days",
    "shortlist",
    "to_days",
]
