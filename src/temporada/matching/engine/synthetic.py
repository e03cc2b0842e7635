"""Seeded generator of SYNTHETIC workers and job orders as engine arrays (benchmarks and tests only).

Everything produced here is synthetic: it must never reach published statistics. The same seed
always gives the same arrays.

Where each distribution comes from
==================================

Derived from the vendored official files (``DemandMix.from_files``):

* **Job orders** are bootstrapped from real certified cases: each synthetic order copies the
  occupation, start day-of-year, duration, number of positions and required months of experience of
  one real case drawn at random, moved to the synthetic season year.

  - H-2A: OFLC H-2A disclosure FY2017 (``H-2A_Disclosure_Data_FY17.xlsx``), primary cases
    (``PRIMARY/SUB = PRI``) with certified workers > 0 — they add up to OFLC's published 200,049
    positions. ``JOB_START_DATE``/``JOB_END_DATE``, ``NBR_WORKERS_CERTIFIED``,
    ``EMP_EXP_NUM_MONTHS``, ``SOC_CODE`` (O*NET suffixes ``.00`` cut to the SOC code).
  - H-2B: OFLC H-2B disclosure FY2017 (``H-2B_FY2017.xlsx``), cases certified or partially certified
    (incl. expired) with certified workers > 0; ``CERTIFICATION_BEGIN/END_DATE``.
  - Canada (SAWP): ESDC positive LMIA list, *Primary Agriculture* stream, calendar year 2019
    (``lmia_positive_primary_agriculture_2017q1_2024q4.csv``): NOC code and approved positions per
    row. The file has no dates, so the season of a random H-2A case is used, capped at 240 days
    (SAWP contracts last at most 8 months). Required experience: 0.
  - The mix of programmes follows the number of such cases/rows in each file.
* **Occupations**: SOC 2010 → ISCO-08 via the IBS/BLS crosswalk (``soc2010_isco08_bls_ibs.csv``),
  all counterparts kept (up to 6, numeric order), method "unique" or "one of several". NOC 2011 →
  ISCO-08 has no vendored crosswalk: the few NOC codes of the agricultural stream are mapped by the
  small hand-made table ``NOC_TO_ISCO`` below (an assumption; rows with other codes are dropped).
* **Eligible origin countries** per programme: the programme catalogue (``catalogue.json``).
* **Regions**: the first-level subdivisions of each origin country in ``reference/subdivisions.csv``.
* **Workers' occupations and availability follow the demand**: each experience slot and each
  availability window is taken from a real case drawn in proportion to its positions.

Assumptions (no vendored source; chosen to resemble the programmes, labelled here):

* Origin country weights ``ORIGIN_WEIGHTS`` (Mexico dominant, Guatemala second, Jamaica for SAWP).
* Regions: uniform among the country's subdivisions (-1 where the file has none).
* Sex: 90 % male, 10 % female. Age 18–60, triangular with mode 30.
* 1/2/3 experience slots with probability 0.5/0.35/0.15; first crosswalk code with probability 0.6;
  10 % of slots replaced by a random ISCO unit group (noise); years ≈ exponential with mean 3.
* Availability: from a demand case's start minus 0–60 days to its end plus 0–120 days; 10 % of
  workers available all year.
* Languages: Spanish for Latin American origins, English for the Caribbean ones; 35 % of
  Guatemalans also speak a Mayan language, 12 % of Spanish speakers speak English, 3 % French.
* 80 % hold a passport expiring between one year before and ten years after the season starts.
* 45 % took part before (1 + Poisson(2) times), each returning in good standing with prob. 0.92.
* 40 % state a preferred destination and 30 % a preferred programme (among those open to them).
* 5 % are already booked for one period taken from a demand case.
* Job orders: 2 % require English, 20 % prefer it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .arrays import (
    BOOKED_SLOTS,
    EXPERIENCE_SLOTS,
    JOB_ISCO_SLOTS,
    METHOD_CROSSWALK_SEVERAL,
    METHOD_CROSSWALK_UNIQUE,
    PAD,
    SEX_FEMALE,
    SEX_MALE,
    JobArrays,
    WorkerArrays,
    to_days,
)

SYNTHETIC_LABEL = "synthetic"

COUNTRIES = (
    "USA", "CAN", "MEX", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "BLZ", "DOM",
    "JAM", "TTO", "BRB", "LCA", "GRD", "VCT", "DMA", "ATG", "KNA", "AIA", "MSR",
)
COUNTRY_BIT = {iso3: bit for bit, iso3 in enumerate(COUNTRIES)}
PROGRAMMES = ("us-h2a", "us-h2b", "ca-sawp")
PROGRAMME_BIT = {slug: bit for bit, slug in enumerate(PROGRAMMES)}
PROGRAMME_DESTINATION = {"us-h2a": "USA", "us-h2b": "USA", "ca-sawp": "CAN"}
LANGUAGES = ("es", "en", "fr", "myn")  # myn: Mayan languages (ISO 639-2 collective code)
LANG_BIT = {code: bit for bit, code in enumerate(LANGUAGES)}

ORIGIN_WEIGHTS = {  # assumption (see module docstring)
    "MEX": 0.60, "GTM": 0.12, "HND": 0.05, "SLV": 0.04, "NIC": 0.02, "DOM": 0.02, "CRI": 0.01,
    "PAN": 0.005, "BLZ": 0.005, "JAM": 0.08, "TTO": 0.01, "BRB": 0.01, "LCA": 0.01, "GRD": 0.005,
    "VCT": 0.005, "DMA": 0.005, "ATG": 0.005, "KNA": 0.005,
}
ENGLISH_SPEAKING = {"JAM", "TTO", "BRB", "LCA", "GRD", "VCT", "DMA", "ATG", "KNA", "AIA", "MSR", "BLZ"}

NOC_TO_ISCO = {  # assumption: hand-made NOC 2011 → ISCO-08 for the agricultural stream
    "8431": (9211, 9212, 9213),  # General farm workers
    "8432": (9214, 6113),  # Nursery and greenhouse workers
    "8611": (9211,),  # Harvesting labourers
    "8252": (6121, 6130),  # Agricultural service contractors, farm supervisors, livestock workers
    "0821": (1311,),  # Managers in agriculture
    "0822": (1311,),  # Managers in horticulture
}
SAWP_MAX_DAYS = 240


@dataclass(frozen=True)
class DemandMix:
    """Real cases the generator draws from (one row per case), plus codebooks."""

    programme: np.ndarray  # programme bit
    isco: np.ndarray  # (c, 6) ISCO counterparts of the case's occupation
    method: np.ndarray  # (c, 6)
    start_doy: np.ndarray  # day of year the job starts (0-based)
    duration: np.ndarray  # days from start to end
    positions: np.ndarray
    exp_months: np.ndarray
    occupation: np.ndarray  # SOC/NOC code as text (labels only)
    eligible_origins: dict  # programme slug -> tuple of ISO3
    isco_units: np.ndarray  # every ISCO-08 unit group (noise codes)
    regions: dict  # ISO3 -> tuple of global region numbers
    region_codes: tuple  # global region number -> subdivision code

    @classmethod
    def from_files(cls, data_dir: str | Path) -> DemandMix:
        return _load_mix(str(Path(data_dir).resolve()))

    def __len__(self) -> int:
        return int(self.programme.shape[0])


def _day_of_year(value: dt.date) -> int:
    return (value - dt.date(value.year, 1, 1)).days


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


@functools.lru_cache(maxsize=4)
def _load_mix(data_dir: str) -> DemandMix:
    from python_calamine import CalamineWorkbook

    root = Path(data_dir)
    crosswalk: dict[str, list[int]] = {}
    with (root / "occupations/crosswalks/soc2010_isco08_bls_ibs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            codes = crosswalk.setdefault(row["soc2010_code"].strip(), [])
            code = int(row["isco08_code"])
            if code not in codes:
                codes.append(code)
    rows: list[tuple] = []  # programme, codes, start_doy, duration, positions, exp, occupation

    def add(programme: str, codes, start: dt.date, end: dt.date, positions: float, exp: float, occ: str):
        if not codes or positions <= 0 or end < start:
            return
        rows.append((PROGRAMME_BIT[programme], tuple(sorted(codes))[:JOB_ISCO_SLOTS], _day_of_year(start),
                     min((end - start).days, 364), int(positions), int(min(max(exp, 0), 60)), occ))

    sheet = CalamineWorkbook.from_path(str(root / "labor_demand/us_oflc_h2a/raw/H-2A_Disclosure_Data_FY17.xlsx"))
    table = sheet.get_sheet_by_index(0).to_python()
    col = {name: i for i, name in enumerate(table[0])}
    h2a_seasons = []
    for r in table[1:]:
        if r[col["PRIMARY/SUB"]] != "PRI":
            continue
        start, end = _as_date(r[col["JOB_START_DATE"]]), _as_date(r[col["JOB_END_DATE"]])
        soc = str(r[col["SOC_CODE"]]).strip()[:7]
        if start is None or end is None:
            continue
        add("us-h2a", crosswalk.get(soc), start, end, _number(r[col["NBR_WORKERS_CERTIFIED"]]),
            _number(r[col["EMP_EXP_NUM_MONTHS"]]), soc)
        if end >= start:
            h2a_seasons.append((_day_of_year(start), min((end - start).days, 364)))

    sheet = CalamineWorkbook.from_path(str(root / "labor_demand/us_oflc_h2b/raw/H-2B_FY2017.xlsx"))
    table = sheet.get_sheet_by_index(0).to_python()
    col = {name: i for i, name in enumerate(table[0])}
    certified = {"Certification", "Partial Certification", "Certification Expired", "Partial Certification Expired"}
    for r in table[1:]:
        if r[col["CASE_STATUS"]] not in certified:
            continue
        start, end = _as_date(r[col["CERTIFICATION_BEGIN_DATE"]]), _as_date(r[col["CERTIFICATION_END_DATE"]])
        soc = str(r[col["SOC_CODE"]]).strip()[:7]
        if start is None or end is None:
            continue
        add("us-h2b", crosswalk.get(soc), start, end, _number(r[col["NBR_WORKERS_CERTIFIED"]]),
            _number(r[col["EMP_EXP_NUM_MONTHS"]]), soc)

    seasons = np.array(h2a_seasons, dtype=np.int32)
    pick = np.random.default_rng(2019)  # fixed: which H-2A season each LMIA row borrows
    path = root / "labor_demand/canada_lmia/lmia_positive_primary_agriculture_2017q1_2024q4.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["year"] != "2019" or row["noc_version"] != "NOC 2011":
                continue
            codes = NOC_TO_ISCO.get(row["noc_code"].strip())
            doy, duration = seasons[pick.integers(0, len(seasons))]
            start = dt.date(2019, 1, 1) + dt.timedelta(days=int(doy))
            end = start + dt.timedelta(days=int(min(duration, SAWP_MAX_DAYS)))
            add("ca-sawp", codes, start, end, _number(row["approved_positions"]), 0, row["noc_code"].strip())

    count = len(rows)
    isco = np.full((count, JOB_ISCO_SLOTS), PAD, np.int16)
    method = np.zeros((count, JOB_ISCO_SLOTS), np.int8)
    for i, (_, codes, *_rest) in enumerate(rows):
        isco[i, : len(codes)] = codes
        method[i, : len(codes)] = METHOD_CROSSWALK_UNIQUE if len(codes) == 1 else METHOD_CROSSWALK_SEVERAL

    catalogue = json.loads((root / "programmes/catalogue.json").read_text(encoding="utf-8"))
    eligible = {p["slug"]: tuple(p.get("eligible_origins") or ()) for p in catalogue["programmes"]}

    units = []
    with (root / "occupations/isco08/isco08_groups_en_es_fr.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "4":
                units.append(int(row["code"]))

    iso2_to_iso3 = {}
    with (root / "reference/countries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            iso2_to_iso3[row["iso2"]] = row["iso3"]
    region_codes: list[str] = []
    regions: dict[str, list[int]] = {}
    with (root / "reference/subdivisions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            iso3 = iso2_to_iso3.get(row["country_iso2"])
            if iso3 in ORIGIN_WEIGHTS:
                regions.setdefault(iso3, []).append(len(region_codes))
                region_codes.append(row["code"])

    return DemandMix(
        programme=np.array([r[0] for r in rows], np.int8),
        isco=isco,
        method=method,
        start_doy=np.array([r[2] for r in rows], np.int32),
        duration=np.array([r[3] for r in rows], np.int32),
        positions=np.array([r[4] for r in rows], np.int32),
        exp_months=np.array([r[5] for r in rows], np.int16),
        occupation=np.array([r[6] for r in rows]),
        eligible_origins={slug: eligible.get(slug, ()) for slug in PROGRAMMES},
        isco_units=np.array(sorted(units), np.int16),
        regions={iso3: tuple(v) for iso3, v in regions.items()},
        region_codes=tuple(region_codes),
    )


def origin_mask(iso3_codes) -> int:
    """Bitmask of the given ISO3 codes in :data:`COUNTRIES` (codes outside it are ignored)."""
    mask = 0
    for iso3 in iso3_codes:
        if iso3 in COUNTRY_BIT:
            mask |= 1 << COUNTRY_BIT[iso3]
    return mask


def season_start(season_year: int) -> int:
    return to_days(dt.date(season_year, 1, 1))


def generate_jobs(count: int, *, mix: DemandMix, seed: int, season_year: int = 2027,
                  first_id: int = 1) -> JobArrays:
    """``count`` SYNTHETIC job orders bootstrapped from the real cases in ``mix``."""
    rng = np.random.default_rng([seed, 1])
    case = rng.integers(0, len(mix), count)
    programme = mix.programme[case]
    dest = np.array([COUNTRY_BIT[PROGRAMME_DESTINATION[p]] for p in PROGRAMMES], np.int8)[programme]
    eligible = np.array([origin_mask(mix.eligible_origins[p]) for p in PROGRAMMES], np.uint64)[programme]
    begin = season_start(season_year) + mix.start_doy[case]
    end = begin + mix.duration[case]
    english = np.uint32(1 << LANG_BIT["en"])
    req_lang = np.where(rng.random(count) < 0.02, english, np.uint32(0))
    pref_lang = np.where(rng.random(count) < 0.20, english, np.uint32(0))
    return JobArrays(
        ids=np.arange(first_id, first_id + count, dtype=np.int64),
        programme=programme,
        destination=dest,
        eligible_origins=eligible,
        begin=begin,
        end=end,
        isco=mix.isco[case],
        isco_method=mix.method[case],
        req_exp_months=mix.exp_months[case],
        req_lang=req_lang,
        pref_lang=pref_lang,
        positions=mix.positions[case],
    )


def generate_workers(count: int, *, mix: DemandMix, seed: int, season_year: int = 2027,
                     first_id: int = 1) -> WorkerArrays:
    """``count`` SYNTHETIC worker profiles whose occupations and availability follow the demand."""
    rng = np.random.default_rng([seed, 2])
    origins = list(ORIGIN_WEIGHTS)
    weights = np.array([ORIGIN_WEIGHTS[o] for o in origins])
    origin_pos = rng.choice(len(origins), size=count, p=weights / weights.sum())
    origin = np.array([COUNTRY_BIT[o] for o in origins], np.int8)[origin_pos]

    region = np.full(count, PAD, np.int32)
    for pos, iso3 in enumerate(origins):
        members = np.flatnonzero(origin_pos == pos)
        choices = mix.regions.get(iso3)
        if choices and members.size:
            region[members] = np.asarray(choices, np.int32)[rng.integers(0, len(choices), members.size)]

    sex = np.where(rng.random(count) < 0.9, SEX_MALE, SEX_FEMALE).astype(np.int8)
    birth_year = (season_year - np.rint(rng.triangular(18, 30, 60, count))).astype(np.int16)

    # experience slots follow the demand, weighted by positions
    case_p = mix.positions / mix.positions.sum()
    slots = np.select([rng.random(count) < 0.5, rng.random(count) < 0.7], [1, 2], 3)
    exp_isco = np.full((count, EXPERIENCE_SLOTS), PAD, np.int16)
    exp_years = np.zeros((count, EXPERIENCE_SLOTS), np.float32)
    valid_codes = (mix.isco != PAD).sum(axis=1)
    for slot in range(EXPERIENCE_SLOTS):
        case = rng.choice(len(mix), size=count, p=case_p)
        which = np.where(rng.random(count) < 0.6, 0, rng.integers(0, 1 << 20, count) % valid_codes[case])
        code = mix.isco[case, which]
        noise = rng.random(count) < 0.10
        code = np.where(noise, mix.isco_units[rng.integers(0, len(mix.isco_units), count)], code)
        years = np.clip(np.rint(rng.exponential(3.0, count) * 2) / 2, 0, 30)
        used = slot < slots
        duplicate = (exp_isco[:, :slot] == code[:, None]).any(axis=1) if slot else np.zeros(count, bool)
        take = used & ~duplicate
        exp_isco[take, slot] = code[take]
        exp_years[take, slot] = years[take]
    # keep filled slots first
    order = np.argsort(exp_isco == PAD, axis=1, kind="stable")
    exp_isco = np.take_along_axis(exp_isco, order, axis=1)
    exp_years = np.take_along_axis(exp_years, order, axis=1)

    english = np.array([o in ENGLISH_SPEAKING for o in origins])[origin_pos]
    languages = np.where(english, 1 << LANG_BIT["en"], 1 << LANG_BIT["es"]).astype(np.uint32)
    languages |= np.where(~english & (rng.random(count) < 0.12), 1 << LANG_BIT["en"], 0).astype(np.uint32)
    languages |= np.where(rng.random(count) < 0.03, 1 << LANG_BIT["fr"], 0).astype(np.uint32)
    guatemalan = origin == COUNTRY_BIT["GTM"]
    languages |= np.where(guatemalan & (rng.random(count) < 0.35), 1 << LANG_BIT["myn"], 0).astype(np.uint32)

    start0 = season_start(season_year)
    passport = np.where(rng.random(count) < 0.8, start0 + rng.integers(-365, 3650, count), PAD).astype(np.int32)

    case = rng.choice(len(mix), size=count, p=case_p)
    avail_start = start0 + mix.start_doy[case] - rng.integers(0, 61, count)
    avail_end = start0 + mix.start_doy[case] + mix.duration[case] + rng.integers(0, 121, count)
    all_year = rng.random(count) < 0.10
    avail_start = np.where(all_year, start0, avail_start).astype(np.int32)
    avail_end = np.where(all_year, start0 + 364, avail_end).astype(np.int32)

    took_part = rng.random(count) < 0.45
    prior = np.where(took_part, 1 + rng.poisson(2.0, count), 0).astype(np.int16)
    good = rng.binomial(prior, 0.92).astype(np.int16)

    open_to = [
        [p for p in PROGRAMMES if o in mix.eligible_origins[p]] or list(PROGRAMMES) for o in origins
    ]
    prog_choice = np.array([[PROGRAMME_BIT[p] for p in (opts * 3)[:3]] for opts in open_to], np.int8)
    chosen_prog = prog_choice[origin_pos, rng.integers(0, 3, count)]
    dest_bits = np.array([COUNTRY_BIT[PROGRAMME_DESTINATION[p]] for p in PROGRAMMES], np.uint64)
    pref_dest = np.where(rng.random(count) < 0.4, np.left_shift(np.uint64(1), dest_bits[chosen_prog]), np.uint64(0))
    chosen_prog2 = prog_choice[origin_pos, rng.integers(0, 3, count)].astype(np.uint64)
    pref_prog = np.where(rng.random(count) < 0.3, np.left_shift(np.uint64(1), chosen_prog2), np.uint64(0))

    booked_start = np.full((count, BOOKED_SLOTS), PAD, np.int32)
    booked_end = np.full((count, BOOKED_SLOTS), PAD, np.int32)
    booked = np.flatnonzero(rng.random(count) < 0.05)
    case = rng.choice(len(mix), size=booked.size, p=case_p)
    booked_start[booked, 0] = start0 + mix.start_doy[case]
    booked_end[booked, 0] = start0 + mix.start_doy[case] + mix.duration[case]

    return WorkerArrays(
        ids=np.arange(first_id, first_id + count, dtype=np.int64),
        origin=origin,
        region=region,
        sex=sex,
        birth_year=birth_year,
        exp_isco=exp_isco,
        exp_years=exp_years,
        languages=languages,
        passport_expiry=passport,
        avail_start=avail_start,
        avail_end=avail_end,
        prior_count=prior,
        good_returns=good,
        pref_dest=pref_dest,
        pref_prog=pref_prog,
        booked_start=booked_start,
        booked_end=booked_end,
    )

