"""Reads for employer pages, exports and the API. Everything starts from ``restrict()``."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from .models import Employer, EmployerAlias
from .normalize import compact, normalize_name

MAX_QUERY = 120


def employers_for(user, action: str = "view"):
    """Live employers (not merged away) the user may see."""
    return Employer.objects.restrict(user, action).filter(merged_into__isnull=True)


def job_orders_for(user, action: str = "view"):
    from temporada.demand.models import JobOrder

    return JobOrder.objects.restrict(user, action)


def search_employers(user, *, q: str = "", country: str = "", subdivision: str = "", action: str = "view"):
    """Employers whose name or any alias contains the words of ``q`` (normalised like the resolution does)."""
    qs = employers_for(user, action)
    if country:
        qs = qs.filter(country_id=country)
    if subdivision:
        qs = qs.filter(subdivision_id=subdivision)
    words = normalize_name(q[:MAX_QUERY]) if q else ""
    if words:
        # Every published name of an employer is one of its aliases; officials' own names are on the employer.
        by_alias = EmployerAlias.objects.filter(match_key__contains=compact(words)).values("employer_id")
        qs = qs.filter(Q(pk__in=by_alias) | Q(manually_reviewed=True, name__icontains=q.strip()[:MAX_QUERY]))
    elif q.strip():
        qs = qs.filter(name__icontains=q.strip()[:MAX_QUERY])
    return qs


def ranked_by_positions(employers):
    """(employer id, certified positions) of ``employers``, most positions first, from the demand cube (or the
    job orders while the cube is being rebuilt). Employers without certified positions are left out."""
    from temporada.demand.aggregates import cubes_ready, ensure_cubes
    from temporada.demand.models import DemandEmployerRank, JobOrder

    ensure_cubes()
    if cubes_ready(False):
        return (DemandEmployerRank.objects.filter(is_synthetic=False, counting="primary", programme="", fiscal_year=0,
                                                  country="", source="", certified__gt=0,
                                                  employer_id__in=employers.values("pk"))
                .order_by("rank").values_list("employer_id", "certified"))
    rows = (JobOrder.objects.filter(is_synthetic=False, is_primary=True, employer_id__in=employers.values("pk"))
            .values("employer_id").annotate(total=Sum("positions_certified")))
    return rows.filter(total__gt=0).order_by("-total", "employer_id").values_list("employer_id", "total")


def counted(job_orders):
    """Real job orders counted the official way: primary rows only (association member rows repeat them)."""
    return job_orders.filter(is_synthetic=False, is_primary=True)


def page_totals(user, employer_ids) -> dict[int, dict]:
    """Job orders and certified positions (primary rows) per employer, for one page of a list."""
    rows = (counted(job_orders_for(user)).filter(employer_id__in=list(employer_ids)).order_by()
            .values("employer_id").annotate(job_orders=Count("id"), positions=Sum("positions_certified")))
    return {row["employer_id"]: row for row in rows}


def totals_by_programme_year(user, employer) -> list[dict]:
    """Per programme and fiscal year: job orders, positions requested and certified (primary rows), and
    certified positions over every row (which counts association member rows twice) where that differs."""
    rows = (job_orders_for(user).filter(employer=employer, is_synthetic=False).order_by()
            .values("programme", "fiscal_year")
            .annotate(job_orders=Count("id", filter=Q(is_primary=True)),
                      requested=Sum("positions_requested", filter=Q(is_primary=True)),
                      certified=Sum("positions_certified", filter=Q(is_primary=True)),
                      certified_all_rows=Sum("positions_certified"),
                      rows=Count("id"))
            .order_by("programme", "fiscal_year"))
    out = []
    for row in rows:
        row = dict(row)
        row["requested"] = row["requested"] or 0
        row["certified"] = row["certified"] or 0
        row["certified_all_rows"] = row["certified_all_rows"] or 0
        out.append(row)
    return out


def alias_list(employer):
    return list(employer.aliases.select_related("matched_alias").order_by("kind", "normalized_name", "address_key"))
