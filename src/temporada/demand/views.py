"""Job-order and import pages. Thin: reads from queries.py (restrict()), writes through services.py."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from temporada.core.audit import EventType, record
from temporada.core.exports import export_response
from temporada.core.restrict import get_restricted_or_404

from . import services
from .forms import JobOrderFilterForm, UploadForm
from .importers import BY_KIND
from .models import ImportBatch
from .presentation import JOB_ORDER_EXPORT_HEADER, job_order_export_row, job_order_rows
from .progress import read_progress
from .queries import batches_for, filter_job_orders, job_orders_for, rejected_rows, totals

PAGE_SIZE = 50


def _export_format(request):
    fmt = request.GET.get("format", "")
    if fmt and fmt not in ("csv", "json"):
        return None, HttpResponseBadRequest(_("Formato no disponible: use csv o json."))
    return fmt, None


@require_GET
def job_order_list(request):
    fmt, error = _export_format(request)
    if error:
        return error
    form = JobOrderFilterForm(request.GET or None)
    qs = job_orders_for(request.user, "export" if fmt else "view")
    if form.is_bound and not form.is_valid():
        qs = qs.none()
    elif form.is_bound:
        qs = filter_job_orders(qs, form.cleaned_data)
    qs = qs.select_related("worksite_subdivision").order_by("-fiscal_year", "source_key", "line")
    if fmt:
        record(type=EventType.EXPORT, actor=request.user, object_type="demand.joborder", object_repr="job orders",
               request=request, details={"format": fmt, "filters": {k: str(v) for k, v in request.GET.items()}})
        rows = (job_order_export_row(j) for j in qs.iterator(chunk_size=2000))
        return export_response(fmt, "job_orders", JOB_ORDER_EXPORT_HEADER, rows)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "demand/joborder_list.html", {
        "form": form, "page": page, "totals": totals(qs), "query": query.urlencode(),
        "export_query": query.urlencode(),
    })


@require_GET
def job_order_detail(request, pk: int):
    job = get_restricted_or_404(
        job_orders_for(request.user).select_related("worksite_subdivision", "batch", "employer", "country"),
        request.user, pk=pk,
    )
    return render(request, "demand/joborder_detail.html", {
        "job": job, "rows": job_order_rows(job), "worksites": job.worksites.select_related("subdivision"),
        "housing": job.housing.select_related("subdivision"), "crops": job.crops.all(),
        "employer_url": _reverse_or_none("employers:detail", job.employer_id) if job.employer_id else None,
        "batch_visible": job.batch_id is not None and batches_for(request.user).filter(pk=job.batch_id).exists(),
        "other_rows": job_orders_for(request.user).filter(
            source=job.source, source_key=job.source_key).exclude(pk=job.pk).order_by("fiscal_year", "line")[:50],
    })


def _reverse_or_none(name, *args):
    """A link to another app's page, or None while that app does not define it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _import_kinds(user):
    allowed = services.importable_countries(user)
    return [cls for cls in BY_KIND.values() if allowed is None or cls.country in allowed]


@login_required
@require_GET
def import_list(request):
    batches = batches_for(request.user)
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demand/import_list.html", {
        "page": page, "can_upload": bool(_import_kinds(request.user)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request):
    kinds = _import_kinds(request.user)
    if not kinds:
        raise Http404()  # only officials who may import see that the page exists
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.queue_upload(user=request.user, kind=form.cleaned_data["kind"],
                                          uploaded=form.cleaned_data["file"], request=request)
        except PermissionDenied:
            raise Http404()
        messages.success(request, _("Archivo recibido. La importación se ejecuta en segundo plano."))
        return redirect("demand:import_detail", pk=batch.pk)
    return render(request, "demand/import_form.html", {"form": form, "kinds": kinds}, status=400 if form.errors else 200)


@login_required
@require_GET
def import_detail(request, pk: int):
    batch = get_restricted_or_404(batches_for(request.user), request.user, pk=pk)
    rejected = rejected_rows(batch)
    return render(request, "demand/import_detail.html", {
        "batch": batch, "progress": read_progress(batch), "rejected": rejected[:50],
        "rejected_count": rejected.count(), "summary_json": json.dumps(batch.summary, indent=1, ensure_ascii=False),
        "running": batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING),
    })


@login_required
@require_GET
def import_progress(request, pk: int):
    """The progress block alone, polled by the batch page (htmx) while the import runs."""
    batch = get_restricted_or_404(batches_for(request.user), request.user, pk=pk)
    running = batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    response = render(request, "demand/_import_progress.html", {
        "batch": batch, "progress": read_progress(batch), "running": running,
    })
    if not running and request.headers.get("HX-Request"):
        # Finished: reload the whole page so counts and the rejected-rows table appear.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def import_report(request, pk: int):
    """Every rejected row of a batch, with reason, column and the row's values (CSV)."""
    batch = get_restricted_or_404(batches_for(request.user, "export"), request.user, "export", pk=pk)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "json"):
        return HttpResponseBadRequest(_("Formato no disponible: use csv o json."))
    record(type=EventType.EXPORT, actor=request.user, obj=batch, country=batch.country_id, request=request,
           details={"report": "rejected rows", "format": fmt})
    header = ["row", "severity", "source_key", "column", "reason", "values"]
    rows = ([r.row_number, r.severity, r.source_key, r.column, r.reason,
             "; ".join(f"{k}={v}" for k, v in r.values.items())] for r in rejected_rows(batch).iterator())
    return export_response(fmt, f"import_{batch.pk}_rejected_rows", header, rows)


def import_home(request):
    return redirect(reverse("demand:imports"))
