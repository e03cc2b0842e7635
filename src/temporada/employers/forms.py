from django import forms
from django.utils.translation import gettext_lazy as _

from temporada.core.models import Country, Subdivision

DESTINATIONS = ["USA", "CAN"]


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("Nombre o alias"), required=False, max_length=120,
                        widget=forms.TextInput(attrs={"type": "search"}))
    country = forms.ModelChoiceField(label=_("País"), required=False, queryset=Country.objects.none(),
                                     empty_label=_("Todos"), to_field_name="iso3")
    subdivision = forms.ModelChoiceField(label=_("Estado o provincia"), required=False,
                                         queryset=Subdivision.objects.none(), empty_label=_("Todos"))
    order = forms.ChoiceField(label=_("Orden"), required=False, choices=[
        ("name", _("Nombre")), ("positions", _("Puestos certificados (más primero)"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(iso3__in=DESTINATIONS)
        self.fields["subdivision"].queryset = Subdivision.objects.filter(country_id__in=DESTINATIONS).order_by(
            "country_id", "name_en")
        self.fields["subdivision"].label_from_instance = lambda s: f"{s.code} · {s}"


class MergeForm(forms.Form):
    """Step 1 chooses the employers; step 2 (``confirm``) carries them back with the confirmation."""

    others = forms.TypedMultipleChoiceField(label=_("Empleadores que se fusionan en este"), coerce=int,
                                            widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Motivo (queda en el registro de auditoría)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].choices = [(e.pk, str(e.pk)) for e in candidates]


class SplitForm(forms.Form):
    aliases = forms.TypedMultipleChoiceField(label=_("Alias que pertenecen a otro empleador"), coerce=int,
                                             widget=forms.CheckboxSelectMultiple)
    name = forms.CharField(label=_("Nombre del nuevo empleador (opcional)"), required=False, max_length=300)
    note = forms.CharField(label=_("Motivo (queda en el registro de auditoría)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, aliases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aliases"].choices = [(a.pk, str(a.pk)) for a in aliases]


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Nombre que se muestra"), max_length=300)
