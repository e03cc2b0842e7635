"""Legal-channel finder: per nationality (each RCM country, plus Haiti and Colombia), filters, no-JS form."""

import pytest
from django.contrib.auth.models import AnonymousUser

from temporada.core.models import Country
from temporada.programmes.models import Programme
from temporada.rights.finder import Answers, find

pytestmark = pytest.mark.django_db

RCM = ["BLZ", "CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "USA"]


def _slugs(matches):
    return {m.programme.slug for m in matches}


@pytest.mark.parametrize("nationality", RCM + ["HTI", "COL"])
def test_open_programmes_follow_the_catalogue_eligibility(content, nationality):
    result = find(AnonymousUser(), Answers(nationality=nationality))
    published = Programme.objects.filter(state="published", status="active").prefetch_related("eligible_origins")
    listing = {p.slug for p in published if nationality in {c.iso3 for c in p.eligible_origins.all()}}
    open_to_all = {p.slug for p in published if p.eligible_origins_open}
    opened = _slugs(result.open)
    # Every active programme that lists the nationality, or takes anyone, is offered...
    assert listing | open_to_all <= opened
    # ...and anything else offered is flagged "check before", never presented as certain.
    for match in result.open:
        if match.programme.slug not in listing | open_to_all:
            assert match.needs_check and match.warnings, match.programme.slug
    # Programmes that list other countries only are closed, with the reason.
    for match in result.closed:
        assert match.reasons and match.programme.slug not in listing | open_to_all


def test_salvadoran_gets_h2_and_the_salvadoran_programme_with_sourced_fee_rules(content):
    result = find(AnonymousUser(), Answers(nationality="SLV", destination="USA"))
    opened = {m.programme.slug: m for m in result.open}
    assert {"us-h2a", "us-h2b", "sv-migracion-laboral"} <= set(opened)
    assert "gt-ptte" not in opened and "hn-ptte" not in opened
    h2b = opened["us-h2b"]
    assert h2b.fee_rules and all(r["source_url"].startswith("http") and r["checked_on"] for r in h2b.fee_rules)
    # Canada and Mexico are not where the person wants to go: not listed at all.
    assert all(m.programme.destination_id == "USA" for m in result.open + result.closed)


def test_mexican_farm_worker_for_eight_months_gets_sawp_with_its_steps(content):
    result = find(AnonymousUser(), Answers(nationality="MEX", destination="CAN", sector="agriculture", months=8))
    opened = {m.programme.slug: m for m in result.open}
    assert {"ca-sawp", "mx-ptat", "ca-tfwp-agricultural"} <= set(opened)
    assert opened["ca-sawp"].procedures and opened["ca-sawp"].procedures[0].origin_id == "MEX"


def test_duration_longer_than_the_maximum_closes_a_programme_with_the_reason(content):
    result = find(AnonymousUser(), Answers(nationality="MEX", destination="CAN", months=20))
    closed = {m.programme.slug: m for m in result.closed}
    assert "ca-sawp" in closed and any("20" in r for r in closed["ca-sawp"].reasons)
    assert "ca-sawp" not in _slugs(result.open)


def test_sector_filter_matches_non_agricultural_work(content):
    result = find(AnonymousUser(), Answers(nationality="HND", destination="USA", sector="hospitality"))
    opened = _slugs(result.open)
    assert "us-h2b" in opened and "us-h2a" not in opened
    assert "us-h2a" in _slugs(result.closed)


def test_family_rule_closes_only_programmes_whose_verified_rule_forbids_it(content):
    with_family = find(AnonymousUser(), Answers(nationality="GTM", family=True))
    without = find(AnonymousUser(), Answers(nationality="GTM"))
    forbidding = {p.slug for p in Programme.objects.filter(family_accompany=False)
                  if p.citations.filter(field="family").exists()}
    assert _slugs(with_family.open) == _slugs(without.open) - forbidding
    for match in with_family.open:
        if getattr(match.programme, "family_accompany", None) is None:
            assert any("familia" in w for w in match.warnings), match.programme.slug


def test_haitian_is_offered_programmes_open_to_any_nationality(content):
    result = find(AnonymousUser(), Answers(nationality="HTI"))
    opened = _slugs(result.open)
    assert "ca-tfwp-agricultural" in opened
    assert not {"sv-migracion-laboral", "gt-ptte", "hn-ptte", "mx-ptat"} & opened


def test_drafts_are_never_offered(content):
    Programme.objects.filter(slug="us-h2b").update(state="draft")
    assert "us-h2b" not in _slugs(find(AnonymousUser(), Answers(nationality="SLV")).open)


def test_finder_page_without_javascript_and_bad_answers(client, content):
    page = client.get("/es/rights/finder/")
    assert page.status_code == 200 and b"<form method=\"get\"" in page.content
    answer = client.get("/es/rights/finder/", {"nationality": "SLV", "destination": "USA"})
    assert answer.status_code == 200
    assert "H-2B" in answer.content.decode()
    for bad in ({"nationality": "XXX"}, {"nationality": ""}, {"nationality": "SLV", "months": "-4"},
                {"nationality": "SLV", "months": "99999"}, {"nationality": "<script>alert(1)</script>"},
                {"nationality": "SLV", "sector": "spaceflight"}):
        response = client.get("/es/rights/finder/", bad)
        assert response.status_code == 200
        assert b'class="errorlist"' in response.content
        assert b"<script>alert(1)</script>" not in response.content


def test_finder_api_matches_the_page(client, content):
    response = client.get("/api/v1/rights/finder", {"nationality": "SLV", "destination": "USA"})
    assert response.status_code == 200
    body = response.json()
    assert {"us-h2a", "us-h2b", "sv-migracion-laboral"} <= {m["programme"] for m in body["open"]}
    assert client.get("/api/v1/rights/finder", {"nationality": "ZZZ"}).status_code == 422
    assert Country.objects.filter(iso3="HTI").exists()


def test_verified_no_family_rule_closes_the_programme_for_someone_bringing_family(content):
    from datetime import date

    from temporada.programmes.models import Citation, Source

    sawp = Programme.objects.get(slug="ca-sawp")
    Programme.objects.filter(pk=sawp.pk).update(family_accompany=False, family_es="Sin familia.",
                                                family_en="No family.", family_fr="Sans famille.")
    Citation.objects.create(programme=sawp, field="family", source=Source.objects.first(), checked_on=date.today())
    result = find(AnonymousUser(), Answers(nationality="MEX", destination="CAN", family=True))
    closed = {m.programme.slug: m for m in result.closed}
    assert "ca-sawp" in closed and any("familia" in r for r in closed["ca-sawp"].reasons)
    assert "ca-sawp" in _slugs(find(AnonymousUser(), Answers(nationality="MEX", destination="CAN")).open)
