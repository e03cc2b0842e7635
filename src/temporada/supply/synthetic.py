"""Seeded generator of SYNTHETIC worker profiles, for demos and scale tests. Never real people.

Every profile has ``is_synthetic=True`` and ``origin="synthetic"``; its document numbers start with "SYN"
(they can never equal a real number's keyed hash), and pages, exports and the API label it. Statistics
exclude synthetic profiles.

Where the distributions come from (also printed by ``generate_workers --explain``):
- origin country: UN DESA International Migrant Stock 2020, stock in the United States + Canada born in each
  origin country (``data/migration/undesa_international_migrant_stock_2020/…rcm_related.csv``);
- region within the country: uniform over first-level subdivisions (no regional source is vendored);
- occupation and start month: the real demand — ISCO-08 codes and begin months of the imported real job
  orders, weighted by positions; when none are imported, OFLC H-2A FY2017 primary certified cases
  (``data/labor_demand/us_oflc_h2a/raw/H-2A_Disclosure_Data_FY17.xlsx``), SOC 2010 mapped to ISCO-08 by the
  BLS crosswalk (``data/occupations/crosswalks/soc2010_isco08_bls_ibs.csv``), positions shared equally
  among the ISCO groups a SOC code maps to;
- availability: starts at the first day of the drawn start month (next occurrence after today) or up to a
  month earlier, and lasts 4 to 10 months;
- the rest are stated assumptions, not measurements: 88% men (seasonal agricultural programmes recruit
  mostly men), ages 18–55 peaking in the late twenties, 60% with a passport, Indigenous languages for part
  of Guatemalan (40%) and Mexican (7%) profiles, basic English for 15%, 30% with one to three earlier seasons,
  of which 95% returned on time.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from temporada.core.bootstrap import data_path, read_csv

from . import isco as isco_lookup
from . import pii
from .models import Consent, Participation, Worker, WorkerLanguage, WorkerOccupation

ORIGINS = ["MEX", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "BLZ", "DOM"]
FEMALE_SHARE = 0.12
PASSPORT_SHARE = 0.60
ENGLISH_BASIC_SHARE = 0.15
PRIOR_SHARE = 0.30
RETURNED_ON_TIME = 0.95
INDIGENOUS = {"GTM": (0.40, ["quc", "mam", "kek", "cak", "kjb"]), "MEX": (0.07, ["nah", "mix", "zap", "tzo", "yua"]),
              "HND": (0.02, ["cab", "miq"]), "NIC": (0.03, ["miq"])}
NATIVE = {"BLZ": "en"}

GIVEN_F = ["María", "Ana", "Rosa", "Juana", "Marta", "Carmen", "Lucía", "Elena", "Sandra", "Patricia", "Gloria",
           "Isabel", "Teresa", "Sofía", "Andrea", "Claudia", "Verónica", "Alejandra", "Yolanda", "Irma"]
GIVEN_M = ["José", "Juan", "Luis", "Carlos", "Miguel", "Pedro", "Jorge", "Francisco", "Antonio", "Manuel",
           "Jesús", "Mario", "Marvin", "Edwin", "Óscar", "Julio", "Santos", "Víctor", "Rafael", "Hugo",
           "Fernando", "Ramón", "Roberto", "Sergio", "Wilmer", "Byron", "Erick", "Nelson", "Selvin", "Arturo"]
FAMILY = ["García", "López", "Hernández", "Pérez", "Martínez", "González", "Rodríguez", "Sánchez", "Ramírez",
          "Cruz", "Gómez", "Morales", "Reyes", "Flores", "Díaz", "Méndez", "Castillo", "Jiménez", "Vásquez",
          "Ortiz", "Chávez", "Ramos", "Aguilar", "Ruiz", "Mejía", "Xol", "Tzul", "Coc", "Caal", "Ajú",
          "Choc", "Pop", "Velásquez", "Juárez", "Domínguez", "Mendoza", "Santos", "Álvarez", "Romero", "Torres"]


@dataclass
class Distributions:
    countries: list[str]
    country_weights: np.ndarray
    subdivisions: dict[str, list[str]]
    isco_codes: list[str]
    isco_weights: np.ndarray
    month_weights: np.ndarray  # 12 values, January first
    canada_share: dict[str, float] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


def _normalise(weights) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def origin_weights(countries=None) -> tuple[list[str], np.ndarray]:
    rows = read_csv(data_path("migration", "undesa_international_migrant_stock_2020",
                              "ims2020_bilateral_total_1990_2020_rcm_related.csv"))
    wanted = list(countries or ORIGINS)
    stock = Counter()
    for row in rows:
        if row["year"] == "2020" and row["destination_iso3"] in ("USA", "CAN") and row["origin_iso3"] in wanted:
            stock[row["origin_iso3"]] += int(row["migrant_stock"])
    codes = [c for c in wanted if stock[c] > 0] or wanted
    return codes, _normalise([stock[c] or 1 for c in codes])


def canada_share() -> dict[str, float]:
    """Share of each origin's 2020 stock in USA + CAN that lives in Canada (destination of past seasons)."""
    rows = read_csv(data_path("migration", "undesa_international_migrant_stock_2020",
                              "ims2020_bilateral_total_1990_2020_rcm_related.csv"))
    stock = defaultdict(Counter)
    for row in rows:
        if row["year"] == "2020" and row["destination_iso3"] in ("USA", "CAN"):
            stock[row["origin_iso3"]][row["destination_iso3"]] += int(row["migrant_stock"])
    return {origin: s["CAN"] / (s["CAN"] + s["USA"]) for origin, s in stock.items() if s["CAN"] + s["USA"]}


