import json

import pytest

from temporada.core.bootstrap import data_path
from temporada.programmes.bootstrap import load_catalogue
from temporada.programmes.facts import catalogue_fact_counts
from temporada.programmes.models import (
    Citation,
    InstrumentParty,
    LegalInstrument,
    ProcedureStep,
    Programme,
    ProgrammeVolume,
)

pytestmark = pytest.mark.django_db


def test_catalogue_has_the_required_volume_of_real_content(catalogue):
    assert Programme.objects.filter(state="published").count() >= 12
    assert LegalInstrument.objects.filter(state="published").count() >= 10
    modalities = set(LegalInstrument.objects.values_list("modality", flat=True))
    assert {"bilateral", "regional_free_mobility", "global", "national"} <= modalities


def test_every_filled_fact_has_a_source_url_and_checked_date(catalogue):
    counts = catalogue_fact_counts()
    assert counts["uncited"] == 0, [r for r in counts["records"] if r["uncited"]]
    assert counts["verified"] > 100 and counts["not_verified"] > 0  # gaps stay visible, never guessed
    for citation in Citation.objects.select_related("source"):
        assert citation.source.url and citation.checked_on
    for volume in ProgrammeVolume.objects.select_related("source"):
        assert volume.source.url and volume.checked_on
    for party in InstrumentParty.objects.all():
        assert party.source_id and party.checked_on, party
    for step in ProcedureStep.objects.all():
        assert step.source_id and step.checked_on, step


def test_descriptions_exist_in_three_languages(catalogue):
    for p in Programme.objects.all():
        assert p.name_es and p.name_en and p.name_fr
        assert p.description_es and p.description_en and p.description_fr, p.slug
    for i in LegalInstrument.objects.all():
        assert i.title_es and i.title_en and i.title_fr


def test_official_h2a_totals_and_lmia_sums(catalogue):
    h2a = Programme.objects.get(slug="us-h2a")
    values = dict(h2a.volumes.values_list("year", "value"))
    assert values[2016] == 165741 and values[2017] == 200049
    ag = dict(Programme.objects.get(slug="ca-tfwp-agricultural").volumes.values_list("year", "value"))
    assert ag[2017] == 57160 and ag[2023] == 96264  # per-year sums of the harmonised ESDC file


def test_loader_is_idempotent(catalogue):
    before = (Programme.objects.count(), Citation.objects.count(), InstrumentParty.objects.count(),
              ProcedureStep.objects.count())
    load_catalogue()
    after = (Programme.objects.count(), Citation.objects.count(), InstrumentParty.objects.count(),
             ProcedureStep.objects.count())
    assert before == after


def test_fixture_cites_only_declared_sources():
    content = json.loads(data_path("programmes", "catalogue.json").read_text(encoding="utf-8"))
    keys = set(content["sources"])
    for group in ("programmes", "instruments"):
        for item in content[group]:
            assert set(item.get("facts", {}).values()) <= keys, item["slug"]


def test_icmw_parties_have_signature_and_ratification_dates_from_the_treaty_collection(catalogue):
    icmw = LegalInstrument.objects.get(slug="un-icmw-1990")
    parties = {p.country_id: p for p in icmw.parties.select_related("source")}
    assert set(parties) == {"BLZ", "SLV", "GTM", "HND", "MEX", "NIC"}
    assert "CRI" not in parties and "USA" not in parties
    assert str(parties["MEX"].signature_date) == "1991-05-22" and str(parties["MEX"].ratification_date) == "1999-03-08"
    assert str(parties["GTM"].signature_date) == "2000-09-07" and str(parties["GTM"].ratification_date) == "2003-03-14"
    # Accessions have no signature: shown as such, never a guessed date.
    assert parties["HND"].signature_date is None and parties["HND"].ratification_kind == "accession"
    assert "treaties.un.org" in parties["GTM"].source.url


def test_year_only_ratifications_keep_only_the_year(catalogue):
    panama = LegalInstrument.objects.get(slug="ilo-c181").parties.get()
    assert panama.country_id == "PAN" and panama.ratification_year == 1999 and panama.ratification_date is None


def test_every_procedure_step_has_a_source_and_procedures_cover_several_origins(catalogue):
    from temporada.programmes.models import Procedure

    pairs = set(Procedure.objects.values_list("programme__slug", "origin_id"))
    assert {("us-h2a", "HND"), ("hn-ptte", "HND"), ("sv-migracion-laboral", "SLV"), ("cr-ni-binacional", "NIC")} <= pairs
    assert len({origin for _slug, origin in pairs}) >= 5
