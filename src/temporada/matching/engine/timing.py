"""Phase timings recorded in a run's stats: wall seconds in ``timings``, CPU seconds in ``cpu``."""

import time
from contextlib import contextmanager


@contextmanager
def phase(stats: dict, name: str):
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        stats.setdefault("timings", {})[name] = time.perf_counter() - wall
        stats.setdefault("cpu", {})[name] = time.process_time() - cpu
