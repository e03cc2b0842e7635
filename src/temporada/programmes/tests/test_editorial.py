"""Editorial workflow for every record type: officials draft (by role and country), reviewers publish,
every change keeps its history and its sources, the public sees published records only."""

import pytest
from django.test import Client
from django.urls import reverse

from temporada.core.models import AuditEvent
from temporada.core.testing import PermissionMatrix, Probe, client_for, make_user
from temporada.programmes.models import LegalInstrument, Procedure, Programme, Revision

pytestmark = pytest.mark.django_db

REVIEWER = {"is_content_reviewer": True}
SOURCE = "https://www.example.gov/official-page"


def create_programme(client, **overrides):
    data = {"slug": "us-test-channel", "name_es": "Canal de prueba", "name_en": "Test channel", "name_fr": "Canal test",
            "acronym_es": "CP", "acronym_en": "TC", "acronym_fr": "CT", "destination": "USA", "modality": "national",
            "editor_country": ""}
    data.update(overrides)
    return client.post(reverse("programmes:create", args=["programme"]), data)


def test_destination_official_drafts_a_programme_the_public_cannot_see(catalogue):
    official = make_user("destination_official", ("USA",))
    assert create_programme(client_for(make_user("destination_official", ("CAN",)))).status_code == 200
    assert not Programme.objects.filter(slug="us-test-channel").exists()
    response = create_programme(client_for(official))
    assert response.status_code == 302
    programme = Programme.objects.get(slug="us-test-channel")
    assert programme.state == "draft"
    assert Revision.objects.filter(object_id=str(programme.pk), action="created").exists()
    assert AuditEvent.objects.filter(type="record.created", object_id=str(programme.pk)).exists()
    hidden = [reverse("programmes:detail", args=[programme.slug]), f"/api/v1/programmes/programmes/{programme.slug}"]
    for url in hidden:
        assert Client().get(url).status_code == 404
    assert "us-test-channel" not in Client().get(reverse("programmes:list") + "?format=json").content.decode()
    assert client_for(official).get(hidden[0]).status_code == 200
    # Same slug twice, or a reserved word, is refused with a message.
    assert create_programme(client_for(official)).context["form"].errors["slug"]
    assert create_programme(client_for(official), slug="compare").context["form"].errors["slug"]
    # Workers and the public cannot reach the form at all.
    assert client_for(make_user("worker", ("HND",))).get(reverse("programmes:create", args=["programme"])).status_code == 404
    assert client_for(official).get(reverse("programmes:create", args=["nothing"])).status_code == 404


def test_instrument_creation_needs_a_party_country_of_the_official_and_a_source(catalogue):
    url = reverse("programmes:create", args=["instrument"])
    data = {"slug": "gt-mx-test", "short_name": "GT–MX", "title_es": "Acuerdo", "title_en": "Agreement",
            "title_fr": "Accord", "kind": "bilateral", "modality": "bilateral", "party_countries": ["GTM", "MEX"],
            "source_url": "", "checked_on": ""}
    official = client_for(make_user("origin_official", ("GTM",)))
    assert "source_url" in official.post(url, data).context["form"].errors
    response = client_for(make_user("origin_official", ("HND",))).post(url, {**data, "source_url": SOURCE})
    assert response.status_code == 200 and not LegalInstrument.objects.filter(slug="gt-mx-test").exists()
    assert official.post(url, {**data, "source_url": SOURCE, "checked_on": "2999-01-01"}).status_code == 200
    assert official.post(url, {**data, "source_url": SOURCE}).status_code == 302
    instrument = LegalInstrument.objects.get(slug="gt-mx-test")
    assert instrument.state == "draft" and set(instrument.parties.values_list("country_id", flat=True)) == {"GTM", "MEX"}
    assert set(instrument.citations.values_list("field", flat=True)) == {"kind", "modality", "parties"}
    assert Client().get(reverse("programmes:instrument_detail", args=["gt-mx-test"])).status_code == 404


def test_party_dates_are_edited_with_their_source_and_validated(catalogue):
    instrument = LegalInstrument.objects.get(slug="ca4-2006")
    url = reverse("programmes:instrument_parties", args=["ca4-2006"])
    official = client_for(make_user("origin_official", ("HND",)))
    assert client_for(make_user("origin_official", ("MEX",))).get(url).status_code == 404

    def form(rows):
        data = {"form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": 0, "form-MIN_NUM_FORMS": 0,
                "form-MAX_NUM_FORMS": 1000}
        for n, row in enumerate(rows):
            data.update({f"form-{n}-{k}": v for k, v in row.items()})
        return data

    base = {"country": "GTM", "signature_date": "2006-07-11", "ratification_date": "", "ratification_year": "",
            "ratification_kind": "", "source_url": SOURCE, "checked_on": ""}
    backwards = {**base, "ratification_date": "2005-01-01"}
    assert official.post(url, form([backwards])).status_code == 200  # ratified before signing: refused
    assert official.post(url, form([base, base])).status_code == 200  # same country twice: refused
    assert instrument.parties.count() == 4
    rows = [base] + [{**base, "country": c, "signature_date": ""} for c in ("SLV", "HND", "NIC")]
    assert official.post(url, form(rows)).status_code == 302
    instrument.refresh_from_db()
    assert instrument.state == "draft"
    assert str(instrument.parties.get(country_id="GTM").signature_date) == "2006-07-11"
    revision = Revision.objects.filter(object_type="programmes.legalinstrument", object_id=str(instrument.pk)).first()
    assert revision.previous["parties"][0]["signature_date"] is None
    assert {p["country"] for p in revision.new["parties"]} == {"GTM", "SLV", "HND", "NIC"}


