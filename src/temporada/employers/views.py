"""Employer pages. Thin: reads from queries.py (restrict()), writes through services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from temporada.core.charts import Chart, line_spec
from temporada.core.exports import export_response
from temporada.core.restrict import get_restricted_or_404

from . import services
from .forms import EmployerSearchForm, MergeForm, RenameForm, SplitForm
from .models import Employer
from .queries import (
    alias_list,
    employers_for,
    job_orders_for,
    page_totals,
    ranked_by_positions,
    search_employers,
    totals_by_programme_year,
)

PER_PAGE = 50
JOB_ORDERS_PER_PAGE = 50
MAX_CANDIDATES = 30
JOB_ORDER_COLUMNS = ["source", "source_key", "line", "programme", "fiscal_year", "is_primary", "employer_name",
                     "trade_name", "employer_address", "employer_city", "employer_state", "employer_postal_code",
                     "worksite_subdivision_id", "worksite_city", "job_title", "occupation_system", "occupation_code",
                     "isco_code", "positions_requested", "positions_certified", "begin_date", "end_date", "wage_hourly",
                     "wage_currency", "case_status", "decision_date", "source_file", "source_row"]


def _export_format(request):
    fmt = request.GET.get("format", "")
    if fmt and fmt not in ("csv", "json"):
        return None, HttpResponseBadRequest(_("Formato no disponible: use csv o json."))
    return fmt, None


def job_order_url(pk) -> str | None:
    """Link to the job order's own page when the demand app provides one."""
    for name in ("demand:joborder_detail", "demand:job_order", "demand:job_order_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


@require_GET
def employer_list(request):
    form = EmployerSearchForm(request.GET or None)
    fmt, error = _export_format(request)
    if error:
        return error
    action = "export" if fmt else "view"
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"q": data.get("q") or "", "country": data["country"].pk if data.get("country") else "",
                   "subdivision": data["subdivision"].pk if data.get("subdivision") else ""}
        qs = search_employers(request.user, action=action, **filters)
        order = data.get("order") or "name"
    elif form.is_bound:
        qs, order = Employer.objects.none(), "name"
    else:
        qs, order = search_employers(request.user, action=action), "name"
    qs = qs.select_related("country", "subdivision").order_by("name", "pk")
    if fmt:
        header = ["id", "name", "normalized_name", "country", "subdivision", "city", "postal_code", "address",
                  "manually_reviewed", "url"]
        rows = ([e.pk, e.name, e.normalized_name, e.country_id, e.subdivision_id or "", e.city, e.postal_code,
                 e.address, e.manually_reviewed, request.build_absolute_uri(reverse("employers:detail", args=[e.pk]))]
                for e in qs.iterator(chunk_size=2000))
        return export_response(fmt, "employers", header, rows)
    if order == "positions":
        # Largest employers first: rank ids on the demand cube, then read this page's employers.
        page = Paginator(ranked_by_positions(qs.order_by()), PER_PAGE).get_page(request.GET.get("page"))
        found = {e.pk: e for e in qs.filter(pk__in=[pk for pk, _total in page.object_list])}
        page.object_list = [found[pk] for pk, _total in page.object_list if pk in found]
    else:
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    totals = page_totals(request.user, [e.pk for e in page.object_list])
    for e in page.object_list:
        e.totals = totals.get(e.pk, {})
    return render(request, "employers/list.html", {
        "form": form, "page": page, "export_query": request.GET.urlencode(),
        "can_merge": Employer.objects.restrict(request.user, "change").exists(),
    })


def _trend_chart(employer, totals):
    rows = [{"fiscal_year": str(r["fiscal_year"]), "programme": r["programme"], "certified": r["certified"]}
            for r in totals]
    if not rows:
        return None
    return Chart(
        chart_id="employer-trend", title=_("Puestos certificados o aprobados por año fiscal"),
        spec=line_spec(x="fiscal_year", y="certified", series="programme", x_title=_("Año fiscal"),
                       y_title=_("Puestos certificados")),
        columns=[("fiscal_year", _("Año fiscal")), ("programme", _("Programa")), ("certified", _("Puestos certificados"))],
        rows=rows,
        source=_("OFLC (Departamento de Trabajo de EE. UU.), SeasonalJobs.dol.gov, ESDC (Canadá); casos principales"),
        as_of=_latest_batch_date(employer),
        csv_url=reverse("employers:detail", args=[employer.pk]) + "?format=csv",
        api_url=f"/api/v1/employers/employers/{employer.pk}",
    )


def _latest_batch_date(employer) -> str:
    from temporada.demand.models import ImportBatch

    batch = (ImportBatch.objects.filter(job_orders__employer=employer).exclude(finished_at=None)
             .order_by("-finished_at").first())
    return batch.finished_at.date().isoformat() if batch else ""


