"""Reads of the registry. Every list starts from ``Worker.objects.restrict(user, action)``."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .models import LANGUAGE_LEVEL_RANK, Worker
from .pii import lookup_hash, normalise_document
from .stats import month_end


def registry_for(user, filters: dict | None = None, *, action: str = "view"):
    """Profiles ``user`` may see, filtered. Withdrawn-consent profiles only when asked for (legal record)."""
    filters = filters or {}
    qs = Worker.objects.restrict(user, action)
    if filters.get("consent") == "withdrawn":
        qs = qs.filter(has_registry_consent=False)
    else:
        qs = qs.in_registry()
    if filters.get("q"):
        for word in filters["q"].split()[:5]:
            qs = qs.filter(Q(given_names__icontains=word) | Q(family_names__icontains=word))
    if filters.get("document"):
        # exact look-up through the keyed hash: the number itself is never compared in clear
        number = filters["document"]
        hashes = [lookup_hash("national_id", country, number) for country in _countries_of(user)]
        hashes += [lookup_hash("passport", country, number) for country in _countries_of(user)]
        qs = qs.filter(Q(national_id_hash__in=hashes) | Q(passport_hash__in=hashes)) if normalise_document(number) else qs.none()
    if filters.get("country"):
        qs = qs.filter(nationality_id=filters["country"])
    if filters.get("subdivision"):
        qs = qs.filter(residence_subdivision_id=filters["subdivision"])
    if filters.get("occupation"):
        qs = qs.filter(occupations__isco_code__startswith=filters["occupation"]).distinct()
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("sex"):
        qs = qs.filter(sex=filters["sex"])
    if filters.get("available_in"):
        year, month = (int(p) for p in filters["available_in"].split("-"))
        first = date(year, month, 1)
        qs = qs.filter(available_from__lte=first, available_until__gte=month_end(first))
    if filters.get("synthetic") == "real":
        qs = qs.filter(is_synthetic=False)
    elif filters.get("synthetic") == "synthetic":
        qs = qs.filter(is_synthetic=True)
    return qs.select_related("nationality", "residence_subdivision")


def _countries_of(user) -> list[str]:
    if getattr(user, "is_authenticated", False) and user.is_admin_role:
        return list(Worker.objects.values_list("nationality_id", flat=True).distinct())
    return sorted(getattr(user, "country_codes", ()) or ())


def verification_queue(user):
    return (Worker.objects.restrict(user, "review").in_registry()
            .filter(status__in=[Worker.Status.PENDING, Worker.Status.REGISTERED])
            .select_related("nationality", "residence_subdivision").order_by("created_at", "id"))


EXPORT_HEADER = [
    "id", "synthetic", "nationality", "residence_subdivision", "given_names", "family_names", "birth_date", "sex",
    "national_id_last4", "passport_last4", "passport_expiry", "primary_isco", "primary_years", "occupations",
    "languages", "available_from", "available_until", "status", "registry_consent", "matching_consent", "origin",
]


def export_rows(qs):
    """Rows for CSV/XLSX. Document numbers only as last 4 characters: the full numbers are never exported."""
    qs = qs.prefetch_related("occupations", "languages").order_by("id")
    for w in qs.iterator(chunk_size=2000):
        yield [
            w.pk, "SINTÉTICO" if w.is_synthetic else "", w.nationality_id, w.residence_subdivision_id or "",
            w.given_names, w.family_names, w.birth_date, w.sex, w.national_id_last4, w.passport_last4,
            w.passport_expiry, w.primary_isco, w.primary_years,
            ";".join(f"{o.isco_code}:{o.years}" for o in w.occupations.all()),
            ";".join(f"{lang.language}:{lang.level}" for lang in w.languages.all()),
            w.available_from, w.available_until, w.status, w.has_registry_consent, w.has_matching_consent, w.origin,
        ]


def engine_columns(qs) -> dict:
    """Columnar inputs of the matching engine for the profiles in ``qs`` (see the table in models.py).

    Worker arrays are aligned by position; child tables come as (worker position, value) pairs.
    Dates are ``datetime64[D]`` (NaT when missing); texts are fixed-width NumPy strings."""
    import numpy as np

    fields = ["id", "nationality_id", "residence_subdivision_id", "sex", "birth_date", "available_from",
              "available_until", "passport_expiry", "education_level", "primary_isco", "status", "is_synthetic"]
    rows = list(qs.order_by("id").values_list(*fields))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    position = {int(pk): i for i, pk in enumerate(ids)}

    def col(index, dtype):
        return np.array([r[index] if r[index] is not None else ("" if dtype.startswith("<U") else None)
                         for r in rows], dtype=dtype)

    def dates(index):
        return np.array([r[index] if r[index] is not None else "NaT" for r in rows], dtype="datetime64[D]")

    out = {
        "worker_id": ids,
        "origin_country": col(1, "<U3"),
        "origin_subdivision": col(2, "<U8"),
        "sex": col(3, "<U1"),
        "birth_date": dates(4),
        "available_from": dates(5),
        "available_until": dates(6),
        "passport_expiry": dates(7),
        "education": np.array([int(r[8]) if r[8] else -1 for r in rows], dtype=np.int8),
        "primary_isco": col(9, "<U4"),
        "is_synthetic": np.array([r[11] for r in rows], dtype=bool),
    }
    worker_ids = qs.values("id")
    from .models import Participation, WorkerLanguage, WorkerOccupation

    occ = list(WorkerOccupation.objects.filter(worker_id__in=worker_ids).values_list("worker_id", "isco_code", "years"))
    out["occupation_worker"] = np.array([position[w] for w, _c, _y in occ], dtype=np.int64)
    out["occupation_isco"] = np.array([c for _w, c, _y in occ], dtype="<U4")
    out["occupation_years"] = np.array([y for _w, _c, y in occ], dtype=np.int16)
    langs = list(WorkerLanguage.objects.filter(worker_id__in=worker_ids).values_list("worker_id", "language", "level"))
    out["language_worker"] = np.array([position[w] for w, _c, _lv in langs], dtype=np.int64)
    out["language_code"] = np.array([c for _w, c, _lv in langs], dtype="<U3")
    out["language_level"] = np.array([LANGUAGE_LEVEL_RANK[lv] for _w, _c, lv in langs], dtype=np.int8)
    parts = list(Participation.objects.filter(worker_id__in=worker_ids).values_list(
        "worker_id", "programme_id", "destination_id", "season", "returned_on_time"))
    out["participation_worker"] = np.array([position[p[0]] for p in parts], dtype=np.int64)
    out["participation_programme"] = np.array([p[1] or 0 for p in parts], dtype=np.int64)
    out["participation_destination"] = np.array([p[2] for p in parts], dtype="<U3")
    out["participation_season"] = np.array([p[3] for p in parts], dtype=np.int16)
    out["participation_returned"] = np.array([{True: 1, False: 0}.get(p[4], -1) for p in parts], dtype=np.int8)
    through = Worker.preferred_destinations.through
    prefs = list(through.objects.filter(worker_id__in=worker_ids).values_list("worker_id", "country_id"))
    out["preferred_destination_worker"] = np.array([position[w] for w, _c in prefs], dtype=np.int64)
    out["preferred_destination"] = np.array([c for _w, c in prefs], dtype="<U3")
    through = Worker.preferred_programmes.through
    prog = list(through.objects.filter(worker_id__in=worker_ids).values_list("worker_id", "programme_id"))
    out["preferred_programme_worker"] = np.array([position[w] for w, _p in prog], dtype=np.int64)
    out["preferred_programme"] = np.array([p for _w, p in prog], dtype=np.int64)
    return out
