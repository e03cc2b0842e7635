"""Validation of every request parameter (pages and API share these forms): known codes only,
years inside the data, and a cap on how much one request may ask for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .importers.files import STOCK_YEARS

MAX_INDICATORS = 3
MAX_COUNTRIES = 12
MAX_CELLS = 2_000  # indicators × countries × years in one request
YEAR_MIN, YEAR_MAX = 1950, 2030

# Series of the explorer that are not World Bank codes: computed from the UN files.
STOCK_SERIES = {
    "emigrants": gettext_lazy("Emigrantes (stock, ONU DAES)"),
    "immigrants": gettext_lazy("Inmigrantes (stock, ONU DAES)"),
    "population": gettext_lazy("Población (miles, ONU WPP 2022)"),
}

SEX_CHOICES = [("total", gettext_lazy("Total")), ("female", gettext_lazy("Mujeres")), ("male", gettext_lazy("Hombres"))]
SCOPE_CHOICES = [("rcm", gettext_lazy("Entre países de la CRM")),
                 ("world", gettext_lazy("Con todos los países (elija un país)"))]


def _codes(values) -> list[str]:
    """Codes as typed, upper-cased and de-duplicated in order; commas are accepted as separators."""
    out = []
    for value in values:
        for part in str(value).split(","):
            code = part.strip().upper()
            if code and code not in out:
                out.append(code)
    return out


class ExplorerForm(forms.Form):
    indicator = forms.CharField(label=gettext_lazy("Indicador"), required=False)
    country = forms.CharField(label=gettext_lazy("Países"), required=False)
    start = forms.IntegerField(label=gettext_lazy("Desde el año"), required=False)
    end = forms.IntegerField(label=gettext_lazy("Hasta el año"), required=False)

    def __init__(self, data, *, indicators: dict[str, str], countries: set[str], bounds: dict[str, tuple[int, int]]):
        """``data``: a QueryDict (lists kept); ``indicators``: code → label; ``bounds``: code → (first, last year)."""
        self.raw_indicators = _codes_lower(data.getlist("indicator")) if data is not None else []
        self.raw_countries = _codes(data.getlist("country")) if data is not None else []
        flat = None
        if data is not None:
            flat = {"start": data.get("start", ""), "end": data.get("end", ""),
                    "indicator": ",".join(self.raw_indicators), "country": ",".join(self.raw_countries)}
        super().__init__(flat)
        self.known_indicators = indicators
        self.known_countries = countries
        self.bounds = bounds

    def clean(self):
        data = super().clean()
        codes, countries = self.raw_indicators, self.raw_countries
        if not codes:
            self.add_error("indicator", _("Elija un indicador."))
        elif any(c in ("all", "*") for c in codes):
            self.add_error("indicator", _("No se pueden pedir todos los indicadores a la vez: elija como máximo %(n)d.")
                           % {"n": MAX_INDICATORS})
        else:
            unknown = [c for c in codes if c not in self.known_indicators]
            if unknown:
                self.add_error("indicator", _("Indicador desconocido: %(codes)s. Disponibles: %(known)s.")
                               % {"codes": ", ".join(unknown)[:100], "known": ", ".join(sorted(self.known_indicators))})
            elif len(codes) > MAX_INDICATORS:
                self.add_error("indicator", _("Demasiados indicadores (%(n)d): como máximo %(max)d por consulta.")
                               % {"n": len(codes), "max": MAX_INDICATORS})
        if not countries:
            self.add_error("country", _("Elija al menos un país."))
        else:
            unknown = [c for c in countries if c not in self.known_countries]
            if unknown:
                self.add_error("country", _("Código de país desconocido: %(codes)s (use códigos ISO de tres letras, "
                                            "p. ej. GTM).") % {"codes": ", ".join(unknown)[:100]})
            elif len(countries) > MAX_COUNTRIES:
                self.add_error("country", _("Demasiados países (%(n)d): como máximo %(max)d por consulta.")
                               % {"n": len(countries), "max": MAX_COUNTRIES})
        start, end = data.get("start"), data.get("end")
        for name, year in (("start", start), ("end", end)):
            if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
                self.add_error(name, _("Año fuera de rango: %(year)d (los datos van de %(low)d a %(high)d).")
                               % {"year": year, **self._overall_bounds()})
        if start is not None and end is not None and start > end:
            self.add_error("end", _("El año final es anterior al inicial."))
        if self.errors:
            return data
        low, high = self._overall_bounds(codes).values()
        start = start if start is not None else low
        end = end if end is not None else high
        if end < low or start > high:
            self.add_error("start", _("No hay datos entre %(start)d y %(end)d: estos indicadores van de %(low)d a "
                                      "%(high)d.") % {"start": start, "end": end, "low": low, "high": high})
            return data
        cells = len(codes) * len(countries) * (end - start + 1)
        if cells > MAX_CELLS:
            self.add_error(None, _("La consulta pide %(cells)d celdas (indicadores × países × años); el máximo es "
                                   "%(max)d. Reduzca los países o el periodo.") % {"cells": cells, "max": MAX_CELLS})
        data.update({"indicators": codes, "countries": countries, "start": start, "end": end})
        return data

    def _overall_bounds(self, codes=None) -> dict:
        chosen = [self.bounds[c] for c in (codes or self.bounds) if c in self.bounds] or [(YEAR_MIN, YEAR_MAX)]
        return {"low": min(b[0] for b in chosen), "high": max(b[1] for b in chosen)}


def _codes_lower(values) -> list[str]:
    return [c.lower() for c in _codes(values)]


class CorridorForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Año"), coerce=int, required=False,
                                  choices=[(y, y) for y in STOCK_YEARS], initial=STOCK_YEARS[-1])
    sex = forms.ChoiceField(label=gettext_lazy("Sexo"), choices=SEX_CHOICES, required=False)
    scope = forms.ChoiceField(label=gettext_lazy("Alcance"), choices=SCOPE_CHOICES, required=False)
    country = forms.CharField(label=gettext_lazy("País (código ISO3, opcional)"), required=False, max_length=3)

    def __init__(self, *args, countries: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.known_countries = countries

    def clean_year(self):
        return self.cleaned_data.get("year") or STOCK_YEARS[-1]

    def clean_sex(self):
        return self.cleaned_data.get("sex") or "total"

    def clean_scope(self):
        return self.cleaned_data.get("scope") or "rcm"

    def clean_country(self):
        code = (self.cleaned_data.get("country") or "").strip().upper()
        if code and code not in self.known_countries:
            raise forms.ValidationError(_("Código de país desconocido: %(code)s.") % {"code": code})
        return code

    def clean(self):
        data = super().clean()
        if data.get("scope") == "world" and not data.get("country") and "country" not in self.errors:
            self.add_error("country", _("Para ver los corredores con todos los países, elija un país."))
        return data


class YearForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, required=False, choices=[(y, y) for y in STOCK_YEARS])

    def clean_year(self):
        return self.cleaned_data.get("year") or None


def year_error_message() -> str:
    return _("Año no disponible: los stocks de migrantes existen para %(years)s.") % {
        "years": ", ".join(str(y) for y in STOCK_YEARS)}


class DatasetEditForm(forms.ModelForm):
    """Catalogue metadata an administrator may correct (counts and dates come from the imports)."""

    source_url = forms.URLField(label=gettext_lazy("Fuente (dirección)"), max_length=500, assume_scheme="https")
    licence_url = forms.URLField(label=gettext_lazy("Texto de la licencia (dirección)"), max_length=300,
                                 assume_scheme="https")

    class Meta:
        from .models import Dataset

        model = Dataset
        fields = ["title_es", "title_en", "title_fr", "description_es", "description_en", "description_fr",
                  "publisher", "source_url", "licence_name", "licence_url", "version"]
        labels = {"title_es": gettext_lazy("Título (es)"), "title_en": gettext_lazy("Título (en)"),
                  "title_fr": gettext_lazy("Título (fr)"), "description_es": gettext_lazy("Descripción (es)"),
                  "description_en": gettext_lazy("Descripción (en)"), "description_fr": gettext_lazy("Descripción (fr)")}
