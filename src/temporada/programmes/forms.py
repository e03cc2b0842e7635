from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from temporada.core.models import Country

from .models import BestPractice, FeePayer, LegalInstrument, Modality, Procedure, Programme, Sector

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


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("La fecha de verificación no puede estar en el futuro."))


class SourceFields(forms.Form):
    """Where the changed facts come from: kept as their citation."""

    source_url = forms.URLField(label=_("Fuente de los datos modificados (dirección)"), required=False, max_length=500,
                                assume_scheme="https",
                                help_text=_("Obligatoria si cambia un dato; los datos sin fuente se muestran como no verificados."))
    source_title = forms.CharField(label=_("Título de la fuente"), required=False, max_length=300)
    checked_on = forms.DateField(label=_("Verificado el"), required=False, validators=[_not_in_future],
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def source_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"source_url": data.get("source_url", ""), "source_title": data.get("source_title", ""),
                "checked_on": data.get("checked_on")}


ISCO_LIST = r"^\s*(\d{1,4}\s*(,\s*\d{1,4}\s*)*)?$"


class ProgrammeEditForm(forms.ModelForm, SourceFields):
    official_url = forms.URLField(label=_("Página oficial"), required=False, max_length=500, assume_scheme="https")
    sector_list = forms.MultipleChoiceField(label=_("Sectores"), required=False, choices=Sector.choices,
                                            widget=forms.CheckboxSelectMultiple)
    isco_list = forms.RegexField(label=_("Ocupaciones (códigos CIUO-08 separados por comas)"), required=False,
                                 regex=ISCO_LIST, max_length=200,
                                 error_messages={"invalid": _("Escriba códigos de 1 a 4 cifras separados por comas.")})
    origin_list = forms.MultipleChoiceField(label=_("Países de origen elegibles"), required=False,
                                            widget=forms.SelectMultiple(attrs={"size": 8}))
    family_choice = forms.ChoiceField(label=_("La familia puede acompañar"), required=False, choices=[
        ("", _("No verificado")), ("yes", _("Sí")), ("no", _("No"))])

    class Meta:
        model = Programme
        fields = ["name_es", "name_en", "name_fr", "description_es", "description_en", "description_fr",
                  "destination_agencies", "origin_agencies", "eligible_origins_open", "eligible_list_name",
                  "eligible_list_year", "eligible_list_partial", "max_stay_months", "status", "start_year", "end_year",
                  "official_url",
                  *[f"{f}_{lang}" for f in Programme.TRANSLATED_FACTS for lang in ("es", "en", "fr")]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_list"].choices = [(c.iso3, str(c)) for c in Country.objects.order_by("name_es")]
        if self.instance.pk and not self.is_bound:
            self.initial.update(
                sector_list=self.instance.sectors, isco_list=", ".join(self.instance.isco_codes),
                origin_list=list(self.instance.eligible_origins.values_list("iso3", flat=True)),
                family_choice={True: "yes", False: "no"}.get(self.instance.family_accompany, ""))

    def clean(self):
        data = super().clean()
        if data.get("start_year") and data.get("end_year") and data["end_year"] < data["start_year"]:
            self.add_error("end_year", _("El año de fin no puede ser anterior al de inicio."))
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        out = {name: data[name] for name in self.Meta.fields}
        out["sectors"] = list(data.get("sector_list") or [])
        out["isco_codes"] = [c.strip() for c in (data.get("isco_list") or "").split(",") if c.strip()]
        out["eligible_origins"] = list(data.get("origin_list") or [])
        out["family_accompany"] = {"yes": True, "no": False}.get(data.get("family_choice"))
        return out


class InstrumentEditForm(forms.ModelForm, SourceFields):
    official_url = forms.URLField(label=_("Texto oficial"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = LegalInstrument
        fields = ["title_es", "title_en", "title_fr", "summary_es", "summary_en", "summary_fr",
                  "obligations_es", "obligations_en", "obligations_fr", "kind", "modality", "adoption_date",
                  "adoption_year", "entry_into_force", "official_url"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in ("adoption_date", "entry_into_force")}

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProcedureEditForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["summary_es", "summary_en", "summary_fr"]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def source_kwargs(self) -> dict:
        return {}


SLUG_HELP = _("Identificador corto en la dirección: minúsculas, cifras y guiones.")


class ProgrammeCreateForm(forms.Form):
    slug = forms.SlugField(label=_("Identificador"), max_length=60, help_text=SLUG_HELP)
    name_es = forms.CharField(label=_("Nombre (es)"), max_length=250)
    name_en = forms.CharField(label=_("Nombre (en)"), max_length=250)
    name_fr = forms.CharField(label=_("Nombre (fr)"), max_length=250)
    acronym_es = forms.CharField(label=_("Sigla (es)"), max_length=30, required=False)
    acronym_en = forms.CharField(label=_("Sigla (en)"), max_length=30, required=False)
    acronym_fr = forms.CharField(label=_("Sigla (fr)"), max_length=30, required=False)
    destination = forms.ChoiceField(label=_("País de destino"))
    modality = forms.ChoiceField(label=_("Modalidad de cooperación"), choices=Modality.choices)
    editor_country = forms.ChoiceField(label=_("País que edita"), required=False,
                                       help_text=_("Para un programa del país de origen: ese país."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = [(c.iso3, str(c)) for c in Country.objects.order_by("name_es")]
        self.fields["destination"].choices = countries
        self.fields["editor_country"].choices = [("", "—")] + countries

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Programme.objects.filter(slug=slug).exists() or slug in ("compare", "instruments", "timeline", "procedures",
                                                                   "practices", "new", "edit", "publish", "history"):
            raise ValidationError(_("Ese identificador ya está en uso."))
        return slug


class InstrumentCreateForm(SourceFields):
    slug = forms.SlugField(label=_("Identificador"), max_length=60, help_text=SLUG_HELP)
    short_name = forms.CharField(label=_("Nombre corto"), max_length=80)
    title_es = forms.CharField(label=_("Título (es)"), max_length=400)
    title_en = forms.CharField(label=_("Título (en)"), max_length=400)
    title_fr = forms.CharField(label=_("Título (fr)"), max_length=400)
    kind = forms.ChoiceField(label=_("Tipo"), choices=LegalInstrument.Kind.choices)
    modality = forms.ChoiceField(label=_("Modalidad de cooperación"), choices=Modality.choices)
    party_countries = forms.MultipleChoiceField(label=_("Países parte"), widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_countries"].choices = [(c.iso3, str(c)) for c in Country.objects.order_by("name_es")]
        self.fields["source_url"].required = True

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if LegalInstrument.objects.filter(slug=slug).exists():
            raise ValidationError(_("Ese identificador ya está en uso."))
        return slug


class ProcedureCreateForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programa"), queryset=Programme.objects.none())
    origin = forms.ChoiceField(label=_("País de origen"))
    summary_es = forms.CharField(label=_("Resumen (es)"), widget=forms.Textarea, required=False, max_length=2000)
    summary_en = forms.CharField(label=_("Resumen (en)"), widget=forms.Textarea, required=False, max_length=2000)
    summary_fr = forms.CharField(label=_("Resumen (fr)"), widget=forms.Textarea, required=False, max_length=2000)

    def __init__(self, *args, programmes=None, origins=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes
        names = dict(Country.objects.values_list("iso3", "name_es"))
        codes = sorted(origins) if origins is not None else sorted(names)
        self.fields["origin"].choices = [(c, names.get(c, c)) for c in codes]


class StepForm(forms.Form):
    title_es = forms.CharField(label=_("Paso (es)"), max_length=250)
    title_en = forms.CharField(label=_("Paso (en)"), max_length=250, required=False)
    title_fr = forms.CharField(label=_("Paso (fr)"), max_length=250, required=False)
    office_es = forms.CharField(label=_("Oficina responsable (es)"), max_length=300, required=False)
    office_en = forms.CharField(label=_("Oficina responsable (en)"), max_length=300, required=False)
    office_fr = forms.CharField(label=_("Oficina responsable (fr)"), max_length=300, required=False)
    documents_es = forms.CharField(label=_("Documentos (es)"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                   max_length=2000)
    documents_en = forms.CharField(label=_("Documentos (en)"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                   max_length=2000)
    documents_fr = forms.CharField(label=_("Documentos (fr)"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                   max_length=2000)
    fees_es = forms.CharField(label=_("Costos (es)"), max_length=500, required=False)
    fees_en = forms.CharField(label=_("Costos (en)"), max_length=500, required=False)
    fees_fr = forms.CharField(label=_("Costos (fr)"), max_length=500, required=False)
    fee_payer = forms.ChoiceField(label=_("Quién paga"), choices=FeePayer.choices, required=False)
    typical_time_es = forms.CharField(label=_("Tiempo habitual (es)"), max_length=200, required=False)
    typical_time_en = forms.CharField(label=_("Tiempo habitual (en)"), max_length=200, required=False)
    typical_time_fr = forms.CharField(label=_("Tiempo habitual (fr)"), max_length=200, required=False)
    where_es = forms.CharField(label=_("Dónde acudir (es)"), max_length=500, required=False)
    where_en = forms.CharField(label=_("Dónde acudir (en)"), max_length=500, required=False)
    where_fr = forms.CharField(label=_("Dónde acudir (fr)"), max_length=500, required=False)
    source_url = forms.URLField(label=_("Fuente (dirección)"), max_length=500, assume_scheme="https")
    checked_on = forms.DateField(label=_("Verificado el"), required=False, validators=[_not_in_future],
                                 widget=forms.DateInput(attrs={"type": "date"}))


class PartyForm(forms.Form):
    country = forms.ChoiceField(label=_("País"))
    signature_date = forms.DateField(label=_("Firma"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ratification_date = forms.DateField(label=_("Ratificación o adhesión"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    ratification_year = forms.IntegerField(label=_("Año (si la fuente solo da el año)"), required=False,
                                           min_value=1900, max_value=2100)
    ratification_kind = forms.ChoiceField(label=_("Forma"), required=False, choices=[
        ("", "—"), ("ratification", _("ratificación")), ("accession", _("adhesión")),
        ("succession", _("sucesión"))])
    source_url = forms.URLField(label=_("Fuente (dirección)"), max_length=500, assume_scheme="https")
    checked_on = forms.DateField(label=_("Verificado el"), required=False, validators=[_not_in_future],
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(c.iso3, str(c)) for c in Country.objects.order_by("name_es")]

    def clean(self):
        data = super().clean()
        sig, rat = data.get("signature_date"), data.get("ratification_date")
        if sig and rat and rat < sig:
            self.add_error("ratification_date", _("La ratificación no puede ser anterior a la firma."))
        if rat and data.get("ratification_year") and rat.year != data["ratification_year"]:
            self.add_error("ratification_year", _("El año no coincide con la fecha de ratificación."))
        return data


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, max_num=30, validate_max=True)
PartyFormSet = forms.formset_factory(PartyForm, extra=1, can_delete=True, max_num=200, validate_max=True)


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
