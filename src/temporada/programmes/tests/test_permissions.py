import pytest
from django.urls import reverse

from temporada.core.models import AuditEvent
from temporada.core.testing import PermissionMatrix, Probe, client_for, make_user
from temporada.programmes.forms import InstrumentEditForm, ProgrammeEditForm
from temporada.programmes.models import Procedure, Programme, Revision
from temporada.programmes.tests.conftest import post_data

pytestmark = pytest.mark.django_db

PROBES = [
    Probe("detail", lambda o: reverse("programmes:detail", args=[o.slug])),
    Probe("api", lambda o: f"/api/v1/programmes/programmes/{o.slug}"),
    Probe("list", lambda o: reverse("programmes:list"), marker=lambda o: f'value="{o.slug}"'),
    Probe("export", lambda o: reverse("programmes:list") + "?format=json", marker=lambda o: f'"{o.slug}"'),
    Probe("api_list", lambda o: "/api/v1/programmes/programmes?limit=100", marker=lambda o: f'"{o.slug}"'),
]


def test_draft_programme_is_seen_only_by_its_editors_and_reviewers(draft_programme):
    matrix = PermissionMatrix(obj=draft_programme, probes=PROBES)
    matrix.check({
        ("public", ()): False,
        ("worker", ("HND",)): False,
        ("employer", ("USA",)): False,
        ("origin_official", ("HND",)): False,
        ("destination_official", ("USA",)): True,   # editor of its own country's programmes
        ("destination_official", ("CAN",)): False,
        ("consular", ("MEX",)): False,
        ("analyst", ()): False,
        ("admin", ()): True,
    })


def test_content_reviewer_sees_drafts(draft_programme):
    reviewer = make_user("analyst", is_content_reviewer=True)
    assert client_for(reviewer).get(reverse("programmes:detail", args=["us-h2a"])).status_code == 200


def test_published_programme_is_public_for_every_role(catalogue):
    programme = Programme.objects.get(slug="ca-sawp")
    PermissionMatrix(obj=programme, probes=PROBES).check({
        (role, countries): True for role, countries in [
            ("public", ()), ("worker", ("MEX",)), ("employer", ("CAN",)), ("origin_official", ("MEX",)),
            ("destination_official", ("USA",)), ("consular", ("GTM",)), ("analyst", ()), ("admin", ())]
    })


def test_editor_drafts_and_reviewer_publishes_with_history(catalogue):
    editor = make_user("destination_official", ("USA",))
    client = client_for(editor)
    url = reverse("programmes:edit", args=["us-h2b"])
    assert client.get(url).status_code == 200
    programme = Programme.objects.get(slug="us-h2b")
    data = post_data(ProgrammeEditForm(instance=programme))
    data["meals_es"] = "Texto de prueba del editor"
    response = client.post(url, data)
    assert response.status_code == 200 and "source_url" in response.context["form"].errors  # a new fact needs its source
    data.update(source_url="https://www.dol.gov/agencies/whd/fact-sheets/78-h2b-overview", checked_on="2026-11-20")
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    programme.refresh_from_db()
    assert programme.meals_es == "Texto de prueba del editor"
    assert programme.state == "draft"  # the edit waits for a reviewer
    revision = Revision.objects.filter(object_id=str(programme.pk), action="changed").get()
    assert revision.previous["meals_es"] == "" and revision.changed_by == editor
    citation = programme.citations.get(field="meals")
    assert citation.source.url.endswith("78-h2b-overview") and str(citation.checked_on) == "2026-11-20"
    assert revision.new["citations"] == {"meals": citation.source.url}
    assert AuditEvent.objects.filter(type="programme.changed", object_id=str(programme.pk)).exists()
    # The public no longer sees it; the editor cannot publish.
    assert client_for(None).get(reverse("programmes:detail", args=["us-h2b"])).status_code == 404
    publish_url = reverse("programmes:publish", args=["programme", "us-h2b"])
    assert client.post(publish_url).status_code == 404
    reviewer = make_user("analyst", is_content_reviewer=True)
    assert client_for(reviewer).post(publish_url).status_code == 302
    programme.refresh_from_db()
    assert programme.state == "published"
    assert AuditEvent.objects.filter(type="programme.published", object_id=str(programme.pk)).exists()
    assert client_for(None).get(reverse("programmes:detail", args=["us-h2b"])).status_code == 200


def test_other_countries_cannot_edit(catalogue):
    url = reverse("programmes:edit", args=["us-h2b"])
    assert client_for(make_user("destination_official", ("CAN",))).get(url).status_code == 404
    assert client_for(make_user("origin_official", ("HND",))).get(url).status_code == 404
    assert client_for(make_user("worker", ("USA",))).get(url).status_code == 404
    response = client_for(None).get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_origin_officials_edit_their_country_procedures(catalogue):
    procedure = Procedure.objects.get(programme__slug="gt-ptte", origin_id="GTM")
    assert Procedure.objects.restrict(make_user("origin_official", ("GTM",)), "change").filter(pk=procedure.pk).exists()
    assert not Procedure.objects.restrict(make_user("origin_official", ("HND",)), "change").filter(pk=procedure.pk).exists()
    assert not Procedure.objects.restrict(None, "change").exists()


def test_procedure_of_a_draft_programme_is_hidden(draft_programme):
    response = client_for(None).get("/api/v1/programmes/procedures?programme=us-h2a")
    assert response.json()["count"] == 0
    editor = make_user("destination_official", ("USA",))
    assert client_for(editor).get("/api/v1/programmes/procedures?programme=us-h2a").json()["count"] == 1


def test_origin_official_edits_procedure_of_own_country_only(catalogue):
    procedure = Procedure.objects.get(programme__slug="gt-ptte", origin_id="GTM")
    url = reverse("programmes:record_edit", args=["procedure", procedure.pk])
    assert client_for(make_user("origin_official", ("HND",))).get(url).status_code == 404
    official = make_user("origin_official", ("GTM",))
    response = client_for(official).post(url, {"summary_es": "Resumen nuevo", "summary_en": "New summary",
                                               "summary_fr": "Nouveau résumé"})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.summary_es == "Resumen nuevo" and procedure.state == "draft"
    assert Revision.objects.filter(object_type="programmes.procedure", object_id=str(procedure.pk)).exists()
    assert client_for(official).get(reverse("programmes:record_edit", args=["procedure", "abc"])).status_code == 404


def test_party_officials_edit_instruments_and_audit_is_recorded(catalogue):
    from temporada.programmes.models import LegalInstrument

    url = reverse("programmes:record_edit", args=["instrument", "ca4-2006"])
    assert client_for(make_user("destination_official", ("USA",))).get(url).status_code == 404
    official = make_user("origin_official", ("SLV",))
    instrument = LegalInstrument.objects.get(slug="ca4-2006")
    data = post_data(InstrumentEditForm(instance=instrument))
    data["summary_fr"] = "Résumé modifié"
    assert client_for(official).post(url, data).status_code == 302
    assert AuditEvent.objects.filter(type="instrument.changed", object_id=str(instrument.pk)).exists()
    assert client_for(None).get(reverse("programmes:instrument_detail", args=["ca4-2006"])).status_code == 404
    assert client_for(None).get(reverse("programmes:record_edit", args=["nothing", "x"])).status_code == 302