def _job_order_mix():
    """(ISCO weights, month weights) of the imported real job orders, or None when there are none."""
    from temporada.demand.models import JobOrder

    qs = (JobOrder.objects.filter(is_synthetic=False, is_primary=True, begin_date__isnull=False)
          .exclude(isco_code="").values_list("isco_code", "begin_date", "positions_certified", "positions_requested"))
    isco_w, month_w = Counter(), Counter()
    units = isco_lookup.unit_codes()
    for code, begin, certified, requested in qs.iterator(chunk_size=5000):
        positions = certified or requested or 0
        if positions and code in units:
            isco_w[code] += positions
            month_w[begin.month] += positions
    return (isco_w, month_w) if isco_w else None


@lru_cache(maxsize=1)
def _oflc_fy2017_mix():
    """ISCO and start-month weights of H-2A FY2017 primary certified cases (SOC 2010 → ISCO-08, equal split)."""
    from openpyxl import load_workbook

    crosswalk = defaultdict(list)
    for row in read_csv(data_path("occupations", "crosswalks", "soc2010_isco08_bls_ibs.csv")):
        crosswalk[row["soc2010_code"].strip()].append(row["isco08_code"].strip())
    path = data_path("labor_demand", "us_oflc_h2a", "raw", "H-2A_Disclosure_Data_FY17.xlsx")
    workbook = load_workbook(path, read_only=True)
    rows = workbook.active.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    col = {name: header.index(name) for name in ("CASE_STATUS", "PRIMARY/SUB", "SOC_CODE", "NBR_WORKERS_CERTIFIED",
                                                 "JOB_START_DATE", "REQUESTED_START_DATE_OF_NEED")}
    units = isco_lookup.unit_codes()
    isco_w, month_w = Counter(), Counter()
    for row in rows:
        if str(row[col["PRIMARY/SUB"]] or "").upper() != "PRI" or "CERTIFICATION" not in str(row[col["CASE_STATUS"]] or ""):
            continue
        certified = row[col["NBR_WORKERS_CERTIFIED"]] or 0
        targets = [c for c in crosswalk.get(str(row[col["SOC_CODE"]] or "")[:7], []) if c in units]
        if not certified or not targets:
            continue
        for code in targets:
            isco_w[code] += certified / len(targets)
        start = row[col["JOB_START_DATE"]] or row[col["REQUESTED_START_DATE_OF_NEED"]]
        if hasattr(start, "month"):
            month_w[start.month] += certified
    workbook.close()
    return isco_w, month_w


def load_distributions(countries=None) -> Distributions:
    codes, weights = origin_weights(countries)
    from temporada.core.models import Subdivision

    subdivisions = defaultdict(list)
    for code, country in Subdivision.objects.filter(country_id__in=codes).values_list("code", "country_id"):
        subdivisions[country].append(code)
    sources = ["UN DESA International Migrant Stock 2020 (USA + CAN)"]
    mix = _job_order_mix()
    if mix:
        sources.append("imported real job orders (ISCO-08, begin month, positions)")
    else:
        mix = _oflc_fy2017_mix()
        sources.append("OFLC H-2A FY2017 primary certified cases, SOC 2010 → ISCO-08 (BLS crosswalk)")
    isco_w, month_w = mix
    isco_codes = sorted(isco_w)
    return Distributions(
        countries=codes, country_weights=weights, subdivisions={k: sorted(v) for k, v in subdivisions.items()},
        isco_codes=isco_codes, isco_weights=_normalise([isco_w[c] for c in isco_codes]),
        month_weights=_normalise([month_w.get(m, 0) + 1e-9 for m in range(1, 13)]), sources=sources,
        canada_share=canada_share(),
    )


