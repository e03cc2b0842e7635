"""Forms of the demand app: job-order filters (shared by the list page, its exports and the API) and the
upload of an official file."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import JobOrder, Programme, Source

OCCUPATION_PATTERN = re.compile(r"^[0-9A-Za-z.\-]{1,12}$")


class JobOrderFilterForm(forms.Form):
    """Every filter is optional; invalid values are errors (422 in the API), never ignored."""

    programme = forms.ChoiceField(label=_("Programa"), required=False, choices=[("", _("Todos"))] + Programme.choices)
    fiscal_year = forms.IntegerField(label=_("Año fiscal"), required=False, min_value=1990, max_value=2100)
    subdivision = forms.CharField(
        label=_("Estado o provincia"), required=False, max_length=8,
        help_text=_("Código ISO 3166-2, p. ej. US-NC o CA-ON"),
    )
    occupation = forms.CharField(
        label=_("Ocupación"), required=False, max_length=12,
        help_text=_("Código publicado (SOC, NOC) o CIUO-08; vale el comienzo del código, p. ej. 45-2092 o 92"),
    )
    employer = forms.CharField(label=_("Empleador"), required=False, max_length=100)
    source = forms.ChoiceField(
        label=_("Fuente"), required=False,
        choices=[("", _("Todas"))] + [c for c in Source.choices if c[0] != Source.SYNTHETIC],
    )
    status = forms.ChoiceField(
        label=_("Estado"), required=False, choices=[("", _("Todos"))] + JobOrder.StatusCategory.choices
    )
    primary_only = forms.BooleanField(
        label=_("Solo las filas que cuentan en los totales oficiales"), required=False,
        help_text=_("Deja fuera las filas repetidas de los miembros de asociaciones (archivos H-2A anteriores a 2020)"),
    )

    def clean_subdivision(self):
        value = self.cleaned_data["subdivision"].strip().upper()
        if value and not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", value):
            raise forms.ValidationError(_("Use un código ISO 3166-2, p. ej. US-NC."))
        return value

    def clean_occupation(self):
        value = self.cleaned_data["occupation"].strip()
        if value and not OCCUPATION_PATTERN.match(value):
            raise forms.ValidationError(_("Solo cifras, letras, puntos y guiones."))
        return value

    def clean_employer(self):
        return " ".join(self.cleaned_data["employer"].split())


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de archivo"))
    file = forms.FileField(
        label=_("Archivo oficial"),
        help_text=_("Tal como lo publica la autoridad: xlsx/xls (OFLC), CSV o CSV.gz (SeasonalJobs, EIMT), JSON (API)."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.kind, f"{k.kind} — {k.help}") for k in kinds]
        self.kinds = {k.kind: k for k in kinds}
        cap = settings.TEMPORADA_MAX_UPLOAD_BYTES
        self.fields["file"].help_text = _("%(help)s Tamaño máximo: %(mb)d MB.") % {
            "help": self.fields["file"].help_text, "mb": cap // (1024 * 1024)}

    def clean(self):
        data = super().clean()
        uploaded, kind = data.get("file"), data.get("kind")
        if not uploaded or not kind:
            return data
        if uploaded.size > settings.TEMPORADA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("El archivo supera el tamaño máximo permitido."))
        if uploaded.size == 0:
            raise forms.ValidationError(_("El archivo está vacío."))
        detected = sniff_upload(uploaded)
        allowed = self.kinds[kind].formats
        if detected not in allowed:
            raise forms.ValidationError(
                _("El contenido del archivo no corresponde a este tipo: se esperaba %(expected)s y parece %(found)s.")
                % {"expected": " / ".join(allowed), "found": detected or _("desconocido")}
            )
        return data


def sniff_upload(uploaded) -> str:
    """xlsx, xls, gzip, json, csv or binary, from the first bytes of an uploaded file."""
    from .importers.readers import GZIP_MAGIC, OLE_MAGIC, ZIP_MAGIC

    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
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
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Only a character cut by the end of the 8 KB sample is forgiven.
        if exc.reason != "unexpected end of data" or len(head) < 8192:
            return "text (not UTF-8)"
    return "csv"
