"""Public forms. Everything a visitor types is validated here; nothing free-text is stored anywhere."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from temporada.core.models import Country, Subdivision
from temporada.programmes.models import Sector

from .finder import Answers
from .verification import Claim

MARKUP = re.compile(r"[<>{}\\]|javascript:|&#|&[a-z]+;", re.IGNORECASE)
CASE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\- ]{2,39}$")
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
EARLIEST = date(2000, 1, 1)


def _plain_text(value: str, label) -> str:
    value = " ".join((value or "").split())
    if MARKUP.search(value):
        raise forms.ValidationError(_("%(label)s: escriba solo texto, sin símbolos como < > { } ni código.")
                                    % {"label": label})
    if value and len(LETTERS.findall(value)) < 2:
        raise forms.ValidationError(_("%(label)s: escriba un nombre con letras.") % {"label": label})
    return value


def _country_choices(queryset, blank_label):
    return [("", blank_label)] + [(c.iso3, str(c)) for c in queryset]


class FinderForm(forms.Form):
    nationality = forms.ChoiceField(label=_("Su nacionalidad"))
    destination = forms.ChoiceField(label=_("¿Dónde quiere trabajar?"), required=False)
    sector = forms.ChoiceField(label=_("¿En qué sector?"), required=False)
    months = forms.IntegerField(label=_("¿Cuántos meses?"), required=False, min_value=1, max_value=120,
                                help_text=_("Entre 1 y 120. Déjelo vacío si no lo sabe."))
    family = forms.ChoiceField(label=_("¿Quiere que su familia le acompañe?"), required=False,
                               choices=[("", _("No lo sé")), ("yes", _("Sí")), ("no", _("No"))])

    def __init__(self, *args, destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        countries = Country.objects.restrict(None, "view").order_by("name_es")
        rcm = [c for c in countries if c.is_rcm_member]
        others = [c for c in countries if not c.is_rcm_member]
        self.fields["nationality"].choices = (
            [("", _("Elija su país"))]
            + [(str(_("Países de la CRM")), [(c.iso3, str(c)) for c in rcm])]
            + [(str(_("Otros países")), [(c.iso3, str(c)) for c in others])])
        self.fields["destination"].choices = _country_choices(
            countries.filter(iso3__in=list(destinations)), _("Cualquier país"))
        self.fields["sector"].choices = [("", _("Cualquier sector"))] + [
            (value, label) for value, label in Sector.choices if value != Sector.ANY]

    def answers(self) -> Answers:
        data = self.cleaned_data
        family = {"yes": True, "no": False}.get(data.get("family") or "")
        return Answers(nationality=data["nationality"], destination=data.get("destination") or "",
                       sector=data.get("sector") or "", months=data.get("months"), family=family)


class VerifyForm(forms.Form):
    PROGRAMMES = [("", _("No lo sé")), ("H-2A", _("H-2A (EE. UU., agrícola)")),
                  ("H-2B", _("H-2B (EE. UU., no agrícola)")), ("CA", _("Canadá (trabajadores temporales)"))]
    CONTACTS = [("", _("Prefiero no decirlo")), ("recruiter", _("Un reclutador o agencia")),
                ("employer", _("El empleador directamente")), ("social", _("Redes sociales o anuncio")),
                ("acquaintance", _("Un familiar o conocido")), ("government", _("Una oficina de gobierno")),
                ("other", _("Otra persona"))]

    programme = forms.ChoiceField(label=_("Programa o visa que le ofrecieron"), choices=PROGRAMMES, required=False)
    case_number = forms.CharField(
        label=_("Número de caso u orden de trabajo"), required=False, max_length=40,
        help_text=_("Por ejemplo H-300-25312-390600. Está en los papeles que le dieron."))
    employer_name = forms.CharField(label=_("Nombre del empleador"), required=False, max_length=150)
    subdivision = forms.ChoiceField(label=_("Estado o provincia del trabajo"), required=False)
    city = forms.CharField(label=_("Ciudad"), required=False, max_length=80)
    begin_date = forms.DateField(label=_("Fecha de inicio que le dijeron"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Fecha de fin que le dijeron"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    fee_amount = forms.DecimalField(
        label=_("¿Cuánto le pidieron pagar? (0 si nada)"), required=False, min_value=Decimal("0"),
        max_value=Decimal("1000000"), max_digits=9, decimal_places=2,
        help_text=_("En cualquier moneda. Cualquier cobro por el reclutamiento es una señal de alarma."))
    contacted_by = forms.ChoiceField(label=_("¿Quién le contactó?"), choices=CONTACTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        subdivisions = Subdivision.objects.restrict(None, "view").filter(country_id__in=["USA", "CAN"])
        groups = {}
        for s in subdivisions.select_related("country").order_by("country_id", "name_es"):
            groups.setdefault(str(s.country), []).append((s.code, str(s)))
        self.fields["subdivision"].choices = [("", _("No lo sé"))] + sorted(groups.items())

    def clean_case_number(self):
        value = " ".join((self.cleaned_data.get("case_number") or "").split())
        if value and not CASE_NUMBER.match(value):
            raise forms.ValidationError(_("El número de caso solo lleva letras, números y guiones (3 a 40)."))
        return value

    def clean_employer_name(self):
        return _plain_text(self.cleaned_data.get("employer_name"), _("Nombre del empleador"))

    def clean_city(self):
        return _plain_text(self.cleaned_data.get("city"), _("Ciudad"))

    def _check_date(self, name):
        value = self.cleaned_data.get(name)
        if value and not (EARLIEST <= value <= date(timezone.now().year + 3, 12, 31)):
            raise forms.ValidationError(_("Esa fecha no es posible para una oferta de trabajo."))
        return value

    def clean_begin_date(self):
        return self._check_date("begin_date")

    def clean_end_date(self):
        return self._check_date("end_date")

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("case_number") and not data.get("employer_name"):
            raise forms.ValidationError(_("Escriba al menos el número de caso o el nombre del empleador."))
        begin, end = data.get("begin_date"), data.get("end_date")
        if begin and end and end < begin:
            self.add_error("end_date", _("La fecha de fin es anterior a la de inicio."))
        return data

    def claim(self) -> Claim:
        data = self.cleaned_data
        return Claim(programme=data.get("programme") or "", case_number=data.get("case_number") or "",
                     employer_name=data.get("employer_name") or "", subdivision=data.get("subdivision") or "",
                     city=data.get("city") or "", begin_date=data.get("begin_date"), end_date=data.get("end_date"),
                     fee_amount=data.get("fee_amount"), contact_channel=data.get("contacted_by") or "")
