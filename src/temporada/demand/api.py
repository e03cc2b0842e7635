"""`/api/v1/demand/`: job orders (public, filterable, paginated) and import batches (scoped to the officials
of the batch's country). Invalid filters answer 422; hidden and missing objects answer 404."""


from ninja import Query, Router
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from temporada.core.restrict import get_restricted_or_404

from . import api_aggregates
from .forms import JobOrderFilterForm
from .progress import read_progress
from .queries import batches_for, filter_job_orders, job_orders_for, rejected_rows
from .schemas import ImportBatchOut, JobOrderDetailOut, JobOrderFilters, JobOrderOut, RejectedRowOut

router = Router(tags=["demand"])


def _job(j) -> dict:
    return {
        "id": j.pk, "source": j.source, "source_key": j.source_key, "line": j.line, "programme": j.programme,
        "fiscal_year": j.fiscal_year, "quarter": j.quarter, "is_primary": j.is_primary,
        "association_role": j.association_role, "employer_id": j.employer_id, "employer_name": j.employer_name,
        "trade_name": j.trade_name, "country": j.country_id, "worksite_subdivision": j.worksite_subdivision_id,
        "worksite_city": j.worksite_city, "job_title": j.job_title, "occupation_system": j.occupation_system,
        "occupation_code": j.occupation_code, "occupation_title": j.occupation_title, "isco_code": j.isco_code,
        "positions_requested": j.positions_requested, "positions_certified": j.positions_certified,
        "begin_date": j.begin_date, "end_date": j.end_date, "wage_rate": j.wage_rate, "wage_unit": j.wage_unit,
        "wage_currency": j.wage_currency, "wage_hourly": j.wage_hourly, "status_category": j.status_category,
        "is_synthetic": j.is_synthetic,
    }


def _children(rows, fields):
    out = []
    for row in rows:
        item = {f: getattr(row, f) for f in fields}
        if "subdivision" in item:
            item["subdivision"] = row.subdivision_id
        out.append(item)
    return out


@router.get("/job-orders", response=list[JobOrderOut])
@paginate(LimitOffsetPagination)
def list_job_orders(request, filters: Query[JobOrderFilters]):
    """Job orders as published, newest fiscal year first. Same filters as the job-order page."""
    data = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    form = JobOrderFilterForm(data)
    if not form.is_valid():
        raise ValidationError([{"loc": ["query", k], "msg": str(v[0])} for k, v in form.errors.items()])
    qs = filter_job_orders(job_orders_for(request.user), form.cleaned_data)
    return qs.order_by("-fiscal_year", "source_key", "line", "id")


@router.get("/job-orders/{job_order_id}", response=JobOrderDetailOut)
def job_order_detail(request, job_order_id: int):
    """One job order with every field, its provenance (file, row, batch) and its worksites, housing and crops."""
    j = get_restricted_or_404(job_orders_for(request.user), request.user, pk=job_order_id)
    out = _job(j)
    out.update({
        "job_order_number": j.job_order_number, "primary_rule": j.primary_rule, "employer_address": j.employer_address,
        "employer_city": j.employer_city, "employer_state": j.employer_state,
        "employer_postal_code": j.employer_postal_code, "worksite_county": j.worksite_county,
        "worksite_postal_code": j.worksite_postal_code, "isco_method": j.isco_method,
        "isco_alternatives": list(j.isco_alternatives or []), "naics_code": j.naics_code, "primary_crop": j.primary_crop,
        "hours_per_week": j.hours_per_week, "experience_months": j.experience_months,
        "education_level": j.education_level, "training_months": j.training_months,
        "special_requirements": j.special_requirements, "housing_provided": j.housing_provided,
        "housing_summary": j.housing_summary, "case_status": j.case_status, "received_date": j.received_date,
        "decision_date": j.decision_date, "extra": j.extra or {}, "source_file": j.source_file,
        "source_row": j.source_row, "batch_id": j.batch_id,
        "worksites": _children(j.worksites.all(), ["name", "address", "city", "county", "subdivision", "postal_code",
                                                   "area", "positions", "begin_date", "end_date", "wage_from", "wage_to",
                                                   "wage_unit", "source_file", "source_row"]),
        "housing": _children(j.housing.all(), ["housing_type", "address", "city", "county", "subdivision",
                                               "postal_code", "units", "occupancy", "standards", "source_file",
                                               "source_row"]),
        "crops": _children(j.crops.all(), ["activity", "wage_offer", "wage_unit", "piece_rate_notes", "source_file",
                                           "source_row"]),
    })
    return out


def _batch(b) -> dict:
    progress = read_progress(b)
    return {
        "id": b.pk, "kind": b.kind, "source": b.source, "country": b.country_id, "file_name": b.file_name,
        "file_sha256": b.file_sha256, "file_size": b.file_size, "layout": b.layout, "period_label": b.period_label,
        "is_partial_period": b.is_partial_period, "status": b.status, "phase": progress["phase"] or "",
        "rows_total": progress["rows_total"] or 0, "rows_done": progress["rows_done"] or 0,
        "rows_created": b.rows_created, "rows_updated": b.rows_updated, "rows_unchanged": b.rows_unchanged,
        "rows_rejected": b.rows_rejected, "rows_warned": b.rows_warned, "error": b.error, "created_at": b.created_at,
        "started_at": b.started_at, "finished_at": b.finished_at, "duration_seconds": b.duration_seconds,
        "summary": b.summary or {},
    }


@router.get("/imports", response=list[ImportBatchOut])
@paginate(LimitOffsetPagination)
def list_imports(request):
    """Import batches of the caller's countries (destination officials) or all (administrators)."""
    return [_batch(b) for b in batches_for(request.user)]


@router.get("/imports/{batch_id}", response=ImportBatchOut)
def import_detail(request, batch_id: int):
    """One import batch, with live progress while it runs."""
    return _batch(get_restricted_or_404(batches_for(request.user), request.user, pk=batch_id))


@router.get("/imports/{batch_id}/rejected", response=list[RejectedRowOut])
@paginate(LimitOffsetPagination)
def import_rejected(request, batch_id: int):
    """The rejected rows and warnings of one import batch, in file order."""
    batch = get_restricted_or_404(batches_for(request.user, "export"), request.user, "export", pk=batch_id)
    return list(rejected_rows(batch).values("row_number", "severity", "source_key", "column", "reason", "values"))


# The aggregates endpoints live beside the dashboards (api_aggregates.py) and share this router's prefix.
router.add_router("", api_aggregates.router)
