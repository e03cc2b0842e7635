"""What the pages, exports and API say about runs and proposals: labels of rules and reasons, the factor-by-factor
explanation of a score, the projection label, export rows. Texts are Spanish sources translated by gettext."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from temporada.core.i18n import current_language
from temporada.core.models import Subdivision
from temporada.supply import isco
from temporada.supply.languages import LANGUAGES

from .engine import FACTORS
from .engine.scoring import Weights
from .forms import FACTOR_LABELS
from .models import MatchRun, Proposal


def stage_label(stage: str) -> str:
    return {
        "workers": _("Perfiles que pueden proponerse (verificados, con consentimiento para ofertas)"),
        "occupation_family": _("… con experiencia en el gran grupo CIUO-08 de la orden"),
        "availability": _("… disponibles durante todo el periodo"),
        "passport": _("… con pasaporte vigente hasta el fin del trabajo"),
        "origin": _("… nacionales de un país admitido por el programa"),
        "language": _("… que hablan los idiomas exigidos"),
        "booked": _("… sin otro compromiso aceptado en esas fechas"),
        "filters": _("… que cumplen los filtros"),
        "occupation": _("… con una ocupación suficientemente cercana"),
        "experience": _("… con la experiencia exigida por la orden"),
        "orders": _("Órdenes publicadas que empiezan en la ventana"),
        "closed": _("… ni denegadas ni retiradas"),
        "zero_positions": _("… con puestos"),
        "no_dates": _("… con fechas publicadas"),
        "bad_dates": _("… con un periodo válido"),
        "no_isco": _("… con código CIUO-08"),
        "programme_origin": _("… de programas abiertos a los nacionales del país"),
        "open_positions": _("… con puestos aún sin cubrir"),
    }.get(stage, stage)


def reason_text(reason: str) -> str:
    """Why a run has no candidates (or failed), in words the official can act on."""
    return {
        "no_workers": _("No hay perfiles que puedan proponerse: ninguno está verificado con consentimiento para "
                        "ofertas en este registro."),
        "occupation_family": _("Nadie tiene experiencia en el gran grupo de ocupación de la orden."),
        "availability": _("Nadie está disponible durante todo el periodo de la orden: revise las fechas o la "
                          "tolerancia de disponibilidad."),
        "passport": _("De los disponibles, nadie tiene pasaporte vigente hasta el fin del trabajo."),
        "origin": _("El programa de la orden no admite a los nacionales de este país según el catálogo de programas."),
        "language": _("Nadie de los que quedan habla los idiomas exigidos."),
        "booked": _("Todos los que quedan ya tienen un compromiso aceptado en esas fechas."),
        "filters": _("Nadie de los que quedan cumple los filtros: amplíelos."),
        "occupation": _("La experiencia de los que quedan no es lo bastante cercana a la ocupación de la orden."),
        "experience": _("Nadie de los que quedan tiene los meses de experiencia que exige la orden."),
        "no_orders": _("Ninguna orden de la ventana puede planificarse: mire en el embudo de órdenes qué las dejó "
                       "fuera."),
        "no_open_orders": _("Todas las órdenes de la ventana tienen ya sus puestos cubiertos."),
        "no_eligible_pairs": _("Nadie del registro es elegible para ninguna de las órdenes."),
        "interrupted": _("El proceso que calculaba la ejecución se detuvo; no se guardó nada. Vuelva a lanzarla."),
        "error": _("La ejecución falló; no se guardó ninguna propuesta."),
    }.get(reason, reason)


def eligibility_text(label: str) -> str:
    return {"eligible": _("El catálogo de programas admite a los nacionales de este país."),
            "not_eligible": _("El catálogo de programas NO admite a los nacionales de este país."),
            "not_verified": _("El catálogo no tiene una lista verificada de países admitidos por este programa: "
                              "compruebe la elegibilidad antes de aceptar.")}.get(label, label)


def language_name(code: str) -> str:
    return str(dict(LANGUAGES).get(code, code))


def isco_title(code: str) -> str:
    return isco.title(code, current_language()) if code else ""


def region_names(codes) -> dict[str, str]:
    return {s.code: str(s) for s in Subdivision.objects.filter(code__in=[c for c in codes if c])}


def projection_label(run_or_proposal) -> str:
    job = run_or_proposal.job_order
    if not run_or_proposal.is_projection or job is None:
        return ""
    return _("PROYECCIÓN de la orden %(order)s (publicada para %(begin)s – %(end)s), trasladada a %(pbegin)s – "
             "%(pend)s") % {"order": job.source_key, "begin": job.begin_date, "end": job.end_date,
                            "pbegin": run_or_proposal.begin_date, "pend": run_or_proposal.end_date}


def crosswalk_share(p: Proposal, weights: dict | None = None) -> float | None:
    """Share of the proximity points the occupation factor kept, when below 1: the order's ISCO-08 code came from
    the crosswalk of its published SOC/NOC code, which the engine discounts (scoring.Weights.method_multiplier).
    Read back from the stored points, so it is exactly what the engine applied."""
    weights = (p.run.parameters or {}).get("weights", {}) if weights is None else weights
    weight = float(weights.get("occupation", 0) or 0)
    level_value = Weights().level_value[p.isco_level] if 0 <= p.isco_level < 5 else 0
    if weight <= 0 or level_value <= 0:
        return None
    share = float(p.occupation_points) / (weight * level_value)
    return share if share < 0.995 else None


def occupation_phrase(p: Proposal, weights: dict | None = None) -> str:
    if p.isco_level == 0 or not p.worker_isco:
        return _("su experiencia no está en el mismo gran grupo CIUO-08 que la orden")
    if p.isco_level == 4:
        phrase = _("mismo grupo primario CIUO-08 %(code)s (%(title)s)") % {"code": p.job_isco,
                                                                          "title": isco_title(p.job_isco)}
    else:
        group = p.job_isco[: p.isco_level]
        level = {3: _("subgrupo"), 2: _("subgrupo principal"), 1: _("gran grupo")}[p.isco_level]
        phrase = _("trabaja en %(worker)s (%(title)s): mismo %(level)s %(group)s que la orden (%(job)s)") % {
            "worker": p.worker_isco, "title": isco_title(p.worker_isco), "level": level, "group": group,
            "job": p.job_isco}
    if p.job_isco and p.job_isco in (p.job_order.isco_alternatives or []):
        phrase += " " + _("(%(job)s es otra de las CIUO-08 a las que lleva el código de ocupación publicado de la "
                          "orden)") % {"job": p.job_isco}
    share = crosswalk_share(p, weights)
    if share is not None:
        phrase += "; " + _("la orden no publica una CIUO-08 sino un código %(system)s, cuya correspondencia con la "
                           "CIUO-08 no es exacta: la cercanía cuenta al %(share)s %%") % {
            "system": _code_system(p), "share": round(100 * share)}
    return phrase


def _code_system(p: Proposal) -> str:
    job = p.job_order
    return "NOC" if job is not None and job.country_id == "CAN" else "SOC"


def years_phrase(p: Proposal) -> str:
    years = p.relevant_years
    if years <= 0:
        return _("sin años declarados en ocupaciones cercanas")
    shown = int(years) if float(years).is_integer() else round(years, 1)
    return ngettext("%(n)s año de experiencia pertinente", "%(n)s años de experiencia pertinente",
                    int(years) if float(years).is_integer() else 2) % {"n": shown}


def participation_phrase(p: Proposal) -> str:
    if p.prior_count == 0:
        return _("primera participación (o resultado de temporadas anteriores desconocido)")
    return ngettext("%(good)d de %(n)d temporada anterior con regreso a tiempo",
                    "%(good)d de %(n)d temporadas anteriores con regreso a tiempo", p.prior_count) % {
        "good": p.good_returns, "n": p.prior_count}


def language_phrase(p: Proposal) -> str:
    if not p.languages:
        return _("no declaró idiomas")
    return _("habla %(languages)s") % {"languages": ", ".join(language_name(c) for c in p.languages)}


def preference_phrase(p: Proposal) -> str:
    if p.fits_destination and p.fits_programme:
        return _("el destino y el programa encajan con sus preferencias (o no declaró preferencias)")
    if not p.fits_destination and not p.fits_programme:
        return _("prefiere otro destino y otro programa")
    return _("prefiere otro destino") if not p.fits_destination else _("prefiere otro programa")


def explanation(p: Proposal, weights: dict | None = None) -> str:
    """One sentence: why this candidate has this score (``weights``: the run's; read from the run when omitted)."""
    return "; ".join([occupation_phrase(p, weights), years_phrase(p), participation_phrase(p), language_phrase(p),
                      preference_phrase(p)]) + "."


def factor_rows(p: Proposal, weights: dict) -> list[dict]:
    """Per factor: label, points, maximum, share of the maximum total (for the bar), and the reason."""
    total_max = sum(float(weights.get(f, 0)) for f in FACTORS) or 1.0
    phrases = {"occupation": occupation_phrase(p, weights), "experience": years_phrase(p),
               "participation": participation_phrase(p), "language": language_phrase(p),
               "preference": preference_phrase(p)}
    rows = []
    for name in FACTORS:
        points = float(getattr(p, f"{name}_points"))
        rows.append({"name": name, "label": str(FACTOR_LABELS[name]), "points": round(points, 1),
                     "max": round(float(weights.get(name, 0)), 1), "width": round(100 * points / total_max, 2),
                     "why": phrases[name]})
    return rows


def funnel_rows(run: MatchRun) -> list[dict]:
    rows, previous = [], None
    for stage, count in run.funnel or []:
        rows.append({"stage": stage, "label": stage_label(stage), "count": count,
                     "removed": None if previous is None else previous - count})
        previous = count
    return rows


def export_header(*, origin_side: bool) -> list[str]:
    head = ["run", "synthetic", "projection", "job_order", "programme", "destination", "begin_date", "end_date",
            "rank", "pseudonym", "state", "score", *[f"{f}_points" for f in FACTORS], "worker_isco", "job_isco",
            "isco_level", "relevant_years", "good_returns", "prior_seasons", "languages", "region"]
    if origin_side:
        head += ["sex", "worker_id"]
    return head + ["given_names", "family_names", "birth_date"]


def export_rows(proposals, *, origin_side: bool):
    for p in proposals:
        shown = origin_side or p.state == Proposal.State.RELEASED
        row = [p.run_id, "SINTÉTICO" if p.run.is_synthetic else "",
               f"PROYECCIÓN de {p.job_order.source_key}" if p.is_projection else "", p.job_order.source_key,
               p.job_order.programme, p.job_order.country_id, p.begin_date, p.end_date, p.rank, p.pseudonym, p.state,
               p.score, *[getattr(p, f"{f}_points") for f in FACTORS], p.worker_isco, p.job_isco, p.isco_level,
               p.relevant_years, p.good_returns, p.prior_count, ";".join(p.languages), p.region]
        if origin_side:
            row += [p.sex, p.worker_id]
        row += ([p.worker.given_names, p.worker.family_names, p.worker.birth_date] if shown else ["", "", ""])
        yield row
