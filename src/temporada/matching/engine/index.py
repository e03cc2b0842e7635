"""Blocking index over worker profiles.

Workers are copied into one block per ISCO major group (0..9) of their experience codes — a worker
with experience in two major groups sits in two blocks — and each block is sorted by
``avail_start``. A job order then only looks at the blocks of its own codes' major groups (the
eligibility rule ``occupation`` needs at least the same major group), and only at the *prefix* of
each block whose availability starts early enough (binary search), so the vectorised checks run
over contiguous slices instead of the whole registry.

Memory: about (1 + share of workers with a second major group) × the size of the worker arrays.
"""

from __future__ import annotations

import numpy as np

from .arrays import PAD, WorkerArrays

MAJOR_GROUPS = tuple(range(10))


class WorkerIndex:
    """Blocks by ISCO major group, each sorted by availability start."""

    def __init__(self, workers: WorkerArrays):
        self.workers = workers
        majors = np.where(workers.exp_isco != PAD, workers.exp_isco // 1000, -1)
        self.blocks: dict[int, WorkerArrays] = {}
        self.rows: dict[int, np.ndarray] = {}  # block position -> row in ``workers``
        self.booked_pos: dict[int, np.ndarray] = {}
        for group in MAJOR_GROUPS:
            rows = np.flatnonzero((majors == group).any(axis=1))
            rows = rows[np.argsort(workers.avail_start[rows], kind="stable")]
            self.rows[group] = rows
            self.blocks[group] = block = workers.take(rows)
            # few workers are already booked: keep their positions so rules only look at those
            self.booked_pos[group] = np.flatnonzero((block.booked_start != PAD).any(axis=1))
        self._union_sizes: dict[tuple[int, ...], int] = {}

    def __len__(self) -> int:
        return len(self.workers)

    @property
    def nbytes(self) -> int:
        return sum(block.nbytes for block in self.blocks.values()) + sum(r.nbytes for r in self.rows.values())

    def family_size(self, groups: tuple[int, ...]) -> int:
        """How many distinct workers have experience in any of these major groups (cached)."""
        if groups not in self._union_sizes:
            if len(groups) == 1:
                size = len(self.rows[groups[0]])
            else:
                seen = np.zeros(len(self.workers), dtype=bool)
                for group in groups:
                    seen[self.rows[group]] = True
                size = np.count_nonzero(seen)
            self._union_sizes[groups] = int(size)
        return self._union_sizes[groups]
