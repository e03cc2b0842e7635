"""Bulk upload of worker profiles (CSV or XLSX), validated row by row with ``WorkerForm``.

Two modes, chosen by the official on the upload page and stored on the BulkUpload:
- all-or-nothing (default): if any row is rejected, nothing is saved and the report lists every reason;
  the official corrects the file and uploads it again;
- valid rows only: the valid rows are saved, the rejected ones are listed to be fixed and re-uploaded.
Either way the whole upload is one transaction: an unexpected error saves no profile at all.
Uploading the same file twice creates nothing the second time (every row is then a duplicate).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from temporada.core.audit import EventType, record

from ..forms import LANGUAGE_ROWS, OCCUPATION_ROWS, PARTICIPATION_ROWS, FormContext, WorkerForm
from ..models import BulkUpload, UploadRejection, Worker
from ..pii import lookup_hash, normalise_document

MAX_ROWS = 10_000
MAX_BYTES = 10 * 1024 * 1024
MULTI_VALUE = {"preferred_programmes", "preferred_destinations"}
REQUIRED_COLUMNS = ["given_names", "family_names", "birth_date", "sex", "national_id", "isco_1",
                    "consent_registry", "consent_date"]


def columns() -> list[str]:
    """Columns of the template, in order (= WorkerForm field names)."""
    cols = ["given_names", "family_names", "birth_date", "sex", "nationality", "national_id", "passport_number",
            "passport_expiry", "phone", "email", "residence_subdivision", "residence_locality", "education_level"]
    for i in range(1, LANGUAGE_ROWS + 1):
        cols += [f"language_{i}", f"level_{i}"]
    for i in range(1, OCCUPATION_ROWS + 1):
        cols += [f"isco_{i}", f"years_{i}", f"experience_{i}"]
    cols += ["skills", "certificates", "available_from", "available_until", "preferred_programmes",
             "preferred_destinations"]
    for i in range(1, PARTICIPATION_ROWS + 1):
        cols += [f"past_programme_{i}", f"past_destination_{i}", f"past_employer_{i}", f"past_season_{i}",
                 f"past_returned_{i}"]
    cols += ["consent_registry", "consent_matching", "consent_date", "documents_verified"]
    return cols


class FileProblem(ValueError):
    """The file as a whole cannot be read (wrong type, encoding, header)."""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(file_name: str, content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, cells) of a CSV or XLSX file; row 1 is the header."""
    if len(content) > MAX_BYTES:
        raise FileProblem(_("El archivo pasa de 10 MB: divídalo en varios."))
    name = file_name.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _read_csv(content)
    else:
        raise FileProblem(_("Tipo de archivo no admitido: suba un .csv o un .xlsx."))
    if not rows:
        raise FileProblem(_("El archivo está vacío."))
    header = [h.strip().lower() for h in rows[0]]
    body = [(number, cells) for number, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)]
    if len(body) > MAX_ROWS:
        raise FileProblem(_("El archivo tiene %(n)s filas; el máximo es %(max)s por archivo.")
                          % {"n": len(body), "max": MAX_ROWS})
    return header, body


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(_("El CSV no está en UTF-8. Guárdelo como «CSV UTF-8» y súbalo de nuevo."))
    if "\x00" in text:
        raise FileProblem(_("El archivo no es un CSV de texto."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(content: bytes) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise FileProblem(_("No se pudo abrir el XLSX: ¿está dañado o es otro tipo de archivo?"))
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _check_header(header: list[str]) -> None:
    known = set(columns())
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise FileProblem(_("Columnas desconocidas: %(cols)s. Use la plantilla.") % {"cols": ", ".join(unknown[:10])})
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FileProblem(_("Faltan columnas obligatorias: %(cols)s.") % {"cols": ", ".join(missing)})
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise FileProblem(_("Columnas repetidas: %(cols)s.") % {"cols": ", ".join(repeated)})


def _row_data(header, cells, country) -> MultiValueDict:
    data = MultiValueDict()
    for column, value in zip(header, cells, strict=False):
        if not column:
            continue
        if column in MULTI_VALUE:
            data.setlist(column, [v.strip() for v in value.replace(",", ";").split(";") if v.strip()])
        else:
            data[column] = value
    if not data.get("nationality"):
        data["nationality"] = country
    else:
        data["nationality"] = data["nationality"].upper()
    return data


def _errors(form) -> list[tuple[str, str]]:
    out = []
    for field, messages in form.errors.items():
        for message in messages:
            out.append(("" if field == "__all__" else field, str(message)))
    return out


@transaction.atomic
def upload_workers(*, actor, country: str, file_name: str, content: bytes, mode: str, request=None) -> BulkUpload:
    """Validate a bulk file of ``country``'s nationals and save it according to ``mode``; returns the report."""
    from ..services import _build, _can

    if not _can(actor, "create", nationality=country):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    upload = BulkUpload.objects.create(
        country_id=country, file_name=file_name[:255], file_sha256=hashlib.sha256(content).hexdigest(),
        mode=mode if mode in BulkUpload.Mode.values else BulkUpload.Mode.ALL_OR_NOTHING,
        status=BulkUpload.Status.REJECTED, created_by=actor,
    )
    try:
        header, rows = read_table(file_name, content)
        _check_header(header)
    except FileProblem as exc:
        upload.error = str(exc)[:500]
        upload.save(update_fields=["error"])
        _audit(actor, upload, request)
        return upload

    context = FormContext.build({country})
    rejections: dict[int, list[tuple[str, str]]] = defaultdict(list)
    valid: dict[int, dict] = {}
    for number, cells in rows:
        data = _row_data(header, cells, country)
        if data.get("nationality") != country:
            rejections[number].append(("nationality", _(
                "Nacional de otro país (%(code)s): solo puede subir perfiles de nacionales de %(country)s.")
                % {"code": data.get("nationality"), "country": country}))
            continue
        form = WorkerForm(data=data, context=context)
        if form.is_valid():
            valid[number] = form.cleaned_data
        else:
            rejections[number].extend(_errors(form))
    _reject_in_file_duplicates(rows, header, country, valid, rejections)

    upload.rows_total = len(rows)
    if rejections and upload.mode == BulkUpload.Mode.ALL_OR_NOTHING:
        valid = {}
    created = 0
    if valid:
        try:
            with transaction.atomic():
                for number in sorted(valid):
                    _build(actor=actor, data=valid[number], origin=Worker.Origin.UPLOAD, upload=upload)
                    created += 1
        except IntegrityError:
            # another upload registered the same person meanwhile: save nothing, ask to retry
            created = 0
            upload.error = _("Otro registro con los mismos documentos se guardó al mismo tiempo; suba el archivo de nuevo.")
    upload.rows_created = created
    upload.rows_rejected = len(rejections)
    if created and rejections:
        upload.status = BulkUpload.Status.PARTIAL
    elif created:
        upload.status = BulkUpload.Status.SAVED
    upload.save()
    UploadRejection.objects.bulk_create([
        UploadRejection(upload=upload, row_number=number, column=column[:60], reason=reason[:500])
        for number in sorted(rejections) for column, reason in rejections[number]
    ])
    _audit(actor, upload, request)
    return upload


def _reject_in_file_duplicates(rows, header, country, valid, rejections) -> None:
    """The same national id (or passport) twice in one file: every occurrence is rejected, since we cannot
    know which one is right."""
    for column, kind in (("national_id", "national_id"), ("passport_number", "passport")):
        if column not in header:
            continue
        index = header.index(column)
        seen: dict[str, list[int]] = defaultdict(list)
        for number, cells in rows:
            value = cells[index] if index < len(cells) else ""
            if normalise_document(value):
                seen[lookup_hash(kind, country, value)].append(number)
        for numbers in seen.values():
            if len(numbers) < 2:
                continue
            for number in numbers:
                others = ", ".join(str(n) for n in numbers if n != number)
                message = (_("El mismo documento de identidad aparece también en la fila %(rows)s.") if kind == "national_id"
                           else _("El mismo pasaporte aparece también en la fila %(rows)s.")) % {"rows": others}
                rejections[number].append((column, message))
                valid.pop(number, None)


def _audit(actor, upload, request) -> None:
    record(type=EventType.WORKER_BULK_UPLOADED, actor=actor, obj=upload, country=upload.country_id, request=request,
           details={"file": upload.file_name, "sha256": upload.file_sha256, "mode": upload.mode,
                    "status": upload.status, "rows": upload.rows_total, "created": upload.rows_created,
                    "rejected": upload.rows_rejected, "error": upload.error})


def template_rows() -> list[list[str]]:
    """An example row for the template's instructions sheet (a fictitious person, not a real document)."""
    example = {
        "given_names": "Ana María", "family_names": "López Pérez", "birth_date": "1995-04-12", "sex": "F",
        "nationality": "GTM", "national_id": "1234 56789 0101", "passport_number": "", "passport_expiry": "",
        "phone": "+502 5555 0000", "residence_subdivision": "GT-13", "residence_locality": "Chiantla",
        "education_level": "1", "language_1": "es", "level_1": "native", "language_2": "mam", "level_2": "native",
        "isco_1": "9211", "years_1": "6", "experience_1": "Cosecha de café y hortalizas",
        "available_from": "2027-03-01", "available_until": "2027-10-31", "preferred_destinations": "USA;CAN",
        "consent_registry": "sí", "consent_matching": "sí", "consent_date": "2026-11-02", "documents_verified": "no",
    }
    return [[example.get(col, "") for col in columns()]]
