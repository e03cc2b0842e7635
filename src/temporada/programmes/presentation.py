"""Display values of catalogue records, shared by pages, comparison, exports and the PDF study."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .facts import fact_statuses
from .models import Sector

FIELD_LABELS = {
    "destination": gettext_lazy("País de destino"),
    "destination_agencies": gettext_lazy("Instituciones del país de destino"),
    "origin_agencies": gettext_lazy("Instituciones del país de origen"),
    "eligible_origins": gettext_lazy("Países de origen elegibles"),
    "sectors": gettext_lazy("Sectores"),
    "isco_codes": gettext_lazy("Ocupaciones (CIUO-08)"),
    "max_stay_months": gettext_lazy("Estancia máxima"),
    "seasonal_window": gettext_lazy("Temporada"),
    "wage_rule": gettext_lazy("Regla salarial"),
    "housing": gettext_lazy("Vivienda"),
    "transport": gettext_lazy("Transporte"),
    "meals": gettext_lazy("Alimentación"),
    "insurance": gettext_lazy("Seguros"),
    "recruitment_fee_rule": gettext_lazy("Comisiones de reclutamiento"),
    "contract_language": gettext_lazy("Contrato e idioma"),
    "employer_change": gettext_lazy("Cambio de empleador"),
    "family": gettext_lazy("Familia"),
    "permanent_residence": gettext_lazy("Vía a la residencia permanente"),
    "start_year": gettext_lazy("Año de inicio"),
    "end_year": gettext_lazy("Año de fin"),
    "status": gettext_lazy("Situación"),
    "kind": gettext_lazy("Tipo"),
    "modality": gettext_lazy("Modalidad de cooperación"),
    "adoption_date": gettext_lazy("Adopción"),
    "entry_into_force": gettext_lazy("Entrada en vigor"),
    "obligations": gettext_lazy("Obligaciones"),
    "parties": gettext_lazy("Partes"),
    "programmes": gettext_lazy("Programas que funda o rige"),
}


def _countries(qs):
    return ", ".join(str(c) for c in qs)


def programme_value(p, field: str) -> str:
    if field in p.TRANSLATED_FACTS:
        return p.t(field)
    if field == "destination":
        others = _countries(p.other_destinations.all())
        if others:
            return _("%(main)s (también: %(others)s)") % {"main": p.destination, "others": others}
        return str(p.destination)
    if field == "eligible_origins":
        if p.eligible_origins_open:
            return _("Cualquier nacionalidad")
        names = _countries(p.eligible_origins.all())
        if names and p.eligible_list_name:
            year = f", {p.eligible_list_year}" if p.eligible_list_year else ""
            return _("%(names)s — lista: %(list)s") % {"names": names, "list": p.eligible_list_name + year}
        return names
    if field == "sectors":
        labels = dict(Sector.choices)
        return ", ".join(str(labels.get(s, s)) for s in p.sectors)
    if field == "isco_codes":
        return ", ".join(p.isco_codes)
    if field == "max_stay_months":
        return _("%(n)d meses") % {"n": p.max_stay_months} if p.max_stay_months else ""
    if field == "status":
        return p.get_status_display() if p.status else ""
    value = getattr(p, field)
    return "" if value in (None, "") else str(value)


def instrument_value(i, field: str) -> str:
    if field == "kind":
        return i.get_kind_display()
    if field == "modality":
        return i.get_modality_display()
    if field == "adoption_date":
        return i.adoption_date.isoformat() if i.adoption_date else (str(i.adoption_year) if i.adoption_year else "")
    if field == "entry_into_force":
        return i.entry_into_force.isoformat() if i.entry_into_force else ""
    if field == "obligations":
        return i.t("obligations")
    if field == "parties":
        return _countries(p.country for p in i.parties.all())
    if field == "programmes":
        return ", ".join(str(p) for p in i.programmes.all())
    return str(getattr(i, field) or "")


def _rows(obj, value_fn):
    rows = []
    for status in fact_statuses(obj):
        rows.append({"field": status.field, "label": FIELD_LABELS.get(status.field, status.field),
                     "value": value_fn(obj, status.field) if status.filled else "",
                     "verified": status.verified, "citation": status.citation})
    return rows


def programme_rows(p):
    rows = _rows(p, programme_value)
    rows.insert(1, {"field": "modality", "label": FIELD_LABELS["modality"], "value": p.get_modality_display(),
                    "verified": True, "citation": None, "classification": True})
    return rows


def instrument_rows(i):
    return _rows(i, instrument_value)


def programme_export_rows(programmes):
    header = ["slug", "acronym", "name", "destination", "modality", "status", "eligible_origins", "eligible_open",
              "eligible_list", "eligible_list_year", "sectors", "isco_codes", "max_stay_months", "start_year",
              "end_year", "official_url", "facts_verified", "facts_not_verified"]
    rows = []
    for p in programmes:
        statuses = fact_statuses(p)
        rows.append([p.slug, p.t("acronym"), p.t("name"), p.destination_id, p.modality, p.status,
                     " ".join(c.iso3 for c in p.eligible_origins.all()), p.eligible_origins_open,
                     p.eligible_list_name, p.eligible_list_year, " ".join(p.sectors), " ".join(p.isco_codes),
                     p.max_stay_months, p.start_year, p.end_year, p.official_url,
                     sum(s.verified for s in statuses), sum(not s.filled for s in statuses)])
    return header, rows