def _next_start(month: int, today: date) -> date:
    year = today.year if month > today.month else today.year + 1
    return date(year, month, 1)


def _id_for(seed: int, index: int, kind: str) -> str:
    return f"SYN{seed}{kind}{index}"


def generate(*, count: int, seed: int, countries=None, batch_size: int = 5000, stdout=None,
             dist: Distributions | None = None, today: date | None = None, writer: str = "fast") -> int:
    """Create ``count`` synthetic profiles (deterministic for a given seed, count, batch size and data).

    ``writer="fast"`` inserts each batch with one parametrised executemany per table (ids reserved up front);
    ``writer="orm"`` uses Django's bulk_create for the same rows and ``writer="naive"`` one save() per object
    (both slower; the benchmark compares the three)."""
    if writer not in WRITERS:
        raise ValueError(f"unknown writer {writer!r}")
    dist = dist or load_distributions(countries)
    today = today or timezone.localdate()
    rng = np.random.default_rng(seed)
    # continue numbering after existing synthetic profiles so a second run never repeats a document number
    start_index = Worker.objects.filter(is_synthetic=True).count()
    created = 0
    started = time.monotonic()
    while created < count:
        size = min(batch_size, count - created)
        with transaction.atomic():
            _batch(rng, dist, size, seed, start_index + created, today, writer)
        created += size
        if stdout is not None:
            rate = created / max(time.monotonic() - started, 1e-9)
            stdout.write(f"  {created:,} / {count:,} synthetic profiles ({rate:,.0f}/s)")
    return created


