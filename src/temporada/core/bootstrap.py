"""`temporada setup` runs these steps. A step is skipped when its input files are unchanged
since its last successful load (fingerprint kept in DataLoad), so a second start takes seconds.

An app contributes steps by listing a module in settings.TEMPORADA_BOOTSTRAP_MODULES whose
``steps()`` returns ``Step`` objects.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.db import transaction


class MissingReferenceFile(Exception):
    """A vendored input file is not where it should be."""


@dataclass
class Step:
    name: str
    files: list[Path]
    load: Callable[..., int]  # load(stdout=...) -> rows loaded; must be atomic and idempotent
    version: str = "1"  # bump to force a reload after the loader changes
    extra: Callable[[], str] = field(default=lambda: "")  # extra fingerprint input (e.g. row counts)

    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.version.encode())
        for path in self.files:
            if not path.exists():
                raise MissingReferenceFile(f"{self.name}: missing file {path}")
            stat = path.stat()
            # size + mtime + name is enough to notice a replaced file without hashing 100 MB on every start
            digest.update(f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
        digest.update(self.extra().encode())
        return digest.hexdigest()


def all_steps() -> list[Step]:
    steps: list[Step] = []
    for module_name in settings.TEMPORADA_BOOTSTRAP_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # app without default data yet
            raise
        steps.extend(module.steps())
    return steps


def run_steps(*, stdout, force: bool = False, only: Iterable[str] = ()) -> dict[str, str]:
    from .audit import EventType, record
    from .models import DataLoad

    only = set(only)
    outcome = {}
    selected = [step for step in all_steps() if not only or step.name in only]
    # Check every input file before loading anything, so a missing file leaves the database untouched.
    fingerprints = {step.name: step.fingerprint() for step in selected}
    for step in selected:
        fingerprint = fingerprints[step.name]
        done = DataLoad.objects.filter(name=step.name, fingerprint=fingerprint).exists()
        if done and not force:
            outcome[step.name] = "unchanged"
            stdout.write(f"  {step.name}: unchanged, skipped")
            continue
        started = time.monotonic()
        stdout.write(f"  {step.name}: loading…")
        with transaction.atomic():
            rows = step.load(stdout=stdout)
            DataLoad.objects.update_or_create(
                name=step.name,
                defaults={"fingerprint": fingerprint, "rows": rows or 0, "duration_seconds": time.monotonic() - started},
            )
            record(type=EventType.DATA_LOADED, object_type="dataset", object_id=step.name[:64],
                   object_repr=step.name, details={"rows": rows or 0})
        outcome[step.name] = "loaded"
        stdout.write(f"  {step.name}: {rows or 0} rows in {time.monotonic() - started:.1f}s")
    return outcome


def read_csv(path: Path, *, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    """All rows as text (never numbers: codes like ISCO 0110 keep their zeros)."""
    if not path.exists():
        raise MissingReferenceFile(f"missing file {path}")
    with path.open(newline="", encoding=encoding) as handle:
        return list(csv.DictReader(handle))


def data_path(*parts: str) -> Path:
    return Path(settings.DATA_DIR).joinpath(*parts)


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def steps() -> list[Step]:
    from .reference import load_countries, load_subdivisions

    return [
        Step("core.countries", [data_path("reference", "countries.csv")], load_countries),
        Step("core.subdivisions", [data_path("reference", "subdivisions.csv")], load_subdivisions),
    ]
