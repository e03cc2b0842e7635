"""Reads of the demand app. Every read starts from ``restrict()``."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from .models import ImportBatch, JobOrder, RejectedRow


def job_orders_for(user, action: str = "view"):
    return JobOrder.objects.restrict(user, action)


def filter_job_orders(qs, filters: dict):
    """Apply the cleaned filters of JobOrderFilterForm (never raw request data)."""
    if filters.get("programme"):
        qs = qs.filter(programme=filters["programme"])
    if filters.get("fiscal_year"):
        qs = qs.filter(fiscal_year=filters["fiscal_year"])
    if filters.get("subdivision"):
        qs = qs.filter(worksite_subdivision_id=filters["subdivision"])
    if filters.get("occupation"):
        code = filters["occupation"]
        qs = qs.filter(Q(occupation_code__startswith=code) | Q(isco_code__startswith=code))
    if filters.get("employer"):
        name = filters["employer"]
        qs = qs.filter(Q(employer_name__icontains=name) | Q(trade_name__icontains=name))
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("status"):
        qs = qs.filter(status_category=filters["status"])
    if filters.get("primary_only"):
        qs = qs.filter(is_primary=True)
    return qs


def totals(qs) -> dict:
    """Rows and positions of a selection, counted over every row and over the rows that count in the
    official totals (they differ where association members are repeated). One pass over the rows."""
    primary = Q(is_primary=True)
    row = qs.order_by().aggregate(
        rows=Count("id"), certified=Sum("positions_certified"), requested=Sum("positions_requested"),
        p_rows=Count("id", filter=primary), p_certified=Sum("positions_certified", filter=primary),
        p_requested=Sum("positions_requested", filter=primary),
    )
    everything = {"rows": row["rows"], "certified": row["certified"], "requested": row["requested"]}
    counting = {"rows": row["p_rows"], "certified": row["p_certified"], "requested": row["p_requested"]}
    return {"all": everything, "primary": counting, "differ": everything != counting}


def batches_for(user, action: str = "view"):
    return ImportBatch.objects.restrict(user, action).select_related("country", "created_by")


def rejected_rows(batch: ImportBatch):
    return RejectedRow.objects.filter(batch=batch).order_by("row_number", "id")
