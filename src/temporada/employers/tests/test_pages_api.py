"""Employer list, page, exports, merge/split pages and API; permission matrix for every role."""

import csv
import io

import pytest
from django.urls import reverse

from temporada.core.models import AuditEvent
from temporada.core.testing import PermissionMatrix, Probe, client_for, make_user
from temporada.demand.models import JobOrder
from temporada.employers.models import Employer
from temporada.employers.resolution import resolve_job_orders

from .factories import job_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def grower(countries):
    """One employer seen in two years, one of them with a repeated association member row."""
    job_order("Bluebird Orchards, LLC", address="45 Hill Rd", city="Wenatchee", state="WA", postal="98801", year=2015,
              certified=30, job_title="Apple pickers")
    job_order("BLUEBIRD ORCHARDS LLC", address="PO Box 9", city="Wenatchee", state="WA", postal="98801", year=2015,
              certified=30, is_primary=False, association_role="member", line=1)
    job_order("Bluebird Orchards LLC", address="45 Hill Road", city="Wenatchee", state="WA", postal="98801", year=2017,
              certified=12, programme="H-2A")
    job_order("Cascade Cherries Inc", city="Yakima", state="WA", postal="98901", year=2017, certified=5)
    resolve_job_orders(JobOrder.objects.all())
    return Employer.objects.get(normalized_name="BLUEBIRD ORCHARDS")


@pytest.fixture
def synthetic_employer(countries):
    job_order("Zeta Synthetic Farms", state="GA", postal="31794", synthetic=True, source="synthetic")
    resolve_job_orders(JobOrder.objects.filter(is_synthetic=True))
    return Employer.objects.get(is_synthetic=True)


def test_list_search_and_totals(client, grower):
    response = client.get(reverse("employers:list"), {"q": "bluebird orchards inc"})
    body = response.content.decode()
    assert response.status_code == 200 and "Bluebird Orchards" in body and "Cascade" not in body
    # Primary rows only: 30 + 12, the member row is not counted again.
    assert ">42<" in body
    assert client.get(reverse("employers:list"), {"subdivision": "US-XX"}).status_code == 200  # invalid: no 500
    assert client.get(reverse("employers:list"), {"format": "pdf"}).status_code == 400


def test_list_by_positions_largest_first(client, grower):
    response = client.get(reverse("employers:list"), {"order": "positions"})
    names = [e.name for e in response.context["page"].object_list]
    assert names == ["Bluebird Orchards LLC", "Cascade Cherries Inc"]  # 42 then 5 certified positions
    assert [e.totals["positions"] for e in response.context["page"].object_list] == [42, 5]


