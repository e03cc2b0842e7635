"""Matching pages. Thin: reads from queries.py (restrict()), writes through services.py, words from
presentation.py. Forbidden and missing objects answer the same 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from temporada.accounts.roles import Role
from temporada.core.audit import EventType, record
from temporada.core.exports import export_response
from temporada.core.restrict import get_restricted_or_404
from temporada.demand.models import JobOrder
from temporada.supply import isco

from . import orders, presentation, queries, services
from .forms import DecisionForm, ReleaseForm, SeasonForm, ShortlistForm, WithdrawForm
from .models import MatchRun, Proposal

PAGE_SIZE = 25
MATCHING_ROLES = {Role.ORIGIN_OFFICIAL, Role.DESTINATION_OFFICIAL, Role.ADMIN}


def _origins(user) -> list[str]:
    if user.role != Role.ORIGIN_OFFICIAL or not user.is_active:
        return []
    return sorted(user.country_codes)


def _require_origin(request) -> list[str]:
    origins = _origins(request.user)
    if not origins:
        raise Http404
    return origins


def _has_real_profiles(origins) -> bool:
    from .snapshot import matchable_profiles

    return any(matchable_profiles(c, "real").exists() for c in origins)


# --- runs ------------------------------------------------------------------------------------------------
@login_required
@require_GET
def runs(request):
    user = request.user
    if user.role == Role.ANALYST:
        return redirect("matching:summary")
    if not (user.role in MATCHING_ROLES or user.is_superuser) or not user.is_active:
        raise Http404
    qs = queries.runs_for(user, kind=request.GET.get("kind", ""), status=request.GET.get("status", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/runs.html", {
        "page": page, "origins": _origins(user), "kinds": MatchRun.Kind.choices, "statuses": MatchRun.Status.choices,
        "kind": request.GET.get("kind", ""), "status": request.GET.get("status", ""),
    })


@login_required
@require_GET
def order_picker(request):
    """Job orders an origin official can plan candidates for (real, primary, with positions), each with how many
    profiles of the official's registry are eligible for it (default rules)."""
    origins = _require_origin(request)
    today = timezone.localdate()
    qs = (JobOrder.objects.restrict(request.user, "view").filter(is_primary=True, is_synthetic=False)
          .exclude(status_category__in=orders.CLOSED_STATUSES).exclude(begin_date__isnull=True)
          .filter(Q(positions_certified__gt=0) | Q(positions_certified__isnull=True, positions_requested__gt=0)))
    programme = request.GET.get("programme", "H-2A")
    if programme in dict(JobOrder._meta.get_field("programme").choices):
        qs = qs.filter(programme=programme)
    occupation = request.GET.get("occupation", "").strip()[:4]
    if occupation and occupation.isdigit():
        qs = qs.filter(isco_code__startswith=occupation)
    elif occupation:
        return HttpResponseBadRequest(_("Ocupación: de 1 a 4 cifras CIUO-08."))
    coded = request.GET.get("coded", "1") == "1"
    if coded:
        qs = qs.exclude(isco_code="")
    qs = qs.select_related("worksite_subdivision").order_by("-begin_date", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows, plans = [], []
    for job in page.object_list:
        try:
            plan = orders.plan_order(job, today=today, project=True)
            next_dates, problem = (plan.begin, plan.end), ""
            plans.append(plan)
        except orders.OrderRefused as error:
            plan, next_dates, problem = None, None, error.message
        rows.append({"job": job, "positions": orders.positions_of(job), "next": next_dates, "problem": problem,
                     "plan": plan, "started": job.begin_date <= today,
                     "title": isco.title(job.isco_code) if job.isco_code else ""})
    population = "real" if _has_real_profiles(origins) else "synthetic"
    eligible = queries.eligible_counts(origins[0], population, plans, today=today)
    for row in rows:
        row["eligible"] = eligible.get(id(row["plan"])) if row["plan"] is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "matching/orders.html", {
        "page": page, "rows": rows, "programme": programme, "occupation": occupation, "coded": coded,
        "programmes": JobOrder._meta.get_field("programme").choices, "query": query.urlencode(),
        "population": population, "origin": origins[0],
    })


