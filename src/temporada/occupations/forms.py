from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SearchEntry
from .queries import MAX_QUERY_LENGTH, SearchError, search_terms

KIND_CHOICES = [("", _("Todas las clasificaciones"))] + [(k.value, k.label) for k in SearchEntry.Kind]

SYSTEM_CHOICES = [
    ("SOC2018", "SOC 2018"),
    ("SOC2010", "SOC 2010"),
    ("ONETSOC", "O*NET-SOC"),
    ("NOC2021", "NOC 2021"),
    ("NOC2011", "NOC 2011"),
    ("ISCO08", "ISCO-08"),
]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Buscar una ocupación"), required=False, strip=True,
        help_text=_("Título, denominación alternativa o código, en español, inglés o francés. Sin importar tildes ni mayúsculas."),
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH, "autocomplete": "off",
                                      "aria-describedby": "id_q_helptext"}),
    )
    kind = forms.ChoiceField(label=_("Clasificación"), choices=KIND_CHOICES, required=False)

    def clean_q(self):
        query = self.cleaned_data["q"]
        if query:
            try:
                search_terms(query)
            except SearchError as error:
                raise forms.ValidationError(str(error)) from None
        return query


class CrosswalkForm(forms.Form):
    system = forms.ChoiceField(label=_("Clasificación de origen"), choices=SYSTEM_CHOICES)
    code = forms.CharField(label=_("Código"), max_length=64,
                           help_text=_("Por ejemplo 45-2092, 45-2092.02, 8431 u 85101."),
                           widget=forms.TextInput(attrs={"aria-describedby": "id_code_helptext"}))
