"""Fairness targets for season runs.

A target bounds the *share* of a group among the filled positions:

``share = (positions filled by workers of the group) / (positions filled)``

* ``scope="order"``: the bound holds inside every job order separately;
* ``scope="run"``: the bound holds over all positions filled by the run.

The group is the set of workers whose ``attribute`` (``"sex"``, ISO 5218 codes, or ``"region"``,
the caller's region numbers) is one of ``values``. ``min_share`` and/or ``max_share`` give the
bounds (fractions in [0, 1]). An order (or run) that fills nothing satisfies every target: a strict
minimum share can leave an order empty when no worker of the group is eligible for it — lower the
share, or use a run-wide target, when that is not wanted.

At most one target per scope (so the groups nest in the assignment network).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .arrays import InvalidInput

ATTRIBUTES = ("sex", "region")
SCOPES = ("order", "run")
_EPS = 1e-9


@dataclass(frozen=True)
class FairnessTarget:
    attribute: str
    values: tuple[int, ...]
    min_share: float | None = None
    max_share: float | None = None
    scope: str = "run"

    def __post_init__(self):
        if self.attribute not in ATTRIBUTES:
            raise InvalidInput(f"fairness attribute must be one of {ATTRIBUTES}")
        if self.scope not in SCOPES:
            raise InvalidInput(f"fairness scope must be one of {SCOPES}")
        if not self.values:
            raise InvalidInput("fairness target needs at least one group value")
        if self.min_share is None and self.max_share is None:
            raise InvalidInput("fairness target needs min_share and/or max_share")
        for share in (self.min_share, self.max_share):
            if share is not None and not (0.0 <= share <= 1.0 and math.isfinite(share)):
                raise InvalidInput("fairness shares must be between 0 and 1")
        if self.min_share is not None and self.max_share is not None and self.min_share > self.max_share:
            raise InvalidInput("fairness min_share is larger than max_share")

    def members(self, workers) -> np.ndarray:
        """Boolean mask of the workers in the group."""
        column = workers.sex if self.attribute == "sex" else workers.region
        return np.isin(column, np.asarray(self.values, dtype=column.dtype))

    def satisfied(self, in_group: int, others: int) -> bool:
        total = in_group + others
        if total == 0:
            return True
        if self.min_share is not None and in_group < self.min_share * total - _EPS:
            return False
        return not (self.max_share is not None and in_group > self.max_share * total + _EPS)

    # --- amounts used by the season run (vectorised over orders) -------------------------------
    def excess(self, in_group: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many group / other assignments to drop (lowest scores first) to meet the bounds."""
        g = in_group.astype(np.float64)
        o = others.astype(np.float64)
        drop_g = np.zeros_like(in_group)
        drop_o = np.zeros_like(others)
        if self.max_share is not None:
            s = self.max_share
            if s >= 1:
                pass
            else:  # (g - k) <= s (g + o - k)  =>  k >= (g - s (g + o)) / (1 - s)
                need = np.ceil((g - s * (g + o)) / (1 - s) - _EPS)
                drop_g = np.clip(need, 0, g).astype(in_group.dtype)
        if self.min_share is not None:
            s = self.min_share
            g_left = g - drop_g
            if s <= 0:
                pass
            else:  # g >= s (g + o - k)  =>  k >= g + o - g / s
                need = np.ceil(g_left + o - g_left / s - _EPS)
                drop_o = np.clip(need, 0, o).astype(others.dtype)
        return drop_g, drop_o

    def room(self, in_group: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many more group / other assignments may be *added* with the bounds still holding,
        whatever is added on the other side (additions only: nothing already assigned is removed).
        -1 means unlimited."""
        g = in_group.astype(np.float64)
        o = others.astype(np.float64)
        room_g = np.full(in_group.shape, -1, dtype=np.int64)
        room_o = np.full(others.shape, -1, dtype=np.int64)
        if self.max_share is not None and self.max_share < 1:
            s = self.max_share  # g + a <= s (g + a + o)  with no other additions
            room_g = np.maximum(np.floor((s * o - (1 - s) * g) / (1 - s) + _EPS), 0).astype(np.int64)
        if self.min_share is not None and self.min_share > 0:
            s = self.min_share  # g >= s (g + o + a)  with no group additions
            room_o = np.maximum(np.floor(((1 - s) * g - s * o) / s + _EPS), 0).astype(np.int64)
        return room_g, room_o


def split_targets(targets) -> tuple[FairnessTarget | None, FairnessTarget | None]:
    """(per-order target, per-run target); more than one per scope is refused."""
    per_order = [t for t in targets if t.scope == "order"]
    per_run = [t for t in targets if t.scope == "run"]
    if len(per_order) > 1 or len(per_run) > 1:
        raise InvalidInput("at most one fairness target per scope (order, run)")
    return (per_order[0] if per_order else None), (per_run[0] if per_run else None)
