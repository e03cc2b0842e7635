"""Shortlists through the service, on real H-2A job orders and profiles created through the supply services:
ranking and explanations, projections of begun orders, refusals, empty results with the rule that emptied them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from temporada.core.models import AuditEvent
from temporada.core.testing import make_user
from temporada.matching import services
from temporada.matching.models import MatchRun, Proposal
from temporada.matching.presentation import explanation

from .conftest import planned, shortlist_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(h2a_orders):
    """A real FY2017 order mapped to ISCO 6310 through the crosswalk (SOC 45-2092)."""
    return h2a_orders.filter(occupation_code="45-2092").first()


def test_the_slice_is_real_and_every_order_has_begun(h2a_orders, order):
    assert h2a_orders.count() == 12
    assert order.isco_code == "6310" and order.isco_alternatives  # one of several crosswalk counterparts
    assert all(job.begin_date < timezone.localdate() for job in h2a_orders)


def test_candidates_rank_by_score_and_each_score_is_explained(order, gt_official, make_worker):
    plan = planned(order)
    best = make_worker(isco_1=order.isco_code, years_1="6", past_programme_1="us-h2a", past_destination_1="USA",
                       past_season_1="2024", past_returned_1="yes", language_2="en", level_2="basic")
    close = make_worker(isco_1="6320", years_1="2")  # livestock, same sub-major group 63 as crops
    make_worker(isco_1="5120", years_1="9")  # cook: another major group, never eligible
    late = make_worker(isco_1=order.isco_code, years_1="8",
                       available_from=(plan.begin + timedelta(days=10)).isoformat())

    run = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())

    assert (run.status, run.kind, run.is_projection, run.begin_date, run.end_date) == (
        "done", "shortlist", True, plan.begin, plan.end)
    proposals = list(run.proposals.order_by("rank"))
    assert [p.worker_id for p in proposals] == [best.pk, close.pk]
    assert proposals[0].score > proposals[1].score
    top = proposals[0]
    assert (top.isco_level, top.job_isco, top.worker_isco, top.relevant_years) == (4, order.isco_code, order.isco_code, 6)
    assert (top.good_returns, top.prior_count, top.languages, top.region) == (1, 1, ["es", "en"], "GT-13")
    assert top.score == pytest.approx(sum(getattr(top, f"{f}_points") for f in
                                          ("occupation", "experience", "participation", "language", "preference")))
    why = explanation(top)
    assert f"mismo grupo primario CIUO-08 {order.isco_code}" in why and "6 años" in why and "1 de 1" in why
    assert "inglés" in why
    assert "mismo subgrupo principal 63" in explanation(proposals[1]) and proposals[1].isco_level == 2
    funnel = dict(run.funnel)
    assert funnel["workers"] == 4 and funnel["occupation_family"] == 3 and funnel["availability"] == 2
    assert late.pk not in {p.worker_id for p in proposals}
    event = AuditEvent.objects.get(type=AuditEvent.Type.MATCH_RUN)
    assert event.actor == gt_official and event.details["proposals"] == 2 and event.details["projection"] is True


def test_a_crosswalked_occupation_code_explains_its_discount(order, gt_official, make_worker):
    """The order publishes SOC 45-2092, which the crosswalk links to several ISCO-08 codes: the engine counts the
    same unit group at 85 % and the explanation says why the occupation factor is not at its maximum."""
    make_worker(isco_1=order.isco_code, years_1="3")
    run = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    top = run.proposals.select_related("run", "job_order").get(rank=1)
    assert top.isco_level == 4 and top.occupation_points == pytest.approx(40 * 0.85)
    why = explanation(top)
    assert "código SOC" in why and "la cercanía cuenta al 85 %" in why
    # Coded by the official for this search: a direct code, full points, no such sentence.
    coded = services.create_shortlist(actor=gt_official, job_order=order,
                                      parameters=shortlist_params(isco_code=order.isco_code))
    top = coded.proposals.select_related("run", "job_order").get(rank=1)
    assert top.occupation_points == pytest.approx(40) and "cuenta al" not in explanation(top)


def test_pseudonyms_are_stable_per_run_and_unrelated_across_runs(order, gt_official, make_worker):
    import re

    worker, other = make_worker(isco_1=order.isco_code), make_worker(isco_1=order.isco_code)
    first = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    second = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    a, b = first.proposals.get(worker=worker), second.proposals.get(worker=worker)
    assert a.pseudonym == services.pseudonym(first.pk, worker.pk) and a.pseudonym != b.pseudonym
    assert a.pseudonym != first.proposals.get(worker=other).pseudonym
    assert re.fullmatch(r"C-[A-Z2-7]{5}-[A-Z2-7]{5}", a.pseudonym)


def test_a_begun_order_is_refused_unless_its_next_season_is_planned(order, gt_official, make_worker):
    make_worker(isco_1=order.isco_code)
    with pytest.raises(ValidationError) as refused:
        services.create_shortlist(actor=gt_official, job_order=order,
                                  parameters=shortlist_params(plan_next_season=False))
    assert refused.value.code == "past" and "próxima temporada" in refused.value.messages[0]
    assert not MatchRun.objects.exists() and not AuditEvent.objects.filter(type=AuditEvent.Type.MATCH_RUN).exists()


def test_an_order_with_its_dates_ahead_is_planned_as_published(order, gt_official, make_worker):
    today = timezone.localdate()
    order.begin_date, order.end_date = today + timedelta(days=40), today + timedelta(days=200)
    order.save()
    make_worker(isco_1=order.isco_code)
    run = services.create_shortlist(actor=gt_official, job_order=order,
                                    parameters=shortlist_params(plan_next_season=False))
    assert (run.is_projection, run.begin_date) == (False, order.begin_date)
    assert run.proposals.get().is_projection is False


@pytest.mark.parametrize(("change", "code"), [
    ({"positions_certified": 0}, "zero_positions"),
    ({"begin_date": None}, "no_dates"),
    ({"status_category": "withdrawn"}, "closed"),
])
def test_orders_that_cannot_be_matched_get_a_clear_message_and_nothing_is_saved(order, gt_official, change, code):
    for field, value in change.items():
        setattr(order, field, value)
    order.save()
    with pytest.raises(ValidationError) as refused:
        services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    assert refused.value.code == code and refused.value.messages[0]
    assert not MatchRun.objects.exists()


def test_an_order_without_isco_needs_the_official_to_code_the_occupation(order, gt_official, make_worker):
    order.isco_code, order.isco_alternatives, order.job_title = "", [], "Farmworker"
    order.save()
    worker = make_worker(isco_1="9211")
    with pytest.raises(ValidationError) as refused:
        services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    assert refused.value.code == "no_isco" and "Farmworker" in refused.value.messages[0]
    run = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params(isco_code="9211"))
    assert run.stats["coded_by_official"] and run.stats["isco"] == ["9211"]
    assert run.proposals.get().worker_id == worker.pk


def test_nobody_eligible_is_a_run_that_says_which_rule_emptied_it(order, gt_official, make_worker):
    make_worker(isco_1=order.isco_code, passport_number="", passport_expiry="")
    run = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    assert (run.status, run.reason, run.proposal_count) == ("empty", "passport", 0)
    assert dict(run.funnel)["availability"] == 1 and dict(run.funnel)["passport"] == 0


def test_an_empty_registry_is_an_empty_run_not_an_error(order, gt_official):
    run = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    assert (run.status, run.reason) == ("empty", "no_workers")


def test_filters_and_required_languages_narrow_the_list(order, gt_official, make_worker):
    woman = make_worker(isco_1=order.isco_code, sex="F")
    man = make_worker(isco_1=order.isco_code, sex="M", residence_subdivision="GT-01", language_2="en",
                      level_2="fluent")
    women = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params(sexes=["F"]))
    assert [p.worker_id for p in women.proposals.all()] == [woman.pk]
    english = services.create_shortlist(actor=gt_official, job_order=order,
                                        parameters=shortlist_params(required_languages=["en"]))
    assert [p.worker_id for p in english.proposals.all()] == [man.pk] and dict(english.funnel)["language"] == 1
    region = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params(regions=["GT-01"]))
    assert [p.worker_id for p in region.proposals.all()] == [man.pk]


def test_profiles_without_consent_or_verification_and_synthetic_ones_are_never_proposed(order, gt_official,
                                                                                       make_worker):
    from temporada.supply import services as supply

    make_worker(isco_1=order.isco_code, consent_matching=None)
    make_worker(isco_1=order.isco_code, documents_verified=None)
    withdrawn = make_worker(isco_1=order.isco_code)
    supply.withdraw_consent(actor=gt_official, worker=withdrawn, purpose="matching")
    run = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    assert run.reason == "no_workers"
    demo = services.create_shortlist(actor=gt_official, job_order=order,
                                     parameters=shortlist_params(population="synthetic"))
    assert demo.is_synthetic and demo.reason == "no_workers"


def test_only_origin_officials_of_the_country_run_shortlists(order):
    for user in (make_user("origin_official", ["HND"]), make_user("destination_official", ["USA"]),
                 make_user("analyst", ["GTM"]), make_user("admin")):
        with pytest.raises(PermissionDenied):
            services.create_shortlist(actor=user, job_order=order, parameters=shortlist_params())
    assert not MatchRun.objects.exists()


def test_a_changed_profile_is_seen_by_the_next_shortlist(order, gt_official, make_worker):
    from temporada.supply import services as supply
    from temporada.supply.forms import WorkerForm

    from .conftest import profile_data

    worker = make_worker(isco_1="5120", years_1="3")
    assert services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params()).reason
    data = profile_data(isco_1=order.isco_code, years_1="3", national_id="", passport_number="",
                        passport_expiry=worker.passport_expiry.isoformat())
    form = WorkerForm(data, instance=worker, nationalities={"GTM"}, initial=WorkerForm.initial_from(worker))
    assert form.is_valid(), form.errors
    supply.update_worker(actor=gt_official, worker=worker, data=form.cleaned_data)
    run = services.create_shortlist(actor=gt_official, job_order=order, parameters=shortlist_params())
    assert [p.worker_id for p in run.proposals.all()] == [worker.pk]
    assert Proposal.objects.count() == 1


def test_profiles_added_in_bulk_are_seen_by_the_next_shortlist(order, gt_official):
    from temporada.matching.models import RegistryVersion
    from temporada.supply.synthetic import generate
    from temporada.supply.tests.conftest import tiny_distributions

    generate(count=20, seed=1, dist=tiny_distributions(("GTM",)))
    first = services.create_shortlist(actor=gt_official, job_order=order,
                                      parameters=shortlist_params(population="synthetic", isco_code="9211"))
    assert not RegistryVersion.objects.exists()  # the generator inserts without save(): no signal
    generate(count=20, seed=2, dist=tiny_distributions(("GTM",)))
    second = services.create_shortlist(actor=gt_official, job_order=order,
                                       parameters=shortlist_params(population="synthetic", isco_code="9211"))
    assert second.stats["workers"] > first.stats["workers"]


def test_profiles_deleted_in_bulk_leave_the_next_shortlist(order, gt_official):
    from temporada.matching.models import RegistryVersion
    from temporada.supply.synthetic import delete_synthetic, generate
    from temporada.supply.tests.conftest import tiny_distributions

    params = shortlist_params(population="synthetic", isco_code="9211")
    generate(count=20, seed=1, dist=tiny_distributions(("GTM",)))
    first = services.create_shortlist(actor=gt_official, job_order=order, parameters=params)
    assert first.stats["workers"] > 0
    delete_synthetic()  # one bulk delete: no post_delete per profile, the supply signal instead
    assert RegistryVersion.objects.get(country_id="GTM").version == 1
    second = services.create_shortlist(actor=gt_official, job_order=order, parameters=params)
    assert second.stats["workers"] == 0 and second.status == "empty" and not second.proposals.exists()


def test_synthetic_profiles_in_runs_are_not_deleted_and_the_command_says_why(order, gt_official):
    from django.core.management import CommandError, call_command

    from temporada.supply.models import Worker
    from temporada.supply.synthetic import generate
    from temporada.supply.tests.conftest import tiny_distributions

    generate(count=5, seed=1, dist=tiny_distributions(("GTM",)))
    run = services.create_shortlist(actor=gt_official, job_order=order,
                                    parameters=shortlist_params(population="synthetic", isco_code="9211"))
    worker = Worker.objects.filter(is_synthetic=True).first()
    Proposal.objects.create(run=run, worker=worker, job_order=order, begin_date=run.begin_date, end_date=run.end_date,
                            rank=99, pseudonym="C-TEST0-TEST0", score=1)
    with pytest.raises(CommandError, match="Nothing deleted"):
        call_command("generate_workers", "--count", "0", "--seed", "1", "--delete")
    assert Worker.objects.filter(is_synthetic=True).count() == 5 and worker.occupations.exists()


def test_every_profile_save_raises_the_registry_version(gt_official, make_worker):
    from temporada.matching.models import RegistryVersion
    from temporada.supply import services as supply

    worker = make_worker()
    before = RegistryVersion.objects.get(country_id="GTM").version
    supply.withdraw_consent(actor=gt_official, worker=worker, purpose="matching")
    assert RegistryVersion.objects.get(country_id="GTM").version > before
