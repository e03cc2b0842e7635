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


RATIFICATION_KINDS = {"ratification": gettext_lazy("ratificación"), "accession": gettext_lazy("adhesión"),
                      "succession": gettext_lazy("sucesión")}


def ratification_kind_label(kind: str) -> str:
    return str(RATIFICATION_KINDS.get(kind, kind))


def family_text(p) -> str:
    """The cited family rule, prefixed by the yes/no flag when it is known."""
    text = p.t("family")
    if p.family_accompany is None:
        return text
    flag = _("Sí") if p.family_accompany else _("No")
    return f"{flag}. {text}" if text else flag


def programme_value(p, field: str) -> str:
    if field == "family":
        return family_text(p)
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
        if names and p.eligible_list_partial:
            names = _("%(names)s (solo los países de la CRM de la lista oficial)") % {"names": names}
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
        # Drafts stay hidden: only published programmes are named here.
        return ", ".join(str(p) for p in i.programmes.all() if p.state == "published")
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


TEXT_FACTS = ["destination_agencies", "origin_agencies", "seasonal_window", "wage_rule", "housing", "transport", "meals",
              "insurance", "recruitment_fee_rule", "contract_language", "employer_change", "family",
              "permanent_residence"]


def _fact_columns(statuses):
    """For each fact: its source URL and check date (empty when not verified)."""
    out = []
    for s in statuses:
        out += [s.citation.source.url if s.verified else "", s.citation.checked_on if s.verified else ""]
    return out


def programme_export_rows(programmes):
    """Every attribute of the programme plus, for each fact, its source and check date."""
    from .models import Programme

    header = ["slug", "acronym", "name", "destination", "other_destinations", "origin_side", "modality", "status",
              "eligible_origins", "eligible_open", "eligible_list", "eligible_list_year", "eligible_list_partial",
              "sectors", "isco_codes", "max_stay_months", "family_accompany", "start_year", "end_year",
              "official_url", *TEXT_FACTS, "facts_verified", "facts_not_verified"]
    for field in Programme.FACT_FIELDS:
        header += [f"{field}_source", f"{field}_checked_on"]
    rows = []
    for p in programmes:
        statuses = fact_statuses(p)
        texts = [p.destination_agencies, p.origin_agencies] + [p.t(f) for f in TEXT_FACTS[2:]]
        rows.append([p.slug, p.t("acronym"), p.t("name"), p.destination_id,
                     " ".join(c.iso3 for c in p.other_destinations.all()), p.origin_side, p.modality, p.status,
                     " ".join(c.iso3 for c in p.eligible_origins.all()), p.eligible_origins_open,
                     p.eligible_list_name, p.eligible_list_year, p.eligible_list_partial, " ".join(p.sectors),
                     " ".join(p.isco_codes), p.max_stay_months, p.family_accompany, p.start_year, p.end_year,
                     p.official_url, *texts,
                     sum(s.verified for s in statuses), sum(not s.filled for s in statuses), *_fact_columns(statuses)])
    return header, rows


def instrument_export_rows(instruments):
    """One row per instrument; parties with signature / ratification dates; each fact with its source."""
    from .models import LegalInstrument

    header = ["slug", "short_name", "title", "kind", "modality", "adoption", "entry_into_force", "obligations",
              "parties", "programmes", "official_url"]
    for field in LegalInstrument.FACT_FIELDS:
        header += [f"{field}_source", f"{field}_checked_on"]
    rows = []
    for i in instruments:
        parties = "; ".join(
            f"{p.country_id} signature={p.signature_date or ''} "
            f"ratification={p.ratification_date or p.ratification_year or ''}"
            f"{' (' + p.ratification_kind + ')' if p.ratification_kind else ''}" for p in i.parties.all())
        rows.append([i.slug, i.short_name, i.t("title"), i.kind, i.modality, i.adoption_date or i.adoption_year or "",
                     i.entry_into_force or "", i.t("obligations"), parties,
                     " ".join(p.slug for p in i.programmes.all() if p.state == "published"), i.official_url,
                     *_fact_columns(fact_statuses(i))])
    return header, rows


def compare_export_rows(programmes, table):
    """The side-by-side comparison as rows: one attribute per row, one value and source per programme."""
    header = ["attribute"]
    for p in programmes:
        header += [p.slug, f"{p.slug}_source"]
    rows = []
    for index, first in enumerate(table[0]):
        row = [first["field"]]
        for cells in table:
            cell = cells[index]
            row += [cell["value"] or "", cell["citation"].source.url if cell["citation"] else ""]
        rows.append(row)
    return header, rows
