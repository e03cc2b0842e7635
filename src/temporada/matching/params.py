"""Engine settings from a run's recorded parameters (the ``parameters()`` of forms.py).

The run keeps plain JSON (what the official chose, in their words: ISO codes, subdivision codes,
percentages as fractions); the engine needs bit masks and codebook numbers, which depend on the snapshot.
Building them here, from the record, means a run can always be explained — and repeated — from what it stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import EligibilityRules, FairnessTarget, Filters, SeasonParams, Weights
from .engine.arrays import InvalidInput
from .snapshot import LANGUAGE_BIT, SEX_CODE


def language_mask(codes) -> int:
    mask = 0
    for code in codes or ():
        mask |= 1 << LANGUAGE_BIT[code]
    return mask


@dataclass
class EngineSettings:
    rules: EligibilityRules
    weights: Weights
    req_lang: int
    pref_lang: int
    filters: Filters | None = None
    season: SeasonParams | None = None


def engine_settings(parameters: dict, snapshot) -> EngineSettings:
    """Rules, weights, languages, filters (shortlist) or season parameters (season run). InvalidInput when the
    recorded values are not acceptable to the engine (the forms prevent it; the API goes through the forms)."""
    rules = EligibilityRules(**parameters["rules"])
    weights = Weights(**parameters["weights"])
    req_lang = language_mask(parameters.get("required_languages"))
    pref_lang = language_mask(parameters.get("preferred_languages"))
    settings = EngineSettings(rules=rules, weights=weights, req_lang=req_lang, pref_lang=pref_lang)
    if "filters" in parameters:
        f = parameters["filters"]
        settings.filters = Filters(
            sexes=tuple(SEX_CODE[s] for s in f["sexes"]) or None,
            regions=tuple(snapshot.region_number(code) for code in f["regions"]) or None,
            min_age=f.get("min_age"), max_age=f.get("max_age"), min_good_returns=f.get("min_good_returns"),
            languages=language_mask(f.get("must_speak")),
        )
    else:
        targets = ()
        fairness = parameters.get("fairness")
        if fairness:
            if fairness["attribute"] == "sex":
                values = tuple(SEX_CODE[v] for v in fairness["values"])
            else:
                values = tuple(snapshot.region_number(code) for code in fairness["values"])
            targets = (FairnessTarget(attribute=fairness["attribute"], values=values,
                                      min_share=fairness.get("min_share"), max_share=fairness.get("max_share"),
                                      scope=fairness.get("scope", "run")),)
        base = dict(rules=rules, weights=weights, fairness=targets, seed=int(parameters.get("seed") or 0),
                    solver=parameters.get("solver") or "auction")
        if parameters.get("multiple_orders"):
            base.pop("solver")
            settings.season = SeasonParams.for_multiple_orders(**base)
        else:
            settings.season = SeasonParams(**base)
    return settings


__all__ = ["EngineSettings", "InvalidInput", "engine_settings", "language_mask"]