def test_origin_official_documents_a_procedure_with_sourced_steps(catalogue):
    official = make_user("origin_official", ("GTM",))
    client = client_for(official)
    h2a = Programme.objects.get(slug="us-h2a")
    response = client.post(reverse("programmes:create", args=["procedure"]),
                           {"programme": h2a.pk, "origin": "HND", "summary_es": "x"})
    assert response.status_code == 200 and not Procedure.objects.filter(programme=h2a, origin_id="GTM").exists()
    response = client.post(reverse("programmes:create", args=["procedure"]),
                           {"programme": h2a.pk, "origin": "GTM", "summary_es": "Ruta guatemalteca"})
    assert response.status_code == 302
    procedure = Procedure.objects.get(programme=h2a, origin_id="GTM")
    assert procedure.state == "draft"
    url = reverse("programmes:procedure_steps", args=[procedure.pk])
    step = {"form-0-title_es": "Registro", "form-0-fees_es": "Gratuito", "form-0-fee_payer": "none",
            "form-0-source_url": "", "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 0, "form-MIN_NUM_FORMS": 0,
            "form-MAX_NUM_FORMS": 1000}
    assert client.post(url, step).status_code == 200  # a step without its source is refused
    step["form-0-source_url"] = SOURCE
    step["form-0-title_es"] = "<b>Registro</b>"
    assert client.post(url, step).status_code == 302
    saved = procedure.steps.get()
    assert saved.title_es == "<b>Registro</b>" and saved.source.url == SOURCE and saved.fee_payer == "none"
    public = Client().get(reverse("programmes:detail", args=["us-h2a"])).content.decode()
    assert "Ruta guatemalteca" not in public  # draft
    reviewer = client_for(make_user("analyst", **REVIEWER))
    body = reviewer.get(reverse("programmes:detail", args=["us-h2a"])).content.decode()
    assert "&lt;b&gt;Registro&lt;/b&gt;" in body and "<b>Registro</b>" not in body
    assert reviewer.post(reverse("programmes:procedure_publish", args=[procedure.pk])).status_code == 302
    assert "Ruta guatemalteca" in Client().get(reverse("programmes:detail", args=["us-h2a"])).content.decode()


def test_emptying_a_fact_removes_its_citation_and_shows_not_verified(catalogue):
    from temporada.programmes.services import update_record

    programme = Programme.objects.get(slug="us-h2a")
    reviewer = make_user("analyst", **REVIEWER)
    update_record(actor=reviewer, obj=programme, changes={"meals_es": "", "meals_en": "", "meals_fr": ""})
    assert not programme.citations.filter(field="meals").exists()
    assert programme.state == "published"  # reviewers' edits stay published
    cells = {r["field"]: r for r in Client().get(reverse("programmes:detail", args=["us-h2a"])).context["rows"]}
    assert cells["meals"]["value"] == "" and not cells["meals"]["verified"]
    # The eligible-country list is a fact too: changing it needs a source.
    with pytest.raises(Exception, match="source_url"):
        update_record(actor=reviewer, obj=programme, changes={"eligible_origins": ["HND"]})
    update_record(actor=reviewer, obj=programme, changes={"eligible_origins": ["HND", "GTM"]}, source_url=SOURCE)
    assert set(programme.eligible_origins.values_list("iso3", flat=True)) == {"HND", "GTM"}
    assert programme.citations.get(field="eligible_origins").source.url == SOURCE


HISTORY_PROBE = [Probe("history", lambda o: reverse("programmes:history", args=[o[0], o[1]]))]


@pytest.mark.parametrize("kind", ["programme", "instrument", "procedure"])
def test_history_pages_are_for_editors_and_reviewers_only(catalogue, kind):
    if kind == "programme":
        key, editor = "us-h2b", ("destination_official", ("USA",))
    elif kind == "instrument":
        key, editor = "ca4-2006", ("origin_official", ("SLV",))
    else:
        key, editor = str(Procedure.objects.get(programme__slug="gt-ptte", origin_id="GTM").pk), ("origin_official", ("GTM",))
    PermissionMatrix(obj=(kind, key), probes=HISTORY_PROBE).check({
        ("public", ()): False, ("worker", ("GTM",)): False, ("employer", ("USA",)): False,
        ("origin_official", ("BLZ",)): False, ("analyst", ()): False, ("consular", ("GTM",)): False,
        editor: True, ("admin", ()): True,
    })
    assert client_for(make_user("admin")).get(reverse("programmes:history", args=[kind, "nope-999"])).status_code == 404


def test_practice_history_for_its_country_and_reviewers(catalogue):
    from temporada.programmes.services import submit_best_practice

    official = make_user("origin_official", ("GTM",))
    practice = submit_best_practice(actor=official, country_id="GTM", topic="documentation", language="es",
                                    title="Ventanilla", text="Texto")
    url = reverse("programmes:history", args=["practice", practice.pk])
    assert client_for(official).get(url).status_code == 200
    assert client_for(make_user("origin_official", ("HND",))).get(url).status_code == 404
    assert client_for(make_user("analyst", **REVIEWER)).get(url).status_code == 200
