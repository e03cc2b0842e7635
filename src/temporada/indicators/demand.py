"""Temporary-worker demand from the job orders of the ``demand`` app (read-only aggregates).

Only real, published job orders count (never synthetic scale-test rows, whoever asks), and only the
rows that count in the official totals (``is_primary``: association members' repeated rows are out).
When no job order is loaded at all, callers say so instead of showing zeros.
"""

from __future__ import annotations

from django.db.models import Count, Sum


def _job_orders(user):
    from temporada.demand.models import JobOrder

    return JobOrder.objects.restrict(user).filter(is_synthetic=False, is_primary=True)


def demand_loaded(user) -> bool:
    return _job_orders(user).exists()


def positions(user, *, destination: str | None = None) -> list[dict]:
    """Positions requested and certified by programme, destination country, fiscal year and source.

    A sum stays None when the source publishes no such figure (SeasonalJobs postings have no certification
    decision yet): "not published" must not read as zero."""
    from temporada.demand.models import Source

    labels = dict(Source.choices)
    qs = _job_orders(user)
    if destination:
        qs = qs.filter(country_id=destination)
    rows = (qs.values("programme", "country_id", "fiscal_year", "source")
            .annotate(job_orders=Count("id"), requested=Sum("positions_requested"),
                      certified=Sum("positions_certified"))
            .order_by("country_id", "programme", "fiscal_year", "source"))
    return [{"programme": r["programme"], "destination": r["country_id"], "fiscal_year": r["fiscal_year"],
             "source": r["source"], "source_label": str(labels.get(r["source"], r["source"])),
             "job_orders": r["job_orders"], "positions_requested": r["requested"],
             "positions_certified": r["certified"]} for r in rows]


def demand_by_destination(user, iso3: str) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "destination"} for r in positions(user, destination=iso3)]


def eligible_origins(user) -> dict[str, str]:
    """Job-order programme code → eligible origin countries from the published programme catalogue."""
    from temporada.demand.models import CATALOGUE_SLUG
    from temporada.programmes.queries import programmes_for

    catalogue = {p.slug: p for p in programmes_for(user).filter(slug__in=list(CATALOGUE_SLUG.values()))}
    out = {}
    for code, slug in CATALOGUE_SLUG.items():
        programme = catalogue.get(slug)
        if programme is None:
            out[str(code)] = ""
        elif programme.eligible_origins_open:
            out[str(code)] = "ANY"
        else:
            out[str(code)] = " ".join(sorted(c.iso3 for c in programme.eligible_origins.all()))
    return out


def positions_dataset(user) -> list[dict]:
    origins = eligible_origins(user)
    return [{**r, "eligible_origins": origins.get(r["programme"], "")} for r in positions(user)]


def sources_for(user, iso3: str) -> str:
    """Publishers and files behind a destination's figures, for the chart's source line."""
    from temporada.demand.models import Source

    labels = dict(Source.choices)
    files: dict[str, list[str]] = {}
    for source, name in (_job_orders(user).filter(country_id=iso3).order_by("source", "source_file")
                         .values_list("source", "source_file").distinct()):
        files.setdefault(source, []).append(name)
    return "; ".join(f"{labels.get(source, source)} ({', '.join(names)})" for source, names in files.items())


def demand_status(user, iso3: str) -> dict:
    """Whether demand data exist at all, and whether ``iso3`` is a destination in them."""
    loaded = demand_loaded(user)
    is_destination = loaded and _job_orders(user).filter(country_id=iso3).exists()
    return {"loaded": loaded, "is_destination": is_destination}
