"""Reading an official CSV file into model instances without touching the database.

Each data row either becomes an object or a ``Reject`` with its line number and reason. A file
whose header lacks a required column, that is not UTF-8 text, that has no data rows, or where
more than ``max_reject_share`` of the rows are refused is refused as a whole (``FileRefused``):
that is almost always the wrong file or a changed layout, and nothing is loaded from it.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

CODE_LENGTH = 3
PROGRESS_EVERY = 50_000


class FileRefused(ValueError):
    """The whole file is refused; the database is unchanged."""


class RowError(Exception):
    """One row is refused; ``args[0]`` is the reason shown to people."""


@dataclass
class Reject:
    line: int
    reason: str
    raw: str


@dataclass
class ParsedFile:
    dataset_key: str
    path: Path
    sha256: str
    size: int
    rows_read: int = 0
    objects: list = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def parse_csv(
    path: Path, *, dataset_key: str, required: Sequence[str], parse_row: Callable[[dict, int], object],
    key: Callable[[object], tuple] | None = None, max_reject_share: float = 0.01, stdout=None,
    progress: bool = False,
) -> ParsedFile:
    """Parse ``path`` row by row; ``parse_row(row, line)`` returns an object or raises RowError."""
    path = Path(path)
    if not path.is_file():
        raise FileRefused(_("No se encuentra el archivo %(path)s.") % {"path": path})
    sha256, size = file_digest(path)
    parsed = ParsedFile(dataset_key=dataset_key, path=path, sha256=sha256, size=size)
    seen: dict[tuple, int] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise FileRefused(_("El archivo está vacío."))
            header = [h.strip() for h in header]
            missing = [name for name in required if name not in header]
            if missing:
                raise FileRefused(_("Faltan columnas en el encabezado: %(cols)s. Encabezado leído: %(header)s.")
                                  % {"cols": ", ".join(missing), "header": ", ".join(header)[:300]})
            width = len(header)
            for values in reader:
                line = reader.line_num
                if not any(v.strip() for v in values):
                    continue  # blank line
                parsed.rows_read += 1
                if progress and stdout is not None and parsed.rows_read % PROGRESS_EVERY == 0:
                    stdout.write(f"    {parsed.rows_read:,} rows read…")
                raw = ",".join(values)[:500]
                if len(values) != width:
                    parsed.rejects.append(Reject(line, _("Se esperaban %(n)d columnas y hay %(m)d.")
                                                 % {"n": width, "m": len(values)}, raw))
                    continue
                row = {name: value.strip() for name, value in zip(header, values, strict=True)}
                try:
                    obj = parse_row(row, line)
                except RowError as exc:
                    parsed.rejects.append(Reject(line, str(exc.args[0])[:300], raw))
                    continue
                if key is not None:
                    k = key(obj)
                    if k in seen:
                        parsed.rejects.append(Reject(line, _("Fila repetida: la misma clave ya está en la línea %(line)d.")
                                                     % {"line": seen[k]}, raw))
                        continue
                    seen[k] = line
                parsed.objects.append(obj)
    except UnicodeDecodeError as exc:
        raise FileRefused(_("El archivo no es texto UTF-8 (byte %(pos)d).") % {"pos": exc.start})
    except csv.Error as exc:
        raise FileRefused(_("CSV mal formado: %(error)s") % {"error": exc})
    if parsed.rows_read == 0:
        raise FileRefused(_("El archivo no tiene filas de datos."))
    if len(parsed.rejects) > parsed.rows_read * max_reject_share:
        first = "; ".join(f"{r.line}: {r.reason}" for r in parsed.rejects[:5])
        raise FileRefused(
            _("Se rechazarían %(bad)d de %(total)d filas (más del %(share)s %%): no se carga nada. Primeras: %(first)s")
            % {"bad": len(parsed.rejects), "total": parsed.rows_read, "share": f"{max_reject_share * 100:g}",
               "first": first})
    return parsed


# Field checks shared by the parsers: each raises RowError with a reason people can act on.

def area_code(value: str, known: Iterable[str] | None, column: str) -> str:
    code = value.strip().upper()
    if len(code) != CODE_LENGTH or not code.isascii() or not code.isalpha():
        raise RowError(_("%(col)s: «%(value)s» no es un código de tres letras.") % {"col": column, "value": value[:20]})
    if known is not None and code not in known:
        raise RowError(_("%(col)s: código de país o zona desconocido «%(value)s».") % {"col": column, "value": code})
    return code


def year_value(value: str, low: int, high: int, column: str = "year") -> int:
    try:
        year = int(value)
    except ValueError:
        raise RowError(_("%(col)s: «%(value)s» no es un año.") % {"col": column, "value": value[:20]})
    if not low <= year <= high:
        raise RowError(_("%(col)s: el año %(year)d está fuera del periodo %(low)d–%(high)d.")
                       % {"col": column, "year": year, "low": low, "high": high})
    return year


def count_value(value: str, column: str) -> int:
    """A non-negative whole number (a published "1234.0" is accepted; "12.5" is not)."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RowError(_("%(col)s: «%(value)s» no es un número.") % {"col": column, "value": value[:20]})
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise RowError(_("%(col)s: «%(value)s» no es un número entero positivo.") % {"col": column, "value": value[:20]})
    return int(number)


def decimal_value(value: str, column: str, places: int) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RowError(_("%(col)s: «%(value)s» no es un número.") % {"col": column, "value": value[:20]})
    if not number.is_finite() or number < 0:
        raise RowError(_("%(col)s: «%(value)s» no es un número positivo.") % {"col": column, "value": value[:20]})
    if number != round(number, places):
        raise RowError(_("%(col)s: «%(value)s» tiene más de %(n)d decimales.") % {"col": column, "value": value[:20],
                                                                              "n": places})
    return number


def float_value(value: str, column: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise RowError(_("%(col)s: «%(value)s» no es un número.") % {"col": column, "value": value[:20]})
    if not math.isfinite(number):
        raise RowError(_("%(col)s: «%(value)s» no es un número finito.") % {"col": column, "value": value[:20]})
    return number


def choice_value(value: str, choices: dict[str, str], column: str) -> str:
    if value not in choices:
        raise RowError(_("%(col)s: «%(value)s» no es un valor admitido (%(allowed)s).")
                       % {"col": column, "value": value[:20], "allowed": ", ".join(choices)})
    return choices[value]
