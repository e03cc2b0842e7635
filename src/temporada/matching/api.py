"""`/api/v1/matching/`: runs, proposals, decisions and releases — scoped exactly like the pages.

Reads: origin officials see their country's runs with names; destination officials see the proposals accepted for
their country's job orders, pseudonymous until released; analysts get the aggregate summary; everyone else an empty
list or 404. Writes need the session cookie AND the CSRF token (``django_auth``), go through the same forms (422
with their messages on bad parameters) and services (audited) as the pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from temporada.core.restrict import get_restricted_or_404
from temporada.demand.models import JobOrder

from . import presentation, queries, services
from .engine import FACTORS
from .forms import DecisionForm, SeasonForm, ShortlistForm
from .models import MatchRun, Proposal
from .schemas import (
    DecisionIn,
    ErrorOut,
    InvalidOut,
    ProposalOut,
    ReleasedOut,
    ReleaseIn,
    RunDetailOut,
    RunOut,
    SeasonIn,
    ShortlistIn,
    SummaryRowOut,
    WithdrawIn,
)

router = Router(tags=["matching"])


def _run_out(run: MatchRun) -> dict:
    return {
        "id": run.pk, "kind": run.kind, "status": run.status, "reason": run.reason,
        "reason_text": presentation.reason_text(run.reason) if run.reason else "", "origin": run.origin_country_id,
        "programme": run.programme, "destination": run.destination_id, "job_order": run.job_order_id,
        "begin_date": run.begin_date, "end_date": run.end_date, "is_projection": run.is_projection,
        "projection": presentation.projection_label(run) if run.job_order_id else "",
        "is_synthetic": run.is_synthetic, "proposal_count": run.proposal_count, "objective": run.objective,
        "phase": run.phase, "progress": run.progress, "engine_version": run.engine_version,
        "created_at": run.created_at, "finished_at": run.finished_at, "duration_seconds": run.duration_seconds,
    }


def _run_detail(run: MatchRun, origin_side: bool) -> dict:
    funnel = [{"stage": row["stage"], "label": row["label"], "remaining": row["count"]}
              for row in presentation.funnel_rows(run)]
    return _run_out(run) | {"parameters": run.parameters if origin_side else None,
                            "funnel": funnel if origin_side else None, "stats": run.stats if origin_side else None}


def _proposal_out(p: Proposal, origin_side: bool) -> dict:
    identity = None
    if queries.identity_visible(p, origin_side=origin_side):
        w = p.worker
        identity = {"worker_id": w.pk, "given_names": w.given_names, "family_names": w.family_names,
                    "birth_date": w.birth_date, "sex": p.sex if origin_side else None,
                    "passport_last4": w.passport_last4}
    return {
        "id": p.pk, "run": p.run_id, "job_order": p.job_order_id, "job_order_key": p.job_order.source_key,
        "programme": p.job_order.programme, "destination": p.job_order.country_id, "begin_date": p.begin_date,
        "end_date": p.end_date, "is_projection": p.is_projection, "rank": p.rank, "pseudonym": p.pseudonym,
        "state": p.state, "score": p.score, "factors": {f: getattr(p, f"{f}_points") for f in FACTORS},
        "explanation": presentation.explanation(p), "worker_isco": p.worker_isco, "job_isco": p.job_isco,
        "isco_level": p.isco_level, "relevant_years": p.relevant_years, "good_returns": p.good_returns,
        "prior_seasons": p.prior_count, "languages": p.languages, "region": p.region, "decided_at": p.decided_at,
        "released_at": p.released_at, "identity": identity,
    }


def _invalid(errors: dict) -> Status:
    first = next(iter(errors.values()))[0] if errors else "invalid parameters"
    return Status(422, {"detail": str(first), "errors": {k: [str(e) for e in v] for k, v in errors.items()}})


def _refused(error: ValidationError) -> Status:
    return Status(422, {"detail": " ".join(error.messages), "errors": {"__all__": list(error.messages)}})


def _form_data(payload: Schema, request) -> dict:
    data = {k: v for k, v in payload.dict().items() if v is not None and v != ""}
    origins = sorted(request.user.country_codes) if request.user.role == "origin_official" else []
    if "origin" not in data and len(origins) == 1:
        data["origin"] = origins[0]
    return data


def _write(service, **kwargs):
    """Call a service write as every endpoint here does: a forbidden action answers 404 like a record the caller
    cannot see; a refused one answers 422 with the reason. Returns (result, None) or (None, refusal)."""
    try:
        return service(**kwargs), None
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return None, _refused(error)


def _origins(request) -> list[str]:
    user = request.user
    if not user.is_active or user.role != "origin_official":
        raise Http404
    return sorted(user.country_codes)


class RunFilters(Schema):
    kind: str = ""
    status: str = ""


@router.get("/runs", response=list[RunOut], url_name="matching_runs")
@paginate(LimitOffsetPagination)
def list_runs(request, filters: Query[RunFilters]):
    """Runs in the caller's scope, newest first."""
    return [_run_out(r) for r in queries.runs_for(request.user, kind=filters.kind, status=filters.status)]


@router.get("/runs/{run_id}", response={200: RunDetailOut, 404: ErrorOut}, url_name="matching_run")
def get_run(request, run_id: int):
    """One run; its parameters, funnel and figures only for the origin side."""
    run = get_restricted_or_404(MatchRun.objects.all(), request.user, pk=run_id)
    return _run_detail(run, queries.is_origin_side(request.user, run))


class ProposalFilters(Schema):
    state: str = ""


