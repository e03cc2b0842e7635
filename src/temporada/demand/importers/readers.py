"""Opening an official file as a table of cells: xlsx/xls through calamine, CSV (plain or gzip) through
the csv module, JSON arrays of records. The content is sniffed, never trusted from the file name, and
every failure becomes an ``ImportFileError`` whose message tells the official what is wrong.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
GZIP_MAGIC = b"\x1f\x8b"

# Decompressed gzip may not grow beyond this multiple of the upload cap (a "zip bomb" stops early).
GZIP_EXPANSION_LIMIT = 12


class ImportFileError(ValueError):
    """The file cannot be imported as it is; the message is shown to the official as is."""


@dataclass
class Table:
    """Header and rows of the first sheet / the CSV / the JSON records. Rows carry their number in
    the file (1 = header), so every rejection can point at the line a person would open."""

    header: list[str]
    rows: Iterator[tuple[int, list]]
    total: int
    sheet_name: str = ""
    file_format: str = ""
    notes: list[str] = field(default_factory=list)


def sniff(path: Path) -> str:
    """What the bytes say the file is: xlsx, xls, gzip, json, text or binary."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if b"\x00" in head:
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "text"


def check_size(path: Path) -> int:
    """Refuse files above the configured cap before reading a byte of them."""
    size = os.path.getsize(path)
    cap = settings.TEMPORADA_MAX_UPLOAD_BYTES
    if size > cap:
        raise ImportFileError(
            f"The file is {size / 1e6:.1f} MB, above the {cap / 1e6:.0f} MB limit for imports "
            f"(TEMPORADA_MAX_UPLOAD_BYTES). Nothing was read."
        )
    if size == 0:
        raise ImportFileError("The file is empty.")
    return size


def _header(cells) -> list[str]:
    return [str(c).strip() if c is not None else "" for c in cells]


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def open_spreadsheet(path: Path) -> Table:
    """First sheet of an xlsx/xls workbook, read with calamine (typed cells: str, float, date, datetime)."""
    kind = sniff(path)
    if kind not in ("xlsx", "xls"):
        raise ImportFileError(
            f"This is not a spreadsheet (xlsx or xls): its content looks like {kind}. "
            "Upload the file as published by the Department of Labor."
        )
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise ImportFileError("The workbook has no sheet.")
        sheet = workbook.get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise ImportFileError(f"The spreadsheet is damaged or truncated and cannot be read ({exc}).")
    except (ValueError, OSError) as exc:
        raise ImportFileError(f"The spreadsheet cannot be read ({exc}).")
    start = 0
    while start < len(cells) and _blank(cells[start]):
        start += 1
    if start >= len(cells):
        raise ImportFileError("The first sheet is empty: no header row.")
    header = _header(cells[start])
    body = cells[start + 1:]
    total = len(body)
    while total and _blank(body[total - 1]):
        total -= 1

    def rows():
        for index in range(total):
            values = body[index]
            if _blank(values):
                continue
            yield start + index + 2, list(values)

    return Table(header=header, rows=rows(), total=total, sheet_name=workbook.sheet_names[0], file_format=kind)


class _LimitedReader(io.RawIOBase):
    """Stops a decompression that grows past ``limit`` bytes."""

    def __init__(self, raw, limit: int):
        self.raw, self.limit, self.read_bytes = raw, limit, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            raise ImportFileError("The compressed file expands beyond the size limit for imports.")
        buffer[: len(data)] = data
        return len(data)


def _text_stream(path: Path):
    kind = sniff(path)
    if kind == "gzip":
        limit = settings.TEMPORADA_MAX_UPLOAD_BYTES * GZIP_EXPANSION_LIMIT
        raw = io.BufferedReader(_LimitedReader(gzip.open(path, "rb"), limit), buffer_size=1 << 20)
    elif kind in ("text", "json"):
        raw = open(path, "rb")  # noqa: SIM115 - wrapped and closed by the caller
    else:
        raise ImportFileError(
            f"This is not a CSV text file: its content looks like {kind}. Upload the CSV (or .csv.gz) as published."
        )
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")


def _decode_error(exc: UnicodeDecodeError, row: int | None = None) -> ImportFileError:
    where = f" near row {row}" if row else ""
    return ImportFileError(
        f"The file is not UTF-8 text{where} (byte 0x{exc.object[exc.start]:02x} cannot be decoded). "
        "Save it as UTF-8 CSV and upload it again; nothing was imported."
    )


def open_csv(path: Path) -> Table:
    """A CSV (or gzip CSV) as published: UTF-8 (a BOM is fine), comma separated, first line = header."""
    csv.field_size_limit(10 * 1024 * 1024)
    total = 0
    try:
        with _text_stream(path) as handle:
            reader = csv.reader(handle)
            try:
                header = _header(next(reader))
            except StopIteration:
                raise ImportFileError("The CSV is empty: no header row.")
            for record in reader:
                if record and any(cell.strip() for cell in record):
                    total += 1
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, total + 2)
    except (csv.Error, EOFError, OSError, gzip.BadGzipFile) as exc:
        raise ImportFileError(f"The CSV cannot be read near row {total + 2} ({exc}).")
    if len(header) < 2:
        raise ImportFileError("The first line is not a comma-separated header (fewer than two columns).")

    def rows():
        number = 1
        try:
            with _text_stream(path) as handle:
                reader = csv.reader(handle)
                next(reader)
                for record in reader:
                    number = reader.line_num
                    if not record or not any(cell.strip() for cell in record):
                        continue
                    yield number, record
        except UnicodeDecodeError as exc:
            raise _decode_error(exc, number + 1)
        except (csv.Error, EOFError, OSError, gzip.BadGzipFile) as exc:
            raise ImportFileError(f"The CSV cannot be read near row {number + 1} ({exc}).")

    return Table(header=header, rows=rows(), total=total, file_format="csv")


def open_json_records(path: Path) -> Table:
    """Records in the shape of the DOL datahub API: a JSON array of objects, or an object whose "value"
    holds that array (OData style). Keys are the same names as the CSV columns. Values may be typed
    (numbers, booleans, null); they are turned back into the text the CSV would have."""
    try:
        with _text_stream(path) as handle:
            document = json.load(handle)
    except UnicodeDecodeError as exc:
        raise _decode_error(exc)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).")
    except (EOFError, OSError, gzip.BadGzipFile) as exc:
        raise ImportFileError(f"The JSON file cannot be read ({exc}).")
    records = document.get("value") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise ImportFileError('Expected a JSON array of job orders, or an object with a "value" array.')
    header: list[str] = []
    seen = set()
    for record in records:
        if isinstance(record, dict):
            for key in record:
                if key not in seen:
                    seen.add(key)
                    header.append(str(key))

    def as_text(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "True" if value else "False"
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)

    def rows():
        for index, record in enumerate(records):
            # Record n gets row n + 1, as it would in the CSV export of the same data.
            if not isinstance(record, dict):
                yield index + 2, None
                continue
            yield index + 2, [as_text(record.get(key)) for key in header]

    return Table(header=header, rows=rows(), total=len(records), file_format="json")