@require_GET
def employer_detail(request, pk):
    employer = get_restricted_or_404(Employer.objects.all(), request.user, pk=pk)
    if employer.merged_into_id:
        # A merged employer lives on in the one it was merged into.
        live = employer
        for _hop in range(20):
            if not live.merged_into_id:
                break
            live = get_restricted_or_404(Employer.objects.all(), request.user, pk=live.merged_into_id)
        messages.info(request, _("Este empleador se fusionó con «%(name)s».") % {"name": live.name})
        return redirect("employers:detail", pk=live.pk)
    fmt, error = _export_format(request)
    if error:
        return error
    job_orders = job_orders_for(request.user, "export" if fmt else "view").filter(employer=employer)
    if fmt:
        rows = job_orders.order_by("fiscal_year", "source", "source_key", "line").values_list(*JOB_ORDER_COLUMNS)
        return export_response(fmt, f"employer-{employer.pk}-job-orders", JOB_ORDER_COLUMNS, rows.iterator(2000))
    totals = totals_by_programme_year(request.user, employer)
    page = Paginator(job_orders.order_by("-fiscal_year", "source", "source_key", "line"),
                     JOB_ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    for jo in page.object_list:
        jo.url = job_order_url(jo.pk)
    sums = {
        "job_orders": sum(r["job_orders"] for r in totals), "requested": sum(r["requested"] for r in totals),
        "certified": sum(r["certified"] for r in totals),
        "certified_all_rows": sum(r["certified_all_rows"] for r in totals),
    }
    can_change = Employer.objects.restrict(request.user, "change").filter(pk=employer.pk).exists()
    history = []
    if can_change:
        from temporada.core.models import AuditEvent

        history = AuditEvent.objects.filter(object_type="employers.employer", object_id=str(employer.pk))[:20]
    return render(request, "employers/detail.html", {
        "employer": employer, "aliases": alias_list(employer), "totals": totals, "sums": sums, "page": page,
        "chart": _trend_chart(employer, totals), "can_change": can_change, "history": history,
        "member_rows_differ": any(r["certified"] != r["certified_all_rows"] for r in totals),
        "rename_form": RenameForm(initial={"name": employer.name}) if can_change else None,
    })


def _changeable_or_404(request, pk):
    employer = get_restricted_or_404(Employer.objects.all(), request.user, "change", pk=pk)
    if employer.merged_into_id:
        raise Http404
    return employer


@login_required
@require_http_methods(["GET", "POST"])
def employer_merge(request, pk):
    employer = _changeable_or_404(request, pk)
    scope = employers_for(request.user, "change").filter(country_id=employer.country_id,
                                                         is_synthetic=employer.is_synthetic).exclude(pk=employer.pk)
    q = (request.GET.get("q") or employer.normalized_name.split(" ")[0] if request.method == "GET" else "")[:120]
    if request.method == "POST":
        posted = [v for v in request.POST.getlist("others") if v.isdigit()][:services.MAX_MERGE + 1]
        candidates = list(scope.filter(pk__in=posted))
        form = MergeForm(request.POST, candidates=candidates)
        if form.is_valid():
            chosen = [c for c in candidates if c.pk in set(form.cleaned_data["others"])]
            if form.cleaned_data["confirm"]:
                try:
                    services.merge_employers(actor=request.user, target=employer, others=chosen,
                                             note=form.cleaned_data["note"], request=request)
                except PermissionDenied:
                    raise Http404
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Fusión registrada: %(n)d empleador(es) unidos a este.") % {"n": len(chosen)})
                    return redirect("employers:detail", pk=employer.pk)
            if form.is_valid():
                totals = page_totals(request.user, [c.pk for c in chosen])
                for c in chosen:
                    c.totals = totals.get(c.pk, {})
                return render(request, "employers/merge_confirm.html", {
                    "employer": employer, "chosen": chosen, "note": form.cleaned_data["note"],
                    "target_aliases": employer.aliases.count()})
        candidates_list = candidates
    else:
        form = MergeForm(candidates=[])
        candidates_list = list(search_employers(request.user, q=q, action="change")
                               .filter(pk__in=scope.values("pk")).select_related("subdivision")
                               .order_by("name", "pk")[:MAX_CANDIDATES]) if q else []
    totals = page_totals(request.user, [c.pk for c in candidates_list])
    for c in candidates_list:
        c.totals = totals.get(c.pk, {})
    return render(request, "employers/merge.html", {
        "employer": employer, "form": form, "candidates": candidates_list, "q": q,
        "max_candidates": MAX_CANDIDATES})


@login_required
@require_http_methods(["GET", "POST"])
def employer_split(request, pk):
    employer = _changeable_or_404(request, pk)
    aliases = alias_list(employer)
    form = SplitForm(request.POST or None, aliases=aliases)
    if request.method == "POST" and form.is_valid():
        chosen = [a for a in aliases if a.pk in set(form.cleaned_data["aliases"])]
        if len(chosen) == len(aliases):
            form.add_error("aliases", _("Deje al menos un alias en el empleador actual."))
        elif form.cleaned_data["confirm"]:
            try:
                new = services.split_employer(actor=request.user, employer=employer, alias_ids=[a.pk for a in chosen],
                                              name=form.cleaned_data["name"], note=form.cleaned_data["note"],
                                              request=request)
            except PermissionDenied:
                raise Http404
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Separación registrada: se creó «%(name)s».") % {"name": new.name})
                return redirect("employers:detail", pk=new.pk)
        if form.is_valid():
            return render(request, "employers/split_confirm.html", {
                "employer": employer, "chosen": chosen, "name": form.cleaned_data["name"],
                "note": form.cleaned_data["note"]})
    return render(request, "employers/split.html", {"employer": employer, "aliases": aliases, "form": form})


@login_required
@require_http_methods(["POST"])
def employer_rename(request, pk):
    employer = _changeable_or_404(request, pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.rename_employer(actor=request.user, employer=employer, name=form.cleaned_data["name"],
                                     request=request)
        except PermissionDenied:
            raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Nombre actualizado."))
    else:
        messages.error(request, _("Escriba un nombre."))
    return redirect("employers:detail", pk=employer.pk)

