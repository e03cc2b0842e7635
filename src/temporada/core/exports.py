"""CSV / XLSX / JSON exports. Text cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Numbers stay numbers; text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """Stream a CSV (UTF-8 with BOM so spreadsheets detect the encoding)."""
    writer = csv.writer(_Echo())

    def generate():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(header))
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def json_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    data = [dict(zip(header, row, strict=False)) for row in rows]
    response = HttpResponse(
        json.dumps(data, default=_json_default, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(fmt: str, basename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """Dispatch on ``fmt`` (csv, xlsx, json); anything else is a ValueError for the view to turn into 400."""
    if fmt == "csv":
        return csv_response(f"{basename}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{basename}.xlsx", header, rows)
    if fmt == "json":
        return json_response(f"{basename}.json", header, rows)
    raise ValueError(f"unsupported export format {fmt!r}")