def _batch(rng, dist: Distributions, size: int, seed: int, offset: int, today: date, writer: str = "fast") -> None:
    country_idx = rng.choice(len(dist.countries), size=size, p=dist.country_weights)
    female = rng.random(size) < FEMALE_SHARE
    # ages 18–55: triangular with mode 28
    ages = np.clip(rng.triangular(18, 28, 56, size=size).astype(int), 18, 55)
    birth_offsets = rng.integers(0, 365, size=size)
    given_f = rng.integers(0, len(GIVEN_F), size=size)
    given_m = rng.integers(0, len(GIVEN_M), size=size)
    family = rng.integers(0, len(FAMILY), size=(size, 2))
    sub_draw = rng.random(size)
    occ_count = rng.choice([1, 2, 3], size=size, p=[0.6, 0.3, 0.1])
    occ_codes = rng.choice(len(dist.isco_codes), size=(size, 3), p=dist.isco_weights)
    years = rng.poisson(5, size=(size, 3))
    start_month = rng.choice(12, size=size, p=dist.month_weights) + 1
    early_days = rng.integers(0, 31, size=size)
    window_months = rng.integers(4, 11, size=size)
    has_passport = rng.random(size) < PASSPORT_SHARE
    passport_days = rng.integers(-365, 3650, size=size)
    indigenous_draw = rng.random(size)
    indigenous_pick = rng.integers(0, 5, size=size)
    english = rng.random(size) < ENGLISH_BASIC_SHARE
    prior = rng.random(size) < PRIOR_SHARE
    prior_seasons = rng.integers(1, 4, size=size)
    returned = rng.random((size, 3)) < RETURNED_ON_TIME
    to_canada = rng.random((size, 3))
    matching_consent = rng.random(size) < 0.97
    verified = rng.random(size) < 0.85
    education = rng.choice(["0", "1", "2", "3", "4"], size=size, p=[0.12, 0.45, 0.25, 0.15, 0.03])
    consent_days = rng.integers(1, 400, size=size)

    now = timezone.now()
    workers, children = [], []
    for i in range(size):
        index = offset + i
        country = dist.countries[country_idx[i]]
        born = date(today.year - int(ages[i]) - 1, 1, 1) + timedelta(days=int(birth_offsets[i]))
        regions = dist.subdivisions.get(country) or [None]
        region = regions[int(sub_draw[i] * len(regions))]
        national = _id_for(seed, index, "N")
        start = _next_start(int(start_month[i]), today) - timedelta(days=int(early_days[i]))
        start = max(start, today)
        end_month = start.month - 1 + int(window_months[i])
        end = date(start.year + end_month // 12, end_month % 12 + 1, 1) - timedelta(days=1)
        passport_hash = passport_token = passport_last4 = ""
        passport_expiry = None
        if has_passport[i]:
            passport = _id_for(seed, index, "P")
            passport_hash = pii.lookup_hash("passport", country, passport)
            passport_token, passport_last4 = pii.encrypt(passport), pii.last4(passport)
            passport_expiry = today + timedelta(days=int(passport_days[i]))
        max_years = max(int(ages[i]) - 16, 0)
        occupations, seen = [], set()
        for k in range(int(occ_count[i])):
            code = dist.isco_codes[occ_codes[i, k]]
            if code not in seen:
                seen.add(code)
                occupations.append((code, int(min(years[i, k] // (k + 1), max_years))))
        primary = max(occupations, key=lambda o: o[1])
        languages = [(NATIVE.get(country, "es"), "native")]
        share, options = INDIGENOUS.get(country, (0, []))
        if indigenous_draw[i] < share:
            languages.append((options[int(indigenous_pick[i]) % len(options)], "native"))
        if english[i] and languages[0][0] != "en":
            languages.append(("en", "basic"))
        seasons = []
        if prior[i]:
            for k in range(int(prior_seasons[i])):
                season = today.year - 1 - k
                if season >= born.year + 18:
                    destination = "CAN" if to_canada[i, k] < dist.canada_share.get(country, 0) else "USA"
                    seasons.append((season, destination, bool(returned[i, k])))
        female_i = bool(female[i])
        workers.append({
            "given_names": GIVEN_F[given_f[i]] if female_i else GIVEN_M[given_m[i]],
            "family_names": f"{FAMILY[family[i, 0]]} {FAMILY[family[i, 1]]}",
            "birth_date": born, "sex": "F" if female_i else "M", "nationality_id": country,
            "national_id_hash": pii.lookup_hash("national_id", country, national),
            "national_id_encrypted": pii.encrypt(national), "national_id_last4": pii.last4(national),
            "passport_hash": passport_hash, "passport_encrypted": passport_token, "passport_last4": passport_last4,
            "passport_expiry": passport_expiry, "residence_subdivision_id": region,
            "education_level": str(education[i]), "primary_isco": primary[0], "primary_years": primary[1],
            "available_from": start, "available_until": end,
            "status": Worker.Status.VERIFIED.value if verified[i] else Worker.Status.REGISTERED.value,
            "has_registry_consent": True, "has_matching_consent": bool(matching_consent[i]),
            "origin": Worker.Origin.SYNTHETIC.value, "created_at": now, "updated_at": now, "is_synthetic": True,
        })
        children.append((occupations, languages, seasons, today - timedelta(days=int(consent_days[i]))))
    WRITERS[writer](workers, children, now)


WORKER_DEFAULTS = {"phone": "", "email": "", "residence_locality": "", "skills": "", "consent_withdrawn_at": None,
                   "upload_id": None, "account_id": None, "created_by_id": None, "verified_by_id": None,
                   "verified_at": None}


def _child_rows(worker_ids, children, now):
    occ, lang, part, consent = [], [], [], []
    for (pk, matching), (occupations, languages, seasons, consent_day) in zip(worker_ids, children, strict=True):
        occ += [(pk, code, years, "") for code, years in occupations]
        lang += [(pk, code, level) for code, level in languages]
        part += [(pk, None, destination, None, "(sintético)", season, None, None, returned, "")
                 for season, destination, returned in seasons]
        consent.append((pk, Consent.Purpose.REGISTRY.value, consent_day, Consent.Method.SYNTHETIC.value, "2025-1",
                        None, "", None, now))
        if matching:
            consent.append((pk, Consent.Purpose.MATCHING.value, consent_day, Consent.Method.SYNTHETIC.value, "2025-1",
                            None, "", None, now))
    return occ, lang, part, consent


CHILD_COLUMNS = {
    WorkerOccupation: ["worker_id", "isco_code", "years", "description"],
    WorkerLanguage: ["worker_id", "language", "level"],
    Participation: ["worker_id", "programme_id", "destination_id", "employer_id", "employer_name", "season",
                    "start_date", "end_date", "returned_on_time", "notes"],
    Consent: ["worker_id", "purpose", "given_on", "method", "text_version", "withdrawn_at", "withdrawal_reason",
              "recorded_by_id", "created_at"],
}


def _reserve_ids(count: int) -> list[int]:
    """Primary keys for ``count`` new workers: from the sequence on PostgreSQL, after the largest id elsewhere."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [Worker._meta.db_table, count])
            return [row[0] for row in cursor.fetchall()]
    from django.db.models import Max

    first = (Worker.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    return list(range(first, first + count))


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """One parametrised multi-row INSERT per call (executemany): no model instances, no per-row compilation."""
    from django.db import connection

    if not rows:
        return
    quote = connection.ops.quote_name
    column_sql = ", ".join(quote(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    # table and column names come from the model's metadata, values are parameters
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({column_sql}) VALUES ({placeholders})"  # noqa: S608
    adapt = _adapters(model, columns, connection)
    if any(adapt):
        rows = [tuple(f(v) if f else v for f, v in zip(adapt, row, strict=True)) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _adapters(model, columns, connection):
    """Per-column converters to what the database driver expects (resolved once per table, not per value)."""
    from django.db import models as m

    ops = connection.ops
    cache: dict = {}

    def datetime_value(value):
        if value is None:
            return None
        if value not in cache:
            cache[value] = ops.adapt_datetimefield_value(value)
        return cache[value]

    date_value = (lambda v: v.isoformat() if v is not None else None) if connection.vendor == "sqlite" else None
    out = []
    for column in columns:
        field = model._meta.get_field(column[:-3] if column.endswith("_id") and column != "id" else column)
        if isinstance(field, m.DateTimeField):
            out.append(datetime_value)
        elif isinstance(field, m.DateField):
            out.append(date_value)
        else:
            out.append(None)
    return out


def _write_fast(workers: list[dict], children, now) -> None:
    ids = _reserve_ids(len(workers))
    columns = ["id", *workers[0].keys(), *WORKER_DEFAULTS.keys()]
    rows = [(pk, *w.values(), *WORKER_DEFAULTS.values()) for pk, w in zip(ids, workers, strict=True)]
    _insert(Worker, columns, rows)
    occ, lang, part, consent = _child_rows([(pk, w["has_matching_consent"]) for pk, w in zip(ids, workers, strict=True)],
                                           children, now)
    for model, rows in ((WorkerOccupation, occ), (WorkerLanguage, lang), (Participation, part), (Consent, consent)):
        _insert(model, CHILD_COLUMNS[model], rows)


def _write_orm(workers: list[dict], children, now) -> None:
    """The same rows through Django's bulk_create (kept for the benchmark's comparison)."""
    objects = Worker.objects.bulk_create([Worker(**w) for w in workers], batch_size=2000)
    occ, lang, part, consent = _child_rows([(o.pk, o.has_matching_consent) for o in objects], children, now)
    for model, rows in ((WorkerOccupation, occ), (WorkerLanguage, lang), (Participation, part), (Consent, consent)):
        columns = CHILD_COLUMNS[model]
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=5000)


def _write_naive(workers: list[dict], children, now) -> None:
    """One save() per object: the straightforward baseline the benchmark compares against."""
    for fields, extra in zip(workers, children, strict=True):
        worker = Worker(**fields)
        worker.save()
        (occ, lang, part, consent) = _child_rows([(worker.pk, worker.has_matching_consent)], [extra], now)
        for model, rows in ((WorkerOccupation, occ), (WorkerLanguage, lang), (Participation, part), (Consent, consent)):
            for row in rows:
                model(**dict(zip(CHILD_COLUMNS[model], row, strict=True))).save()


WRITERS = {"fast": _write_fast, "orm": _write_orm, "naive": _write_naive}


DELETE_CHUNK = 20_000


def delete_synthetic() -> int:
    """Remove every synthetic profile (real ones are never touched)."""
    from .signals import profiles_deleted

    qs = Worker.objects.filter(is_synthetic=True)
    count = qs.count()
    with transaction.atomic():
        countries = set(qs.values_list("nationality_id", flat=True).distinct().order_by())
        for model in (WorkerOccupation, WorkerLanguage, Participation, Consent):
            model.objects.filter(worker__in=qs).delete()
        Worker.preferred_destinations.through.objects.filter(worker__in=qs).delete()
        Worker.preferred_programmes.through.objects.filter(worker__in=qs).delete()
        # By id ranges: Django's collector loads the profiles it deletes (to check protected references), which
        # took 3.7 GB for 1,000,000 profiles in one go.
        bounds = qs.aggregate(low=Min("id"), high=Max("id"))
        low, high = bounds["low"], bounds["high"]
        while low is not None and low <= high:
            qs.filter(id__gte=low, id__lt=low + DELETE_CHUNK).delete()
            low += DELETE_CHUNK
        profiles_deleted.send(sender=Worker, countries=countries)
    return count