@login_required
@require_http_methods(["GET", "POST"])
def shortlist_new(request, job_pk: int):
    origins = _require_origin(request)
    job = get_restricted_or_404(JobOrder.objects.select_related("worksite_subdivision", "country"), request.user,
                                pk=job_pk)
    today = timezone.localdate()
    started = job.begin_date is not None and job.begin_date <= today
    initial = {"population": "real" if _has_real_profiles(origins) else "synthetic"}
    form = ShortlistForm(request.POST or None, job=job, origins=origins, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            run = services.create_shortlist(actor=request.user, job_order=job, parameters=form.parameters(),
                                            request=request)
        except PermissionDenied:
            raise Http404
        except ValidationError as error:
            refusal = error
        else:
            return redirect("matching:run", run.pk)
    preview = None
    try:
        plan = orders.plan_order(job, today=today, project=True)
        preview = {"begin": plan.begin, "end": plan.end, "projection": plan.is_projection, "isco": plan.isco}
    except orders.OrderRefused as error:
        preview = {"problem": error.message, "code": error.code}
    status = 400 if request.method == "POST" else 200
    return render(request, "matching/shortlist_form.html", {
        "form": form, "job": job, "started": started, "preview": preview, "positions": orders.positions_of(job),
        "refusal": refusal.messages[0] if refusal else None, "real_profiles": initial["population"] == "real",
        "isco_title": isco.title(job.isco_code) if job.isco_code else "",
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def season_new(request):
    origins = _require_origin(request)
    initial = {"population": "real" if _has_real_profiles(origins) else "synthetic"}
    form = SeasonForm(request.POST or None, origins=origins, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_season_run(actor=request.user, parameters=form.parameters(), request=request)
        except PermissionDenied:
            raise Http404
        except ValidationError as error:
            refusal = error.messages[0]
        else:
            messages.success(request, _("Ejecución en cola: el cálculo sigue en segundo plano."))
            return redirect("matching:run", run.pk)
    return render(request, "matching/season_form.html", {
        "form": form, "refusal": refusal, "real_profiles": initial["population"] == "real",
    }, status=400 if request.method == "POST" else 200)


def _run_context(request, run: MatchRun) -> dict:
    user = request.user
    origin_side = queries.is_origin_side(user, run)
    state = request.GET.get("state", "")
    proposals = queries.proposals_for(user, run, state=state)
    page = Paginator(proposals, PAGE_SIZE if run.kind == MatchRun.Kind.SEASON else 500).get_page(
        request.GET.get("page"))
    cards = [_card(p, run, origin_side) for p in page.object_list]
    shown = [c["proposal"] for c in cards if c["identity"]]
    services.record_identity_read(actor=user, run=run, proposals=shown, request=request)
    stats = run.stats or {}
    shares = queries.shares(run) if origin_side and run.is_finished else None
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "run": run, "origin_side": origin_side, "page": page, "cards": cards, "state": state,
        "can_decide": origin_side and queries.can_decide(user, run),
        "counts": queries.state_counts(user, run), "states": Proposal.State.choices,
        "funnel": presentation.funnel_rows(run) if origin_side else [],
        "shares": shares,
        "regions": presentation.region_names([c["proposal"].region for c in cards] + (
            [r["key"] for r in shares["region"]] if shares else [])),
        "reason": presentation.reason_text(run.reason) if run.reason else "",
        "eligibility": presentation.eligibility_text(stats["eligibility"]) if isinstance(
            stats.get("eligibility"), str) else "",
        "projection": presentation.projection_label(run) if run.job_order_id else "",
        "diagnosis": [(presentation.reason_text(k), n) for k, n in (stats.get("diagnosis") or {}).get(
            "reasons", {}).items()],
        "query": query.urlencode(), "running": not run.is_finished,
        "isco_titles": {c: isco.title(c) for c in stats.get("isco", [])},
    }


def _card(p: Proposal, run: MatchRun, origin_side: bool) -> dict:
    weights = (run.parameters or {}).get("weights", {})
    return {"proposal": p, "identity": queries.identity_visible(p, origin_side=origin_side),
            "factors": presentation.factor_rows(p, weights), "why": presentation.explanation(p, weights),
            "projection": presentation.projection_label(p) if run.kind == MatchRun.Kind.SEASON else ""}


@login_required
@require_GET
def run_detail(request, pk: int):
    run = get_restricted_or_404(MatchRun.objects.select_related("origin_country", "job_order", "destination",
                                                                "created_by"), request.user, pk=pk)
    return render(request, "matching/run.html", _run_context(request, run))


@login_required
@require_GET
def run_progress(request, pk: int):
    run = get_restricted_or_404(MatchRun.objects.all(), request.user, pk=pk)
    response = render(request, "matching/_progress.html", {"run": run, "running": not run.is_finished})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the finished page has the proposals
    return response


@login_required
@require_GET
def run_export(request, pk: int):
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx", "json"):
        return HttpResponseBadRequest(_("Formato no disponible: use csv, xlsx o json."))
    run = get_restricted_or_404(MatchRun.objects.all(), request.user, "export", pk=pk)
    origin_side = queries.is_origin_side(request.user, run)
    proposals = list(queries.proposals_for(request.user, run, action="export").select_related("run"))
    record(type=EventType.EXPORT, actor=request.user, obj=run, country=run.origin_country_id, request=request,
           details={"format": fmt, "rows": len(proposals)})
    services.record_identity_read(actor=request.user, run=run, request=request, proposals=[
        p for p in proposals if queries.identity_visible(p, origin_side=origin_side)])
    header = presentation.export_header(origin_side=origin_side)
    name = f"match-run-{run.pk}" + ("-SYNTHETIC" if run.is_synthetic else "")
    return export_response(fmt, name, header, presentation.export_rows(proposals, origin_side=origin_side))


# --- decisions -------------------------------------------------------------------------------------------
def _proposal_response(request, proposal: Proposal, error: str = "", notice: str = ""):
    """htmx: the candidate's card again (new state, or the error); plain form: back to the run page."""
    if request.headers.get("HX-Request"):
        proposal = Proposal.objects.select_related("worker", "job_order", "run").get(pk=proposal.pk)
        run = proposal.run
        return render(request, "matching/_proposal.html", {
            "card": _card(proposal, run, True), "run": run, "can_decide": queries.can_decide(request.user, run),
            "origin_side": True, "error": error, "notice": notice, "regions": presentation.region_names(
                [proposal.region])}, status=200)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect(reverse("matching:run", args=[proposal.run_id]) + f"#proposal-{proposal.pk}")


@login_required
@require_POST
def decide(request, pk: int):
    proposal = get_restricted_or_404(Proposal.objects.all(), request.user, "change", pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _proposal_response(request, proposal, error=" ".join(
            str(e) for errors in form.errors.values() for e in errors))
    try:
        services.decide_proposal(actor=request.user, proposal=proposal, decision=form.cleaned_data["decision"],
                                 reason=form.cleaned_data["reason"], request=request)
    except PermissionDenied:
        raise Http404
    except ValidationError as error:
        return _proposal_response(request, proposal, error=" ".join(error.messages))
    notice = _("Candidato aceptado.") if form.cleaned_data["decision"] == "accept" else _("Candidato rechazado.")
    return _proposal_response(request, proposal, notice=notice)


@login_required
@require_POST
def withdraw(request, pk: int):
    proposal = get_restricted_or_404(Proposal.objects.all(), request.user, "change", pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _proposal_response(request, proposal, error=_("Indique el motivo del retiro."))
    try:
        services.withdraw_proposal(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"],
                                   request=request)
    except PermissionDenied:
        raise Http404
    except ValidationError as error:
        return _proposal_response(request, proposal, error=" ".join(error.messages))
    return _proposal_response(request, proposal, notice=_("Candidato retirado."))


@login_required
@require_POST
def release(request, pk: int):
    run = get_restricted_or_404(MatchRun.objects.all(), request.user, "change", pk=pk)
    ids = list(Proposal.objects.restrict(request.user, "change").filter(run=run).values_list("pk", flat=True))
    form = ReleaseForm(request.POST, choices=ids)
    single = None
    if form.is_valid():
        chosen = None if form.cleaned_data.get("all_accepted") else form.cleaned_data["proposals"]
        if chosen and len(chosen) == 1:
            single = Proposal.objects.get(pk=chosen[0])
        try:
            count = services.release_proposals(actor=request.user, run=run, proposal_ids=chosen, request=request)
        except PermissionDenied:
            raise Http404
        except ValidationError as error:
            if single is not None:
                return _proposal_response(request, single, error=" ".join(error.messages))
            messages.error(request, " ".join(error.messages))
        else:
            notice = _("%(n)d candidato(s) liberado(s): el país de destino ya ve su identidad.") % {"n": count}
            if single is not None:
                return _proposal_response(request, single, notice=notice)
            messages.success(request, notice)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("matching:run", run.pk)


@login_required
@require_POST
def cancel(request, pk: int):
    run = get_restricted_or_404(MatchRun.objects.all(), request.user, "change", pk=pk)
    try:
        services.cancel_run(actor=request.user, run=run, request=request)
        messages.success(request, _("Ejecución cancelada: sus propuestas pendientes se retiraron."))
    except PermissionDenied:
        raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("matching:run", run.pk)


@login_required
@require_GET
def summary(request):
    if not queries.can_see_summary(request.user):
        raise Http404
    return render(request, "matching/summary.html", {"rows": queries.summary(), "states": Proposal.State.choices,
                                                     "small": queries.SMALL_CELL})
