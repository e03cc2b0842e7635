"""Portal pages in three languages, sources on every statement, leaflets, help directory, the officials'
statistics page (permission matrix) and the content loader."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from temporada.core.testing import PermissionMatrix, Probe, client_for, make_user
from temporada.programmes.models import Programme
from temporada.rights.bootstrap import ContentError, load_content
from temporada.rights.models import HelpContact, PageVisit, Statement, VerificationCount
from temporada.rights.services import record_verification

pytestmark = pytest.mark.django_db


def _topic_sections(html):
    return re.findall(r'<section aria-labelledby="t-(\w+)" class="topic">(.*?)</section>', html, re.S)


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_every_programme_page_links_each_statement_to_its_source(client, content, lang):
    for programme in Programme.objects.filter(state="published"):
        response = client.get(f"/{lang}/rights/{programme.slug}/")
        assert response.status_code == 200, programme.slug
        html = response.content.decode()
        assert f'lang="{lang}"' in html
        for topic, body in _topic_sections(html):
            items = re.findall(r"<li>(.*?)</li>", body, re.S)
            if not items:
                assert "badge-unverified" in body, (programme.slug, topic)
            for item in items:
                assert 'href="http' in item and re.search(r"\d{4}-\d{2}-\d{2}", item), (programme.slug, topic, item)


def test_statements_are_translated_and_shown_in_the_visitors_language(client, content):
    statement = Statement.objects.get(slug="us-h2a-housing")
    assert all(getattr(statement, f"text_{lang}") for lang in ("es", "en", "fr"))
    for lang in ("es", "en", "fr"):
        html = client.get(f"/{lang}/rights/us-h2a/").content.decode()
        assert getattr(statement, f"text_{lang}").split(",")[0].replace("'", "&#x27;") in html


def test_draft_statements_and_programmes_stay_hidden(client, content):
    Statement.objects.filter(slug="us-h2a-housing").update(state="draft")
    html = client.get("/es/rights/us-h2a/").content.decode()
    assert Statement.objects.get(slug="us-h2a-housing").text_es not in html
    Programme.objects.filter(slug="us-h2b").update(state="draft")
    assert client.get("/es/rights/us-h2b/").status_code == 404
    assert client.get("/es/rights/leaflets/us-h2b.pdf").status_code == 404
    assert client.get("/es/rights/no-such-programme/").status_code == 404


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_leaflets_are_a5_pdfs_in_each_language(client, content, lang):
    response = client.get(f"/{lang}/rights/leaflets/us-h2b.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(f'temporada-us-h2b-{lang}.pdf"')
    assert response.content.startswith(b"%PDF") and len(response.content) > 10_000


def test_leaflet_pages_are_a5(rf, content):
    from django.contrib.auth.models import AnonymousUser
    from weasyprint import HTML

    from temporada.rights.leaflet import render_leaflet_html

    request = rf.get("/es/rights/leaflets/us-h2a.pdf")
    request.user = AnonymousUser()
    document = HTML(string=render_leaflet_html(request, Programme.objects.get(slug="us-h2a"))).render()
    # A5 portrait: 148 x 210 mm, in CSS pixels (96 per inch).
    page = document.pages[0]
    assert abs(page.width - 148 / 25.4 * 96) < 1 and abs(page.height - 210 / 25.4 * 96) < 1
    assert 1 <= len(document.pages) <= 6


def test_leaflet_html_carries_the_same_sourced_content(rf, content):
    from django.contrib.auth.models import AnonymousUser

    from temporada.rights.leaflet import render_leaflet_html

    request = rf.get("/es/rights/leaflets/ca-sawp.pdf")
    request.user = AnonymousUser()
    html = render_leaflet_html(request, Programme.objects.get(slug="ca-sawp"))
    statement = Statement.objects.get(slug="ca-passport")
    assert statement.text_es in html and statement.source.url in html
    assert "1-866-602-9448" in html


def test_help_directory_filters_and_sources(client, content):
    html = client.get("/es/rights/help/", {"nationality": "SLV"}).content.decode()
    assert "Silver Spring" in html and "Guatemala en Atlanta" not in html
    assert "1-866-487-9243" in html  # open to anyone, so listed for Salvadorans too
    for contact in HelpContact.objects.all():
        assert contact.source.url and contact.checked_on
    everything = client.get("/es/rights/help/", {"nationality": "<x>", "destination": "'"})
    assert everything.status_code == 200
    assert client.get("/es/rights/help/").content.decode().count("<tr>") >= HelpContact.objects.count()


def test_help_contacts_api(client, content):
    rows = client.get("/api/v1/rights/contacts", {"nationality": "GTM", "destination": "USA"}).json()
    assert rows and all(r["nationality"] in ("GTM", None) and r["destination"] == "USA" for r in rows)
    statements = client.get("/api/v1/rights/statements", {"programme": "us-h2b"}).json()
    assert statements and all(s["source_url"].startswith("http") for s in statements)
    assert client.get("/api/v1/rights/statements", {"programme": "nope"}).json() == []


def test_visits_are_counted_per_page_and_day_only(client, content):
    client.get("/es/rights/")
    client.get("/en/rights/")
    client.get("/es/rights/finder/")
    client.get("/es/rights/nothing-here/")  # 404: not counted
    assert PageVisit.objects.get(page="home", day=date.today()).count == 2
    assert PageVisit.objects.get(page="finder").count == 1
    assert not PageVisit.objects.filter(page="programme").exists()


def test_statistics_page_is_for_destination_officials_analysts_and_admins(content):
    record_verification(outcome="not_found", programme="H-2B", subdivision="US-TX", failed_checks=["fee", "exists"])
    row = VerificationCount.objects.get()
    matrix = PermissionMatrix(obj=row, probes=[
        Probe("stats", lambda o: reverse("rights:stats"), marker=lambda o: "US-TX"),
    ])
    matrix.check({
        ("public", ()): False,
        ("worker", ("SLV",)): False,
        ("employer", ("USA",)): False,
        ("origin_official", ("SLV",)): False,
        ("consular", ("SLV",)): False,
        ("destination_official", ("USA",)): True,
        ("analyst", ("USA",)): True,
        ("admin", ("USA",)): True,
    })
    analyst = client_for(make_user("analyst", ["USA"]))
    html = analyst.get("/es/rights/stats/").content.decode()
    assert "Cobro prohibido" in html and "Orden inexistente" in html


def test_counter_rows_are_never_readable_by_the_public(content):
    from django.contrib.auth.models import AnonymousUser

    record_verification(outcome="consistent", programme="H-2A", subdivision="US-GA", failed_checks=[])
    assert VerificationCount.objects.restrict(AnonymousUser()).count() == 0
    assert VerificationCount.objects.restrict(make_user("worker", ["GTM"])).count() == 0
    assert VerificationCount.objects.restrict(make_user("analyst", ["USA"])).count() == 1
    assert VerificationCount.objects.restrict(make_user("admin", ["USA"]), "change").count() == 0


def test_content_loader_is_idempotent_and_rejects_unsourced_entries(content, tmp_path):
    before = (Statement.objects.count(), HelpContact.objects.count())
    load_content()
    assert (Statement.objects.count(), HelpContact.objects.count()) == before
    from temporada.rights.bootstrap import CONTENT

    broken = json.loads(CONTENT.read_text(encoding="utf-8"))
    broken["statements"][0]["source"] = "no-such-source"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ContentError):
        load_content(path=path)
    broken["statements"][0]["source"] = "whd_h2a"
    broken["statements"][0]["text"]["fr"] = ""
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ContentError):
        load_content(path=path)


def test_every_source_of_the_content_file_is_used_and_dated(content):
    from temporada.rights.bootstrap import CONTENT

    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    used = {s["source"] for s in data["statements"]} | {c["source"] for c in data["contacts"]}
    assert used == set(data["sources"])
    date.fromisoformat(data["checked_on"])


def test_leaflet_is_cached_until_the_content_changes(client, content):
    first = client.get("/es/rights/leaflets/ca-sawp.pdf").content
    assert client.get("/es/rights/leaflets/ca-sawp.pdf").content == first
    assert client.get("/en/rights/leaflets/ca-sawp.pdf").content != first  # another language, another PDF
    statement = Statement.objects.get(slug="ca-passport")
    statement.text_es = statement.text_es + " (revisado)"
    statement.save()
    assert client.get("/es/rights/leaflets/ca-sawp.pdf").content != first
