"""Reads of the matching app. Every list starts from ``restrict()``; what a row may show (names or only the
pseudonym) is decided here, once, for pages, exports and the API alike."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count

from temporada.accounts.roles import Role

from .models import MatchRun, Proposal

SMALL_CELL = 5  # aggregates for analysts: fewer than 5 is shown as "<5"


def runs_for(user, *, kind: str = "", status: str = "", action: str = "view"):
    qs = MatchRun.objects.restrict(user, action).select_related("origin_country", "destination", "job_order",
                                                                "created_by")
    if kind in MatchRun.Kind.values:
        qs = qs.filter(kind=kind)
    if status in MatchRun.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def proposals_for(user, run: MatchRun, *, state: str = "", action: str = "view"):
    qs = Proposal.objects.restrict(user, action).filter(run=run).select_related("run", "worker", "job_order",
                                                                                "job_order__country")
    if state in Proposal.State.values:
        qs = qs.filter(state=state)
    return qs.order_by("job_order_id", "rank", "id")


def is_origin_side(user, run: MatchRun) -> bool:
    """The origin official of the run's country (or an administrator): sees names, funnel, shares, decides."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin_role:
        return True
    return user.role == Role.ORIGIN_OFFICIAL and run.origin_country_id in user.country_codes


def can_decide(user, run: MatchRun) -> bool:
    return MatchRun.objects.restrict(user, "change").filter(pk=run.pk).exists() and run.status not in (
        MatchRun.Status.CANCELLED, MatchRun.Status.QUEUED, MatchRun.Status.RUNNING)


def identity_visible(proposal: Proposal, *, origin_side: bool) -> bool:
    """Names and documents: the origin side always; a destination official only once released."""
    return origin_side or proposal.state == Proposal.State.RELEASED


def state_counts(user, run: MatchRun) -> dict[str, int]:
    rows = Proposal.objects.restrict(user).filter(run=run).values("state").annotate(n=Count("id"))
    counts = {state: 0 for state in Proposal.State.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def shares(run: MatchRun) -> dict[str, list[dict]]:
    """Proposals of the run by sex and by region of residence (counts and percentages). Origin side only."""
    rows = list(Proposal.objects.filter(run=run).exclude(state=Proposal.State.WITHDRAWN).values_list("sex", "region"))
    total = len(rows)

    def table(counter):
        return [{"key": key, "count": n, "percent": round(100 * n / total, 1) if total else 0}
                for key, n in counter.most_common()]

    return {"total": total, "sex": table(Counter(r[0] for r in rows)), "region": table(Counter(r[1] for r in rows))}


def eligible_counts(country: str, population: str, plans, *, today) -> dict[int, int]:
    """How many matchable profiles of ``country`` each planned order could be proposed (default rules; keyed by
    ``id(plan)``). One engine pass per order over the cached registry snapshot: milliseconds each."""
    from . import engine, orders, snapshot

    plans = [p for p in plans if p is not None]
    if not plans:
        return {}
    snap, index = snapshot.current(country, population, today=today)
    eligible = {code: orders.eligibility(code, country) for code in {p.job.programme for p in plans}}
    jobs = orders.job_arrays(plans, snap, eligible=eligible, capacity="all")
    return {id(plan): engine.shortlist(index, jobs, row, n=1).eligible_count for row, plan in enumerate(plans)}


def summary() -> list[dict]:
    """Aggregate counts for analysts: real runs and their proposals by origin country, kind and state; cells
    under 5 are not shown. Synthetic runs never count."""
    runs = (MatchRun.objects.filter(is_synthetic=False).values("origin_country_id", "kind")
            .annotate(n=Count("id")).order_by("origin_country_id", "kind"))
    proposals = (Proposal.objects.filter(run__is_synthetic=False)
                 .values("run__origin_country_id", "run__kind", "state").annotate(n=Count("id")))
    by_key: dict[tuple[str, str], dict[str, int]] = {}
    for row in proposals:
        by_key.setdefault((row["run__origin_country_id"], row["run__kind"]), {})[row["state"]] = row["n"]

    def cell(n):
        return n if n >= SMALL_CELL else None

    out = []
    for row in runs:
        states = by_key.get((row["origin_country_id"], row["kind"]), {})
        out.append({"origin": row["origin_country_id"], "kind": row["kind"], "runs": cell(row["n"]),
                    **{state: cell(states.get(state, 0)) for state in Proposal.State.values}})
    return out


def can_see_summary(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.role in (Role.ANALYST, Role.ORIGIN_OFFICIAL, Role.DESTINATION_OFFICIAL) or user.is_admin_role))
