from django import forms
from django.utils.translation import gettext_lazy as _

from temporada.core.models import Country

from .models import BestPractice, LegalInstrument, Modality, Procedure, Programme, Sector

FORMATS = [("csv", "CSV"), ("json", "JSON")]


def _countries():
    return [("", _("Todos"))] + [(c.iso3, str(c)) for c in Country.objects.order_by("name_es")]


class ProgrammeSearchForm(forms.Form):
    q = forms.CharField(label=_("Nombre o sigla"), required=False, max_length=100)
    origin = forms.ChoiceField(label=_("País de origen"), required=False)
    destination = forms.ChoiceField(label=_("País de destino"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False,
                               choices=[("", _("Todos"))] + [c for c in Sector.choices if c[0] != "any"])
    occupation = forms.RegexField(label=_("Ocupación (código CIUO-08)"), required=False, regex=r"^\d{1,4}$",
                                  max_length=4, error_messages={"invalid": _("Escriba de 1 a 4 cifras, p. ej. 92 o 9211.")})
    duration = forms.ChoiceField(label=_("Estancia máxima"), required=False, choices=[
        ("", _("Cualquiera")), ("short", _("Hasta 6 meses")), ("medium", _("De 7 a 12 meses")), ("long", _("Más de 12 meses"))])
    modality = forms.ChoiceField(label=_("Modalidad"), required=False, choices=[("", _("Todas"))] + Modality.choices)
    status = forms.ChoiceField(label=_("Situación"), required=False,
                               choices=[("", _("Todas"))] + Programme.Status.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = _countries()
        self.fields["origin"].choices = countries
        self.fields["destination"].choices = countries

    def impossible_reason(self):
        """A combination that cannot match anything (explained instead of an empty table)."""
        data = self.cleaned_data
        if data.get("origin") and data.get("origin") == data.get("destination"):
            return _("El país de origen y el de destino son el mismo: un programa de trabajo temporal lleva a otro país.")
        return ""


class InstrumentFilterForm(forms.Form):
    modality = forms.ChoiceField(label=_("Modalidad"), required=False, choices=[("", _("Todas"))] + Modality.choices)
    country = forms.ChoiceField(label=_("País parte"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _countries()


class ProgrammeEditForm(forms.ModelForm):
    official_url = forms.URLField(label=_("Página oficial"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Programme
        fields = ["name_es", "name_en", "name_fr", "description_es", "description_en", "description_fr",
                  "destination_agencies", "origin_agencies", "max_stay_months", "status", "start_year", "end_year",
                  "official_url",
                  *[f"{f}_{lang}" for f in Programme.TRANSLATED_FACTS for lang in ("es", "en", "fr")]]


class InstrumentEditForm(forms.ModelForm):
    official_url = forms.URLField(label=_("Texto oficial"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = LegalInstrument
        fields = ["title_es", "title_en", "title_fr", "summary_es", "summary_en", "summary_fr",
                  "obligations_es", "obligations_en", "obligations_fr", "adoption_date", "adoption_year",
                  "entry_into_force", "official_url"]


class ProcedureEditForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["summary_es", "summary_en", "summary_fr"]


class BestPracticeForm(forms.Form):
    country = forms.ChoiceField(label=_("País"))
    programme = forms.ModelChoiceField(label=_("Programa"), queryset=Programme.objects.none(), required=False)
    topic = forms.ChoiceField(label=_("Tema"), choices=BestPractice.Topic.choices)
    language = forms.ChoiceField(label=_("Idioma del texto"), choices=[("es", "Español"), ("en", "English"), ("fr", "Français")])
    title = forms.CharField(label=_("Título"), max_length=BestPractice.TITLE_MAX)
    text = forms.CharField(label=_("Descripción"), widget=forms.Textarea, max_length=BestPractice.TEXT_MAX)
    evidence = forms.CharField(label=_("Evidencia"), widget=forms.Textarea, required=False,
                               max_length=BestPractice.EVIDENCE_MAX)
    evidence_url = forms.URLField(label=_("Enlace a la evidencia"), required=False, max_length=500,
                                  assume_scheme="https")

    def __init__(self, *args, user=None, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = sorted(user.country_codes) if user is not None and user.is_authenticated else []
        names = dict(Country.objects.filter(iso3__in=codes).values_list("iso3", "name_es"))
        self.fields["country"].choices = [(c, names.get(c, c)) for c in codes]
        if programmes is not None:
            self.fields["programme"].queryset = programmes


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", _("Publicar")), ("reject", _("Rechazar"))])
    note = forms.CharField(label=_("Nota"), required=False, max_length=500)
