"""Decisions on proposals: accept / reject (with reason), release, withdraw, cancel — audited, and never
over-filling an order or double-booking a worker across runs."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from temporada.core.models import AuditEvent
from temporada.core.testing import make_user
from temporada.matching import services
from temporada.matching.models import Proposal

from .conftest import shortlist_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(h2a_orders):
    job = h2a_orders.filter(occupation_code="45-2092").first()
    job.positions_certified = 2  # a small crew, so the limit is reached in the tests
    job.save()
    return job


@pytest.fixture
def crew(order, make_worker):
    return [make_worker(isco_1=order.isco_code, years_1=str(6 - n)) for n in range(4)]


def _shortlist(actor, order, **params):
    return services.create_shortlist(actor=actor, job_order=order, parameters=shortlist_params(**params))


def test_accept_reject_release_and_withdraw_are_recorded(order, crew, gt_official):
    run = _shortlist(gt_official, order)
    first, second = run.proposals.order_by("rank")[:2]
    services.decide_proposal(actor=gt_official, proposal=first, decision="accept")
    with pytest.raises(ValidationError) as no_reason:
        services.decide_proposal(actor=gt_official, proposal=second, decision="reject")
    assert no_reason.value.code == "reason_required"
    services.decide_proposal(actor=gt_official, proposal=second, decision="reject", reason="No puede viajar en mayo")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.decided_by, second.state, second.decision_reason) == (
        "accepted", gt_official, "rejected", "No puede viajar en mayo")
    with pytest.raises(ValidationError):  # a decision is not taken twice
        services.decide_proposal(actor=gt_official, proposal=second, decision="accept")

    assert services.release_proposals(actor=gt_official, run=run) == 1
    first.refresh_from_db()
    assert (first.state, first.released_by) == ("released", gt_official) and first.released_at
    with pytest.raises(ValidationError):
        services.release_proposals(actor=gt_official, run=run)  # nothing accepted is left

    services.withdraw_proposal(actor=gt_official, proposal=first, reason="Encontró otro empleo")
    first.refresh_from_db()
    assert (first.state, first.withdrawal_reason) == ("withdrawn", "Encontró otro empleo")
    types = list(AuditEvent.objects.filter(type__startswith="matching.").order_by("id").values_list("type", flat=True))
    assert types == ["matching.run", "matching.decided", "matching.decided", "matching.released", "matching.decided"]


def test_acceptance_never_overfills_the_order_across_runs(order, crew, gt_official):
    run = _shortlist(gt_official, order)
    for proposal in run.proposals.order_by("rank")[:2]:
        services.decide_proposal(actor=gt_official, proposal=proposal, decision="accept")
    third = run.proposals.get(rank=3)
    with pytest.raises(ValidationError) as full:
        services.decide_proposal(actor=gt_official, proposal=third, decision="accept")
    assert full.value.code == "full"
    third.refresh_from_db()
    assert third.state == "proposed"  # nothing half-saved
    # A later shortlist for the same order and period cannot add a third either.
    later = _shortlist(gt_official, order)
    assert later.stats["positions_taken"] == 2
    spare = later.proposals.exclude(worker__in=[p.worker for p in run.proposals.filter(state="accepted")]).first()
    with pytest.raises(ValidationError):
        services.decide_proposal(actor=gt_official, proposal=spare, decision="accept")


def test_a_booked_worker_is_not_proposed_again_and_cannot_be_accepted_twice(order, h2a_orders, crew, gt_official):
    run = _shortlist(gt_official, order)
    top = run.proposals.get(rank=1)
    services.decide_proposal(actor=gt_official, proposal=top, decision="accept")
    # Another real order of the same occupation, planned for dates that overlap.
    other = h2a_orders.filter(occupation_code="45-2092").exclude(pk=order.pk).first()
    other.begin_date, other.end_date = order.begin_date, order.end_date
    other.save()
    second = _shortlist(gt_official, other)
    assert top.worker_id not in set(second.proposals.values_list("worker_id", flat=True))
    assert dict(second.funnel)["booked"] == dict(second.funnel)["language"] - 1
    # A proposal made before the booking cannot be accepted for the overlapping period either.
    earlier = _shortlist(gt_official, other)
    Proposal.objects.filter(run=earlier).delete()
    stale = Proposal.objects.create(run=earlier, worker=top.worker, job_order=other, begin_date=top.begin_date,
                                    end_date=top.end_date, rank=1, pseudonym="C-AAAAA-AAAAA", score=1)
    with pytest.raises(ValidationError) as clash:
        services.decide_proposal(actor=gt_official, proposal=stale, decision="accept")
    assert clash.value.code == "double_booked"
    assert services.booked_overlaps() == [] and services.overfilled_orders() == []


def test_a_withdrawn_candidate_frees_the_period(order, crew, gt_official):
    run = _shortlist(gt_official, order)
    top = run.proposals.get(rank=1)
    services.decide_proposal(actor=gt_official, proposal=top, decision="accept")
    assert top.worker_id not in set(_shortlist(gt_official, order).proposals.values_list("worker_id", flat=True))
    services.withdraw_proposal(actor=gt_official, proposal=top, reason="Cambió de planes")
    assert top.worker_id in set(_shortlist(gt_official, order).proposals.values_list("worker_id", flat=True))


def test_consent_withdrawn_after_the_run_blocks_acceptance(order, crew, gt_official):
    from temporada.supply import services as supply

    run = _shortlist(gt_official, order)
    top = run.proposals.get(rank=1)
    supply.withdraw_consent(actor=gt_official, worker=top.worker, purpose="matching")
    with pytest.raises(ValidationError) as refused:
        services.decide_proposal(actor=gt_official, proposal=top, decision="accept")
    assert refused.value.code == "not_matchable"


def test_a_period_that_has_begun_cannot_be_accepted(order, crew, gt_official):
    run = _shortlist(gt_official, order)
    top = run.proposals.get(rank=1)
    with pytest.raises(ValidationError) as started:
        services.decide_proposal(actor=gt_official, proposal=top, decision="accept",
                                 today=top.begin_date + timedelta(days=1))
    assert started.value.code == "started"


def test_cancelling_a_run_withdraws_its_pending_proposals_only(order, crew, gt_official):
    run = _shortlist(gt_official, order)
    top = run.proposals.get(rank=1)
    services.decide_proposal(actor=gt_official, proposal=top, decision="accept")
    services.cancel_run(actor=gt_official, run=run)
    run.refresh_from_db()
    assert run.status == "cancelled" and run.cancelled_by == gt_official
    states = dict(run.proposals.values_list("rank", "state"))
    assert states[1] == "accepted" and {states[r] for r in (2, 3, 4)} == {"withdrawn"}
    with pytest.raises(ValidationError):
        services.cancel_run(actor=gt_official, run=run)


def test_others_cannot_decide_release_or_cancel(order, crew, gt_official):
    run = _shortlist(gt_official, order)
    top = run.proposals.get(rank=1)
    for user in (make_user("origin_official", ["HND"]), make_user("destination_official", ["USA"]),
                 make_user("admin"), make_user("analyst", ["GTM"])):
        with pytest.raises(PermissionDenied):
            services.decide_proposal(actor=user, proposal=top, decision="accept")
        with pytest.raises(PermissionDenied):
            services.release_proposals(actor=user, run=run)
        with pytest.raises(PermissionDenied):
            services.cancel_run(actor=user, run=run)
    top.refresh_from_db()
    assert top.state == "proposed"


def test_release_refuses_ids_of_another_run_or_not_accepted(order, crew, gt_official):
    run = _shortlist(gt_official, order)
    other = _shortlist(gt_official, order)
    top = run.proposals.get(rank=1)
    services.decide_proposal(actor=gt_official, proposal=top, decision="accept")
    with pytest.raises(PermissionDenied):
        services.release_proposals(actor=gt_official, run=run, proposal_ids=[other.proposals.first().pk])
    with pytest.raises(ValidationError):
        services.release_proposals(actor=gt_official, run=run, proposal_ids=[run.proposals.get(rank=2).pk])
    assert services.release_proposals(actor=gt_official, run=run, proposal_ids=[top.pk]) == 1


def test_identity_reads_are_audited(order, crew, gt_official):
    run = _shortlist(gt_official, order)
    shown = list(run.proposals.all()[:2])
    services.record_identity_read(actor=gt_official, run=run, proposals=shown)
    event = AuditEvent.objects.get(type=AuditEvent.Type.PROTECTED_READ)
    assert event.details["workers"] == [p.worker_id for p in shown] and event.object_id == str(run.pk)
    assert timezone.now() - event.created_at < timedelta(minutes=1)