@router.get("/runs/{run_id}/proposals", response=list[ProposalOut], url_name="matching_run_proposals")
@paginate(LimitOffsetPagination)
def list_proposals(request, run_id: int, filters: Query[ProposalFilters]):
    """Proposals of a run the caller may see; identities as on the pages (reading them is audited)."""
    run = get_restricted_or_404(MatchRun.objects.all(), request.user, pk=run_id)
    origin_side = queries.is_origin_side(request.user, run)
    rows = list(queries.proposals_for(request.user, run, state=filters.state))
    services.record_identity_read(actor=request.user, run=run, request=request, proposals=[
        p for p in rows if queries.identity_visible(p, origin_side=origin_side)])
    return [_proposal_out(p, origin_side) for p in rows]


@router.get("/proposals/{proposal_id}", response={200: ProposalOut, 404: ErrorOut}, url_name="matching_proposal")
def get_proposal(request, proposal_id: int):
    proposal = get_restricted_or_404(Proposal.objects.select_related("run", "worker", "job_order"), request.user,
                                     pk=proposal_id)
    origin_side = queries.is_origin_side(request.user, proposal.run)
    if queries.identity_visible(proposal, origin_side=origin_side):
        services.record_identity_read(actor=request.user, run=proposal.run, proposals=[proposal], request=request)
    return _proposal_out(proposal, origin_side)


@router.post("/shortlists", response={201: RunDetailOut, 404: ErrorOut, 422: InvalidOut}, auth=django_auth,
             url_name="matching_shortlist")
def create_shortlist(request, payload: ShortlistIn):
    """Rank the best candidates of the caller's registry for one job order (synchronous)."""
    origins = _origins(request)
    job = get_restricted_or_404(JobOrder.objects.all(), request.user, pk=payload.job_order)
    form = ShortlistForm(_form_data(payload, request), job=job, origins=origins)
    if not form.is_valid():
        return _invalid(form.errors)
    run, refusal = _write(services.create_shortlist, actor=request.user, job_order=job,
                          parameters=form.parameters(), request=request)
    if refusal is not None:
        return refusal
    return Status(201, _run_detail(run, True))


@router.post("/season-runs", response={202: RunDetailOut, 404: ErrorOut, 422: InvalidOut}, auth=django_auth,
             url_name="matching_season")
def start_season(request, payload: SeasonIn):
    """Queue a season run; follow ``status`` / ``progress`` on GET /runs/{id}."""
    origins = _origins(request)
    form = SeasonForm(_form_data(payload, request), origins=origins)
    if not form.is_valid():
        return _invalid(form.errors)
    run, refusal = _write(services.start_season_run, actor=request.user, parameters=form.parameters(),
                          request=request)
    if refusal is not None:
        return refusal
    return Status(202, _run_detail(run, True))


@router.post("/runs/{run_id}/cancel", response={200: RunOut, 404: ErrorOut, 422: InvalidOut}, auth=django_auth,
             url_name="matching_cancel")
def cancel_run(request, run_id: int):
    run = get_restricted_or_404(MatchRun.objects.all(), request.user, "change", pk=run_id)
    run, refusal = _write(services.cancel_run, actor=request.user, run=run, request=request)
    if refusal is not None:
        return refusal
    return _run_out(run)


@router.post("/runs/{run_id}/release", response={200: ReleasedOut, 404: ErrorOut, 422: InvalidOut},
             auth=django_auth, url_name="matching_release")
def release(request, run_id: int, payload: ReleaseIn):
    """Release accepted candidates to the destination country (all accepted ones when ``proposals`` is omitted)."""
    run = get_restricted_or_404(MatchRun.objects.all(), request.user, "change", pk=run_id)
    count, refusal = _write(services.release_proposals, actor=request.user, run=run,
                            proposal_ids=payload.proposals, request=request)
    if refusal is not None:
        return refusal
    return {"released": count}


@router.post("/proposals/{proposal_id}/decide", response={200: ProposalOut, 404: ErrorOut, 422: InvalidOut},
             auth=django_auth, url_name="matching_decide")
def decide(request, proposal_id: int, payload: DecisionIn):
    proposal = get_restricted_or_404(Proposal.objects.all(), request.user, "change", pk=proposal_id)
    form = DecisionForm(payload.dict())
    if not form.is_valid():
        return _invalid(form.errors)
    proposal, refusal = _write(services.decide_proposal, actor=request.user, proposal=proposal, request=request,
                               decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"])
    if refusal is not None:
        return refusal
    return _proposal_out(Proposal.objects.select_related("run", "worker", "job_order").get(pk=proposal.pk), True)


@router.post("/proposals/{proposal_id}/withdraw", response={200: ProposalOut, 404: ErrorOut, 422: InvalidOut},
             auth=django_auth, url_name="matching_withdraw")
def withdraw(request, proposal_id: int, payload: WithdrawIn):
    proposal = get_restricted_or_404(Proposal.objects.all(), request.user, "change", pk=proposal_id)
    proposal, refusal = _write(services.withdraw_proposal, actor=request.user, proposal=proposal,
                               reason=payload.reason, request=request)
    if refusal is not None:
        return refusal
    return _proposal_out(Proposal.objects.select_related("run", "worker", "job_order").get(pk=proposal.pk), True)


@router.get("/summary", response={200: list[SummaryRowOut], 404: ErrorOut}, url_name="matching_summary")
def summary(request):
    """Aggregate counts of real runs and proposals (cells under 5 are null)."""
    if not queries.can_see_summary(request.user):
        raise Http404
    return queries.summary()
