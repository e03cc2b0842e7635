"""Registry pages. Thin: reads come from queries.py / stats.py (restrict()), writes from services.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from temporada.accounts.roles import Role
from temporada.core.audit import EventType, record
from temporada.core.charts import Chart, bar_spec, line_spec
from temporada.core.exports import export_response
from temporada.core.i18n import current_language
from temporada.core.restrict import get_restricted_or_404

from . import services, stats
from .forms import (
    AccountForm,
    GapForm,
    IndicatorForm,
    RegistryFilterForm,
    UploadForm,
    WithdrawConsentForm,
    WorkerForm,
)
from .importers.workers import columns as upload_columns
from .importers.workers import template_rows, upload_workers
from .models import BulkUpload, Worker
from .queries import EXPORT_HEADER, export_rows, registry_for, verification_queue

PER_PAGE = 50
REGISTRY_ROLES = {Role.ORIGIN_OFFICIAL, Role.ADMIN}


def _registry_user(user) -> bool:
    return user.is_active and (user.role in REGISTRY_ROLES or user.is_superuser)


def _require_registry(request):
    if not _registry_user(request.user):
        raise Http404


def _detail_url(worker):
    return reverse("supply:detail", args=[worker.pk])


# --- registry ----------------------------------------------------------------------------------
@login_required
@require_GET
def registry_list(request):
    if request.user.role == Role.WORKER:
        return redirect("supply:me")
    if not _registry_user(request.user):
        if stats.can_see_statistics(request.user):
            # the menu links officials here: explain where their data is instead of a bare 404
            return render(request, "supply/no_registry.html")
        raise Http404
    countries = sorted(request.user.country_codes) if not request.user.is_admin_role else list(
        Worker.objects.values_list("nationality_id", flat=True).distinct().order_by("nationality_id"))
    form = RegistryFilterForm(request.GET or None, countries=countries)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in ("csv", "xlsx", "json"):
        return HttpResponseBadRequest(_("Formato no disponible: use csv, xlsx o json."))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        workers = Worker.objects.none()
    else:
        workers = registry_for(request.user, filters, action="export" if fmt else "view")
    if fmt:
        rows = list(export_rows(workers))
        record(type=EventType.EXPORT, actor=request.user, object_type="supply.worker", object_repr="registry",
               request=request, details={"format": fmt, "rows": len(rows),
                                         "filters": {k: str(v) for k, v in filters.items() if v and k != "document"}})
        return export_response(fmt, "worker-registry", EXPORT_HEADER, rows)
    page = Paginator(workers.order_by("-id"), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supply/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "withdrawn": filters.get("consent") == "withdrawn",
        "pending": verification_queue(request.user).count(),
    })


@login_required
@require_GET
def worker_detail(request, pk):
    worker = get_restricted_or_404(Worker.objects.select_related("nationality", "residence_subdivision"),
                                   request.user, pk=pk)
    services.record_profile_view(actor=request.user, worker=worker, request=request)
    return _render_detail(request, worker)


def _render_detail(request, worker, revealed=None):
    user = request.user
    can_change = Worker.objects.restrict(user, "change").filter(pk=worker.pk).exists()
    can_review = Worker.objects.restrict(user, "review").filter(pk=worker.pk).exists()
    from . import isco

    occupations = [(o, isco.title(o.isco_code, current_language())) for o in worker.occupations.all()]
    return render(request, "supply/detail.html", {
        "worker": worker, "occupations": occupations, "revealed": revealed,
        "languages": worker.languages.all(), "participations": worker.participations.select_related("programme"),
        "certificates": worker.certificates.all(), "consents": worker.consents.all(),
        "preferred_programmes": worker.preferred_programmes.all(),
        "preferred_destinations": worker.preferred_destinations.all(),
        "can_change": can_change, "can_review": can_review,
        "age": worker.age_on(timezone.localdate()),
        "is_own": worker.account_id == user.pk,
    })


@login_required
@require_POST
def reveal(request, pk):
    worker = get_restricted_or_404(Worker.objects.select_related("nationality"), request.user, "review", pk=pk)
    revealed = services.reveal_documents(actor=request.user, worker=worker, request=request)
    return _render_detail(request, worker, revealed=revealed)


@login_required
@require_GET
def me(request):
    worker = Worker.objects.filter(account=request.user).first()
    if worker is None:
        return redirect("supply:register")
    return redirect(_detail_url(worker))


def _form_nationalities(user):
    return None if user.is_admin_role else set(user.country_codes)


@login_required
@require_http_methods(["GET", "POST"])
def worker_create(request):
    _require_registry(request)
    form = WorkerForm(request.POST or None, nationalities=_form_nationalities(request.user),
                      initial={"consent_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.create_worker(actor=request.user, data=form.cleaned_data, request=request)
        except PermissionDenied:
            raise Http404
        messages.success(request, _("Perfil registrado."))
        return redirect(_detail_url(worker))
    return render(request, "supply/form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def worker_edit(request, pk):
    worker = get_restricted_or_404(Worker.objects.all(), request.user, "change", pk=pk)
    is_worker = request.user.role == Role.WORKER
    form = WorkerForm(request.POST or None, instance=worker, nationalities={worker.nationality_id},
                      allow_verification=not is_worker and worker.status != Worker.Status.VERIFIED,
                      initial=WorkerForm.initial_from(worker))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_worker(actor=request.user, worker=worker, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perfil actualizado."))
            return redirect(_detail_url(worker))
    return render(request, "supply/form.html", {"form": form, "creating": False, "worker": worker})


@login_required
@require_POST
def worker_verify(request, pk):
    worker = get_restricted_or_404(Worker.objects.all(), request.user, "review", pk=pk)
    try:
        services.verify_worker(actor=request.user, worker=worker, request=request)
        messages.success(request, _("Perfil verificado."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(request.POST.get("next") == "queue" and reverse("supply:queue") or _detail_url(worker))


@login_required
@require_POST
def worker_inactive(request, pk):
    worker = get_restricted_or_404(Worker.objects.all(), request.user, "change", pk=pk)
    try:
        services.set_inactive(actor=request.user, worker=worker, request=request)
    except PermissionDenied:
        raise Http404
    messages.success(request, _("Perfil marcado como inactivo."))
    return redirect(_detail_url(worker))


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, pk):
    worker = get_restricted_or_404(Worker.objects.all(), request.user, "change", pk=pk)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_consent(actor=request.user, worker=worker, purpose=form.cleaned_data["purpose"],
                                  reason=form.cleaned_data["reason"], request=request)
        messages.success(request, _("Consentimiento retirado y registrado."))
        return redirect(_detail_url(worker))
    return render(request, "supply/consent.html", {"form": form, "worker": worker})


@login_required
@require_GET
def queue(request):
    _require_registry(request)
    page = Paginator(verification_queue(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "supply/queue.html", {"page": page})


# --- bulk upload -------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _require_registry(request)
    countries = sorted(request.user.country_codes) if not request.user.is_admin_role else [
        c for c, _label in WorkerForm(nationalities=None).fields["nationality"].choices]
    form = UploadForm(request.POST or None, request.FILES or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        handle = form.cleaned_data["file"]
        try:
            result = upload_workers(actor=request.user, country=form.cleaned_data["country"], file_name=handle.name,
                                    content=handle.read(), mode=form.cleaned_data["mode"], request=request)
        except PermissionDenied:
            raise Http404
        return redirect("supply:upload_report", pk=result.pk)
    recent = BulkUpload.objects.restrict(request.user, "view")[:10]
    return render(request, "supply/upload.html", {"form": form, "columns": upload_columns(), "recent": recent})


@login_required
@require_GET
def upload_report(request, pk):
    result = get_restricted_or_404(BulkUpload.objects.all(), request.user, pk=pk)
    rejections = result.rejections.all()
    if request.GET.get("format") == "csv":
        rows = [[r.row_number, r.column, r.reason] for r in rejections]
        return export_response("csv", f"upload-{result.pk}-report", ["row", "column", "reason"], rows)
    return render(request, "supply/upload_report.html", {"upload": result, "rejections": rejections[:2000],
                                                         "more": max(rejections.count() - 2000, 0)})


@login_required
@require_GET
def upload_template(request, fmt):
    _require_registry(request)
    if fmt == "csv":
        return export_response("csv", "worker-profiles-template", upload_columns(), [])
    if fmt == "xlsx":
        return _xlsx_template()
    raise Http404


def _xlsx_template():
    """Template: the first sheet has the header only (text cells, so ids keep their zeros); a second sheet
    shows a fictitious example row and what each column accepts."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheet = wb.active
    sheet.title = "perfiles"
    for index, name in enumerate(upload_columns(), start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = Font(bold=True)
        for row in range(2, 502):
            sheet.cell(row=row, column=index).number_format = "@"
    example = wb.create_sheet("ejemplo")
    example.append(upload_columns())
    for row in template_rows():
        example.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="worker-profiles-template.xlsx"'
    return response


# --- self-registration -------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def register(request):
    user = request.user
    if user.is_authenticated:
        if Worker.objects.filter(account=user).exists():
            return redirect("supply:me")
        if user.role != Role.WORKER:
            raise Http404
    form = WorkerForm(request.POST or None, allow_verification=False, initial={"consent_date": timezone.localdate()})
    account = None if user.is_authenticated else AccountForm(request.POST or None)
    if request.method == "POST":
        account_ok = account is None or account.is_valid()
        if form.is_valid() and account_ok:
            data = form.cleaned_data
            if account is None:
                worker = services.self_register_existing(account=user, data=data, request=request)
            else:
                worker = services.self_register(data=data, username=account.cleaned_data["username"],
                                                 password=account.cleaned_data["password1"], request=request)
                login(request, worker.account, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Registro recibido. Una oficina de trabajo de su país verificará sus documentos."))
            return redirect(_detail_url(worker))
    return render(request, "supply/register.html", {"form": form, "account": account})


# --- gap and indicators ------------------------------------------------------------------------
def _require_statistics(request):
    if not stats.can_see_statistics(request.user):
        raise Http404


def _origins(request, form_origin):
    if form_origin:
        return [form_origin]
    if request.user.role == Role.ORIGIN_OFFICIAL:
        return sorted(request.user.country_codes)
    return None


@login_required
@require_GET
def gap(request):
    _require_statistics(request)
    form = GapForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "supply/gap.html", {"form": form}, status=400 if request.GET.get("format") else 200)
    params = form.params()
    origins = _origins(request, params["origin"])
    suppressed = stats.needs_suppression(request.user, origins)
    table = stats.gap_table(start=params["start"], count=params["months"], level=params["level"],
                            destinations=[params["destination"]] if params["destination"] else None,
                            origins=origins, include_synthetic=params["include_synthetic"],
                            suppress_cells=suppressed, lang=current_language())
    fmt = request.GET.get("format", "")
    header = ["isco_group", "isco_title", "destination", "month", "demand_positions", "supply_workers", "gap",
              "status", "synthetic_included"]
    if fmt:
        if fmt not in ("csv", "xlsx", "json"):
            return HttpResponseBadRequest(_("Formato no disponible: use csv, xlsx o json."))
        rows = [[r.group, r.title, r.destination, r.month_label, r.demand,
                 "" if r.status == "uncoded" else "<5" if r.supply is None else r.supply,
                 "" if r.gap is None else r.gap, r.status,
                 "SINTÉTICO" if params["include_synthetic"] else ""] for r in table.rows]
        return export_response(fmt, "supply-demand-gap", header, rows)
    query = request.GET.copy()
    query.pop("format", None)
    hint = None
    if not table.demand_total:
        latest = stats.latest_demand_month()
        if latest and not params["start"] <= latest < stats.add_months(params["start"], params["months"]):
            hint_query = query.copy()
            hint_query["start"] = stats.month_label(stats.add_months(latest, -(params["months"] - 1)))
            hint = {"month": stats.month_label(latest), "query": hint_query.urlencode()}
    return render(request, "supply/gap.html", {
        "hint": hint,
        "form": form, "table": table, "params": params, "origins": origins, "chart": _gap_chart(table, query),
        "query": query.urlencode(),
    })


def _gap_chart(table, query):
    totals = {}
    for row in table.rows:
        demand, supply = totals.get(row.month_label, (0, 0))
        totals[row.month_label] = (demand + row.demand, supply + (row.supply or 0))
    demand_label, supply_label = _("Demanda (puestos)"), _("Oferta disponible (celdas publicadas)")
    rows = []
    for month, (demand, supply) in sorted(totals.items()):
        rows += [{"month": month, "measure": demand_label, "value": demand},
                 {"month": month, "measure": supply_label, "value": supply}]
    api = reverse("api:supply_gap") + ("?" + query.urlencode() if query else "")
    csv_query = query.copy()
    csv_query["format"] = "csv"
    return Chart(
        chart_id="gap-chart", title=_("Demanda y oferta por mes"),
        spec=line_spec(x="month", y="value", series="measure", x_title=_("Mes"), y_title=_("Personas / puestos")),
        columns=[("month", _("Mes")), ("measure", _("Medida")), ("value", _("Valor"))], rows=rows,
        source=_("Órdenes de trabajo reales (OFLC, SeasonalJobs, ESDC) y registro de trabajadores"),
        as_of=timezone.localdate().isoformat(), csv_url="?" + csv_query.urlencode(), api_url=api,
        description=_("La oferta suma solo las celdas publicadas (las celdas con menos de 5 personas se ocultan)."),
    )


@login_required
@require_GET
def indicators(request):
    _require_statistics(request)
    form = IndicatorForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "supply/indicators.html", {"form": form})
    params = form.params()
    origins = _origins(request, params["origin"])
    suppressed = stats.needs_suppression(request.user, origins)
    data = stats.indicator_tables(start=params["start"], count=params["months"], level=params["level"],
                                  origins=origins, include_synthetic=params["include_synthetic"],
                                  suppress_cells=suppressed, lang=current_language())
    table = request.GET.get("table", "")
    fmt = request.GET.get("format", "")
    if fmt or table:
        if fmt not in ("csv", "xlsx", "json") or table not in data:
            return HttpResponseBadRequest(_("Indique table=subdivision|occupation|month y format=csv|xlsx|json."))
        header, rows = stats.indicator_export(data[table], table)
        return export_response(fmt, f"supply-{table}", header, rows)
    query = request.GET.copy()
    charts = {name: _indicator_chart(name, data[name], query) for name in ("subdivision", "occupation", "month")}
    return render(request, "supply/indicators.html", {
        "form": form, "data": data, "charts": charts, "params": params, "suppressed": suppressed,
    })


def _indicator_chart(name, table, query):
    csv_query = query.copy()
    csv_query["table"], csv_query["format"] = name, "csv"
    api = reverse("api:supply_indicators") + "?" + query.urlencode()
    titles = {"subdivision": _("Trabajadores disponibles por departamento / estado"),
              "occupation": _("Trabajadores disponibles por ocupación (CIUO-08)"),
              "month": _("Trabajadores disponibles todo el mes")}
    rows = [{"label": row["label"], "value": row["value"]} for row in table["rows"] if row["value"] is not None]
    spec = (line_spec(x="label", y="value", series=None, x_title=_("Mes"), y_title=_("Trabajadores"))
            if name == "month" else bar_spec(x="label", y="value", x_title=_("Grupo"), y_title=_("Trabajadores")))
    return Chart(chart_id=f"supply-{name}", title=titles[name], spec=spec,
                 columns=[("label", _("Grupo")), ("value", _("Trabajadores"))],
                 rows=rows, source=_("Registro de trabajadores (perfiles verificados con consentimiento)"),
                 as_of=timezone.localdate().isoformat(), csv_url="?" + csv_query.urlencode(), api_url=api,
                 notes=[_("Las celdas con menos de 5 personas no se muestran.")] if table["suppressed"] else [])
