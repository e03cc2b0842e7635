"""Who sees a worker profile: every role against page, edit, reveal, export and API (forbidden = 404)."""

import pytest
from django.urls import reverse

from temporada.core.testing import PermissionMatrix, Probe, client_for, make_user

pytestmark = pytest.mark.django_db

ROLES = {
    ("origin_official", ("GTM",)): True,       # own nationals
    ("origin_official", ("HND",)): False,      # another country's official gets nothing
    ("origin_official", ()): False,
    ("destination_official", ("USA",)): False,  # meets candidates only pseudonymously, in matching
    ("consular", ("GTM",)): False,             # protection cases live in another module
    ("analyst", ("GTM",)): False,              # aggregates only
    ("employer", ("USA",)): False,
    ("worker", ("GTM",)): False,               # someone else's profile
    ("admin", ()): True,
    ("public", ()): False,
}


def marker(worker):
    return worker.family_names


@pytest.fixture
def profile(make_worker):
    return make_worker(family_names="Xoquic Tzunun", national_id="2567812340101")


def test_profile_matrix_by_id_export_and_api(profile):
    PermissionMatrix(obj=profile, probes=[
        Probe("detail", lambda o: reverse("supply:detail", args=[o.pk]), marker=marker),
        Probe("edit", lambda o: reverse("supply:edit", args=[o.pk]), marker=marker),
        Probe("export", lambda o: reverse("supply:list") + "?format=json", marker=marker),
        Probe("list", lambda o: reverse("supply:list"), marker=marker),
        Probe("api-list", lambda o: "/api/v1/supply/workers", marker=marker),
        Probe("api-detail", lambda o: f"/api/v1/supply/workers/{o.pk}", marker=marker),
    ]).check(ROLES)


def test_reveal_matrix(profile):
    PermissionMatrix(obj=profile, probes=[
        Probe("reveal", lambda o: reverse("supply:reveal", args=[o.pk]), method="post",
              marker=lambda o: "2567812340101"),
    ]).check({key: allowed for key, allowed in ROLES.items() if key[0] != "public"})


def test_write_endpoints_answer_404_outside_scope(profile):
    hn = client_for(make_user("origin_official", ["HND"]))
    for name in ("verify", "inactive", "consent"):
        assert hn.post(reverse(f"supply:{name}", args=[profile.pk]), {"purpose": "registry"}).status_code == 404
    assert hn.post(reverse("supply:edit", args=[profile.pk]), {}).status_code == 404
    profile.refresh_from_db()
    assert profile.has_registry_consent and profile.status == "verified"


def test_worker_sees_and_edits_only_their_own_profile(profile, make_worker):
    from temporada.supply.models import Worker

    account = make_user("worker", ["GTM"])
    own = make_worker(family_names="Propia")
    Worker.objects.filter(pk=own.pk).update(account=account)
    client = client_for(account)
    assert client.get(reverse("supply:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("supply:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("supply:detail", args=[profile.pk])).status_code == 404
    assert client.get(reverse("supply:list")).status_code == 302  # to their own profile
    assert client.get(reverse("supply:create")).status_code == 404
    assert client.post(reverse("supply:reveal", args=[own.pk])).status_code == 404
    api = client.get("/api/v1/supply/workers").json()
    assert [item["id"] for item in api["items"]] == [own.pk]


def test_registry_pages_are_hidden_from_roles_without_a_registry(origins):
    for role, countries in [("destination_official", ["USA"]), ("consular", ["GTM"]), ("analyst", ["GTM"]),
                            ("employer", ["USA"])]:
        client = client_for(make_user(role, countries))
        for name in ("create", "upload", "queue"):
            assert client.get(reverse(f"supply:{name}")).status_code == 404, (role, name)
        listing = client.get(reverse("supply:list"))
        if role == "employer":
            assert listing.status_code == 404
        else:  # officials and analysts reach it from the menu: an explanation, no profile
            assert listing.status_code == 200 and "supply/no_registry.html" in [t.name for t in listing.templates]


def test_upload_reports_are_scoped(gt_official, hn_official):
    from temporada.supply.importers.workers import upload_workers

    result = upload_workers(actor=gt_official, country="GTM", file_name="x.csv", content=b"", mode="all")
    assert client_for(gt_official).get(reverse("supply:upload_report", args=[result.pk])).status_code == 200
    assert client_for(hn_official).get(reverse("supply:upload_report", args=[result.pk])).status_code == 404


def test_statistics_pages_and_api_by_role(origins):
    allowed = [("origin_official", ["GTM"]), ("destination_official", ["USA"]), ("consular", ["MEX"]),
               ("analyst", ["GTM"]), ("admin", [])]
    denied = [("worker", ["GTM"]), ("employer", ["USA"])]
    for role, countries in allowed + denied:
        client = client_for(make_user(role, countries))
        expected = 200 if (role, countries) in allowed else 404
        for url in (reverse("supply:gap"), reverse("supply:indicators"), "/api/v1/supply/gap",
                    "/api/v1/supply/indicators"):
            assert client.get(url).status_code == expected, (role, url)
    from django.test import Client

    assert Client().get("/api/v1/supply/gap").status_code == 404
    assert Client().get(reverse("supply:gap")).status_code == 302  # sign in first


def test_analyst_cannot_switch_synthetic_on(origins):
    from .test_stats import worker

    for _ in range(6):
        worker(synthetic=True)
    analyst = client_for(make_user("analyst", ["GTM"]))
    body = analyst.get("/api/v1/supply/indicators", {"include_synthetic": True, "start": "2027-03"}).json()
    assert body["synthetic_included"] is False
    assert all(row["workers"] in (0, None) for row in body["month"])
    official = client_for(make_user("origin_official", ["GTM"]))
    body = official.get("/api/v1/supply/indicators", {"include_synthetic": True, "start": "2027-03"}).json()
    assert body["synthetic_included"] is True and body["month"][0]["workers"] == 6
