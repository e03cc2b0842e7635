"""Legal-channel finder: which catalogue programmes are legally open to a person, and why.

Every answer comes from catalogue facts (eligible origins through the catalogue's own
``eligibility_for``, destination, sectors, maximum stay, family rule, status). A fact the catalogue
could not verify never excludes a programme: it turns into a warning that tells the person what to
check and where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from temporada.programmes.facts import fact_statuses
from temporada.programmes.models import Sector
from temporada.programmes.presentation import programme_value
from temporada.programmes.queries import eligibility_for

from .queries import fee_rules, procedures_for_programme, published_programmes

NON_AGRICULTURAL = {Sector.CONSTRUCTION, Sector.HOSPITALITY, Sector.FOOD_PROCESSING, Sector.DOMESTIC,
                    Sector.NON_AGRICULTURE}


@dataclass
class Answers:
    nationality: str  # ISO3
    destination: str = ""  # ISO3 or "" (anywhere)
    sector: str = ""  # Sector value or ""
    months: int | None = None
    family: bool | None = None  # wants the family to come along


@dataclass
class Match:
    programme: object
    open: bool  # True: legally open; False: listed in ``closed`` with reasons
    reasons: list[str] = field(default_factory=list)  # why it is open, or why not
    warnings: list[str] = field(default_factory=list)
    procedures: list = field(default_factory=list)
    fee_rules: list[dict] = field(default_factory=list)
    where: list[dict] = field(default_factory=list)
    family_text: str = ""
    needs_check: bool = False  # open only if an unverified fact turns out right


@dataclass
class FinderResult:
    open: list[Match]
    closed: list[Match]


def _sector_matches(programme_sectors: list[str], wanted: str) -> bool | None:
    if not programme_sectors:
        return None
    if Sector.ANY in programme_sectors or wanted in programme_sectors:
        return True
    return wanted in NON_AGRICULTURAL and Sector.NON_AGRICULTURE in programme_sectors


def _fact(statuses, name):
    status = statuses.get(name)
    return status if status is not None and status.verified else None


def _cited(programme, statuses, name) -> dict | None:
    status = _fact(statuses, name)
    if status is None:
        return None
    return {"text": programme_value(programme, name), "source_url": status.citation.source.url,
            "source_title": status.citation.source.title, "checked_on": status.citation.checked_on}


def evaluate(user, programme, answers: Answers) -> Match:
    statuses = {s.field: s for s in fact_statuses(programme)}
    match = Match(programme=programme, open=True)
    destinations = {programme.destination_id, *[c.iso3 for c in programme.other_destinations.all()]}
    name = programme.t("acronym") or programme.t("name")

    if programme.status == programme.Status.ENDED:
        match.open = False
        match.reasons.append(_("El programa ya terminó."))
    if answers.destination and answers.destination not in destinations:
        match.open = False
        match.reasons.append(_("No lleva al país que eligió."))
    eligibility = eligibility_for(programme, answers.nationality)
    if eligibility["eligible"] is True:
        match.reasons.append(_("Abierto a cualquier nacionalidad.") if eligibility["basis"] == "open"
                             else _("Su nacionalidad está en la lista de países elegibles."))
    elif eligibility["eligible"] is False:
        match.open = False
        match.reasons.append(_("Su nacionalidad no está entre los países elegibles."))
    elif eligibility["list_partial"]:
        match.needs_check = True
        match.warnings.append(_(
            "Solo registramos los países de la CRM de la lista oficial de %(name)s: compruebe en la lista oficial "
            "si su país está incluido.") % {"name": name})
    else:
        match.needs_check = True
        match.warnings.append(_("No verificado: no tenemos la lista de países elegibles de %(name)s.") % {"name": name})
    if answers.sector:
        sector_ok = _sector_matches(programme.sectors, answers.sector)
        if sector_ok is False:
            match.open = False
            match.reasons.append(_("No cubre el sector que eligió."))
        elif sector_ok is None:
            match.needs_check = True
            match.warnings.append(_("No verificado: no sabemos qué sectores cubre."))
    if answers.months:
        if programme.max_stay_months is None:
            match.warnings.append(_("No verificado: no tenemos la estancia máxima de este programa."))
        elif answers.months > programme.max_stay_months:
            match.open = False
            match.reasons.append(_("La estancia que busca (%(wanted)d meses) supera el máximo del programa "
                                   "(%(max)d meses).") % {"wanted": answers.months, "max": programme.max_stay_months})
    family = _cited(programme, statuses, "family")
    match.family_text = family["text"] if family else ""
    if answers.family:
        accompany = getattr(programme, "family_accompany", None)
        if accompany is False and family:
            match.open = False
            match.reasons.append(_("Su familia no puede acompañarle en este programa."))
        elif accompany is None or not family:
            match.warnings.append(_("No verificado: no sabemos si su familia puede acompañarle."))
    if not match.open:
        return match
    match.procedures = procedures_for_programme(user, programme, answers.nationality)
    match.fee_rules = fee_rules(user, [programme.slug])
    if not match.fee_rules:
        match.warnings.append(_("No verificado: no tenemos la regla de comisiones de este programa. "
                                "No pague a intermediarios sin comprobarlo con la oficina oficial."))
    for field_name in ("origin_agencies", "destination_agencies"):
        item = _cited(programme, statuses, field_name)
        if item:
            match.where.append(item)
    if programme.status != programme.Status.ACTIVE:
        match.warnings.append(_("No verificado: no sabemos si el programa sigue vigente."))
    return match


def find(user, answers: Answers) -> FinderResult:
    results = [evaluate(user, p, answers) for p in published_programmes(user)]
    open_ = [m for m in results if m.open]
    # Programmes in the chosen destination that are closed to the person, with the reasons.
    closed = [m for m in results if not m.open and (not answers.destination or answers.destination in
              {m.programme.destination_id, *[c.iso3 for c in m.programme.other_destinations.all()]})]
    open_.sort(key=lambda m: (m.needs_check, m.programme.destination_id, m.programme.slug))
    return FinderResult(open=open_, closed=closed)