def test_list_csv_export(client, grower):
    response = client.get(reverse("employers:list"), {"country": "USA", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {r["name"] for r in rows} == {"Bluebird Orchards LLC", "Cascade Cherries Inc"}


def test_employer_page_shows_aliases_totals_and_both_counts(client, grower):
    response = client.get(reverse("employers:detail", args=[grower.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "BLUEBIRD ORCHARDS LLC" in body and "Mismo nombre y código postal" in body
    assert "Apple pickers" in body
    # 2015 certified: 30 on the primary row, 60 over every row: both shown.
    totals = {(t["programme"], t["fiscal_year"]): t for t in response.context["totals"]}
    assert totals[("H-2A", 2015)]["certified"] == 30 and totals[("H-2A", 2015)]["certified_all_rows"] == 60
    assert response.context["member_rows_differ"]
    assert response.context["chart"].csv_url.endswith("?format=csv")
    export = client.get(reverse("employers:detail", args=[grower.pk]), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3 and {r["fiscal_year"] for r in rows} == {"2015", "2017"}


def test_api_list_detail_and_job_orders(client, grower):
    data = client.get("/api/v1/employers/employers", {"q": "bluebird"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["job_orders"] == 2 and item["positions_certified"] == 42 and item["subdivision"] == "US-WA"
    detail = client.get(f"/api/v1/employers/employers/{grower.pk}").json()
    assert {a["resolution"] for a in detail["aliases"]} >= {"new", "same-name-postcode"}
    t2015 = next(t for t in detail["totals"] if t["fiscal_year"] == 2015)
    assert t2015["positions_certified"] == 30 and t2015["positions_certified_all_rows"] == 60
    jobs = client.get(f"/api/v1/employers/employers/{grower.pk}/job-orders", {"limit": 2}).json()
    assert jobs["count"] == 3 and len(jobs["items"]) == 2 and jobs["items"][0]["worksite_subdivision"] is None
    assert client.get("/api/v1/employers/employers", {"country": "ZZZ"}).status_code == 422
    assert client.get("/api/v1/employers/employers", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/employers/employers/999999").status_code == 404


def test_merge_pages_with_confirmation(grower):
    other = Employer.objects.get(normalized_name="CASCADE CHERRIES")
    official = make_user("destination_official", ["USA"])
    client = client_for(official)
    url = reverse("employers:merge", args=[grower.pk])
    page = client.get(url, {"q": "cascade"})
    assert page.status_code == 200 and f'value="{other.pk}"' in page.content.decode()
    preview = client.post(url, {"others": [other.pk], "note": "same owners"})
    assert preview.status_code == 200 and "Confirmar la fusión" in preview.content.decode()
    assert not Employer.objects.filter(merged_into=grower).exists()  # nothing happens before confirming
    done = client.post(url, {"others": [other.pk], "note": "same owners", "confirm": "True"})
    assert done.status_code == 302
    assert Employer.objects.get(pk=other.pk).merged_into_id == grower.pk
    # The merged employer's page now leads to the one it joined.
    assert client.get(reverse("employers:detail", args=[other.pk])).url == reverse("employers:detail", args=[grower.pk])
    # Bad ids are a form error, not a 500.
    assert client.post(url, {"others": ["abc", "999999"]}).status_code == 200


def test_split_pages_with_confirmation(grower):
    official = make_user("destination_official", ["USA"])
    client = client_for(official)
    alias = grower.aliases.filter(resolution="same-name-postcode").first()
    url = reverse("employers:split", args=[grower.pk])
    assert client.get(url).status_code == 200
    preview = client.post(url, {"aliases": [alias.pk]})
    assert preview.status_code == 200 and "Confirmar la separación" in preview.content.decode()
    done = client.post(url, {"aliases": [alias.pk], "confirm": "True", "name": "Bluebird (PO Box)"})
    assert done.status_code == 302
    new = Employer.objects.get(name="Bluebird (PO Box)")
    assert done.url == reverse("employers:detail", args=[new.pk])
    everything = list(grower.aliases.values_list("pk", flat=True))
    refused = client.post(url, {"aliases": everything, "confirm": "True"})
    assert refused.status_code == 200 and "Deje al menos un alias" in refused.content.decode()


def test_rename_page(grower):
    official = make_user("destination_official", ["USA"])
    response = client_for(official).post(reverse("employers:rename", args=[grower.pk]), {"name": "Bluebird Orchards"})
    assert response.status_code == 302
    assert Employer.objects.get(pk=grower.pk).name == "Bluebird Orchards"
    assert AuditEvent.objects.filter(type=AuditEvent.Type.EMPLOYER_CHANGED).count() == 1


VIEW_PROBES = [
    Probe("detail", lambda e: reverse("employers:detail", args=[e.pk])),
    Probe("api", lambda e: f"/api/v1/employers/employers/{e.pk}"),
    Probe("api_jobs", lambda e: f"/api/v1/employers/employers/{e.pk}/job-orders"),
    Probe("list", lambda e: reverse("employers:list") + "?q=" + e.name,
          marker=lambda e: f'href="{reverse("employers:detail", args=[e.pk])}"'),
    Probe("export", lambda e: reverse("employers:list") + "?format=json", marker=lambda e: e.name),
    Probe("api_list", lambda e: "/api/v1/employers/employers?limit=100", marker=lambda e: e.name),
]
CHANGE_PROBES = [
    Probe("merge", lambda e: reverse("employers:merge", args=[e.pk])),
    Probe("split", lambda e: reverse("employers:split", args=[e.pk])),
]
ROLES = [("public", ()), ("worker", ("MEX",)), ("employer", ("USA",)), ("origin_official", ("MEX",)),
         ("destination_official", ("USA",)), ("destination_official", ("CAN",)), ("consular", ("GTM",)),
         ("analyst", ()), ("admin", ())]


def test_real_employers_are_public(grower):
    PermissionMatrix(obj=grower, probes=VIEW_PROBES).check({key: True for key in ROLES})


def test_synthetic_employers_only_for_admins(synthetic_employer):
    PermissionMatrix(obj=synthetic_employer, probes=VIEW_PROBES).check(
        {key: key[0] == "admin" for key in ROLES})


def test_merge_and_split_pages_for_the_countrys_officials_and_admins(grower):
    PermissionMatrix(obj=grower, probes=CHANGE_PROBES).check(
        {key: key in (("destination_official", ("USA",)), ("admin", ())) for key in ROLES})


def test_forbidden_posts_change_nothing(grower):
    other = Employer.objects.get(normalized_name="CASCADE CHERRIES")
    alias = grower.aliases.first()
    for role, countries in ROLES:
        if (role, countries) in (("destination_official", ("USA",)), ("admin", ())):
            continue
        user = None if role == "public" else make_user(role, countries)
        client = client_for(user)
        merge = client.post(reverse("employers:merge", args=[grower.pk]), {"others": [other.pk], "confirm": "True"})
        split = client.post(reverse("employers:split", args=[grower.pk]), {"aliases": [alias.pk], "confirm": "True"})
        rename = client.post(reverse("employers:rename", args=[grower.pk]), {"name": "Hacked"})
        for response in (merge, split, rename):
            assert response.status_code in (302, 404), (role, response.status_code)
            if user is not None:
                assert response.status_code == 404
    assert not Employer.objects.filter(merged_into__isnull=False).exists()
    assert Employer.objects.get(pk=grower.pk).name != "Hacked"
    assert Employer.objects.count() == 2
