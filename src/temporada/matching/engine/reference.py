"""Straightforward pure-Python version of the rules, the score, a shortlist and a greedy season run.

Written independently of the vectorised engine (plain loops over dicts, no blocking, no NumPy in
the logic): it is the *baseline* the benchmarks time against, and the *oracle* the tests compare
the engine with. Definitions are those documented in :mod:`.rules` and :mod:`.scoring`.
"""

from __future__ import annotations

import datetime as dt
import heapq

from .arrays import PAD
from .scoring import FACTORS, SCORE_SCALE


def rows(arrays) -> list[dict]:
    """Column arrays → one dict per row with plain Python values."""
    names = list(arrays.__dataclass_fields__)
    columns = {name: getattr(arrays, name).tolist() for name in names}
    return [{name: columns[name][i] for name in names} for i in range(len(arrays))]


def level(a: int, b: int) -> int:
    """ISCO proximity: 4 same unit, 3 same minor, 2 same sub-major, 1 same major, 0 otherwise."""
    if a < 0 or b < 0:
        return 0
    sa, sb = f"{a:04d}", f"{b:04d}"
    same = 0
    for size in (1, 2, 3, 4):
        if sa[:size] != sb[:size]:
            break
        same = size
    return same


def why_not(worker: dict, job: dict, rules) -> str | None:
    """The first rule the worker fails for the job (``None`` = eligible)."""
    codes = [c for c in job["isco"] if c != PAD]
    best = max((level(e, c) for e in worker["exp_isco"] for c in codes), default=0)
    if best < rules.min_occupation_level:
        return "occupation"
    if not (job["eligible_origins"] >> worker["origin"]) & 1:
        return "origin"
    slack = rules.availability_slack_days
    if worker["avail_start"] > job["begin"] + slack or worker["avail_end"] < job["end"] - slack:
        return "availability"
    if worker["passport_expiry"] < job["end"]:
        return "passport"
    if worker["languages"] & job["req_lang"] != job["req_lang"]:
        return "language"
    for start, end in zip(worker["booked_start"], worker["booked_end"], strict=True):
        if start != PAD and start <= job["end"] and end >= job["begin"]:
            return "booked"
    if job["req_exp_months"] and relevant_years(worker, job, rules) * 12 + 1e-3 < job["req_exp_months"]:
        return "experience"
    return None


def relevant_years(worker: dict, job: dict, rules) -> float:
    codes = [c for c in job["isco"] if c != PAD]
    years = 0.0
    for code, y in zip(worker["exp_isco"], worker["exp_years"], strict=True):
        if code != PAD and max((level(code, c) for c in codes), default=0) >= rules.experience_level:
            years = max(years, y)
    return years


def factors(worker: dict, job: dict, rules, weights) -> dict:
    """Each factor in [0, 1] (see :mod:`.scoring`)."""
    occupation = 0.0
    for code in worker["exp_isco"]:
        for c, method in zip(job["isco"], job["isco_method"], strict=True):
            lv = level(code, c)
            occupation = max(occupation, weights.level_value[lv] * weights.method_multiplier[method])
    experience = min(relevant_years(worker, job, rules), weights.experience_cap_years) / weights.experience_cap_years
    good = worker["good_returns"]
    bad = worker["prior_count"] - good
    participation = min(good, weights.participation_cap) / weights.participation_cap - weights.bad_return_penalty * bad
    participation = min(max(participation, 0.0), 1.0)
    wanted = bin(job["pref_lang"]).count("1")
    language = bin(worker["languages"] & job["pref_lang"]).count("1") / wanted if wanted else 1.0
    dest_fit = worker["pref_dest"] == 0 or bool((worker["pref_dest"] >> job["destination"]) & 1)
    prog_fit = worker["pref_prog"] == 0 or bool((worker["pref_prog"] >> job["programme"]) & 1)
    preference = (dest_fit + prog_fit) / 2
    return dict(zip(FACTORS, (occupation, experience, participation, language, preference), strict=True))


def score(worker: dict, job: dict, rules, weights) -> float:
    values = factors(worker, job, rules, weights)
    return sum(getattr(weights, name) * values[name] for name in FACTORS)


def shortlist(workers: list[dict], job: dict, n: int, rules, weights, filters=None) -> list[tuple[float, int]]:
    """(score, row) of the n best eligible workers, best first; ties by row. Scans everyone."""
    begin_year = (dt.date(1970, 1, 1) + dt.timedelta(days=job["begin"])).year
    found = []
    for row, worker in enumerate(workers):
        if why_not(worker, job, rules) is not None:
            continue
        if filters is not None and not _passes(worker, filters, begin_year):
            continue
        found.append((score(worker, job, rules, weights), row))
    return heapq.nsmallest(n, found, key=lambda item: (-round(item[0] * SCORE_SCALE), item[1]))


def _passes(worker: dict, filters, begin_year: int) -> bool:
    if filters.origins is not None and worker["origin"] not in filters.origins:
        return False
    if filters.regions is not None and worker["region"] not in filters.regions:
        return False
    if filters.sexes is not None and worker["sex"] not in filters.sexes:
        return False
    age = begin_year - worker["birth_year"]
    if filters.min_age is not None and age < filters.min_age:
        return False
    if filters.max_age is not None and age > filters.max_age:
        return False
    if filters.min_good_returns is not None and worker["good_returns"] < filters.min_good_returns:
        return False
    if filters.languages and worker["languages"] & filters.languages != filters.languages:
        return False
    return worker["ids"] not in set(filters.exclude_ids)


def greedy_season(workers: list[dict], jobs: list[dict], rules, weights, *,
                  multiple_orders: bool = False) -> list[tuple[int, int, int]]:
    """Baseline season run: orders by start date, each takes its best eligible workers who are
    still free (free over its period when ``multiple_orders``). Returns (worker row, job row, units)."""
    booked: dict[int, list[tuple[int, int]]] = {}
    out = []
    for j in sorted(range(len(jobs)), key=lambda r: (jobs[r]["begin"], r)):
        job = jobs[j]
        if job["positions"] <= 0:
            continue
        candidates = []
        for w, worker in enumerate(workers):
            held = booked.get(w, ())
            if held and (not multiple_orders or any(b <= job["end"] and e >= job["begin"] for b, e in held)):
                continue
            if why_not(worker, job, rules) is None:
                candidates.append((round(score(worker, job, rules, weights) * SCORE_SCALE), w))
        for units, w in heapq.nsmallest(job["positions"], candidates, key=lambda item: (-item[0], item[1])):
            booked.setdefault(w, []).append((job["begin"], job["end"]))
            out.append((w, j, units))
    return out
