"""Explorer pages: search, browse, crosswalk links both ways with their method, hostile input."""

import re

import pytest
from django.urls import reverse

from temporada.occupations.models import EscoOccupation


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _results(response):
    return response.content.decode().split('<div id="occ-results">')[1].split("</section>")[0]


def test_explorer_browses_the_isco_major_groups(client, occupations):
    response = client.get("/es/occupations/")
    assert response.status_code == 200
    body = response.content.decode()
    for code in "0123456789":
        assert f'href="/es/occupations/isco/{code}/"' in body
    assert 'href="/es/occupations/soc/45-0000/"' in body and 'href="/es/occupations/noc/2021/8/"' in body
    assert reverse("occupations:explorer") == "/es/occupations/"


def test_search_results_link_to_their_pages(client, occupations):
    response = client.get("/es/occupations/", {"q": "agricola"})
    body = response.content.decode()
    assert 'href="/es/occupations/isco/9211/"' in body and "Peones de explotaciones agrícolas" in body
    assert re.search(r"\d+ resultados", _text(response))


def test_search_in_french_on_the_french_site(client, occupations):
    response = client.get("/fr/occupations/", {"q": "manoeuvres agriculture"})
    assert "Manœuvres de l’agriculture" in response.content.decode()


def test_pagination_survives_odd_page_numbers(client, occupations):
    first = client.get("/es/occupations/", {"q": "farm"})
    assert 'rel="next"' in first.content.decode()
    assert _results(client.get("/es/occupations/", {"q": "farm", "page": "abc"})) == _results(first)
    last = client.get("/es/occupations/", {"q": "farm", "page": "99999"})
    assert last.status_code == 200 and 'rel="next"' not in last.content.decode()


@pytest.mark.parametrize("params", [
    {"q": "a" * 300}, {"q": "\x00"}, {"q": "%' OR 1=1 --"}, {"q": "<script>alert(1)</script>"},
    {"q": "ñ" * 90}, {"q": "a b c d e f g h i j"}, {"kind": "nope"}, {"q": "farm", "kind": "x" * 50},
    {"q": "farm", "page": "-1"}, {"q": "farm", "page": "1e9"}, {"q": ["a", "b"]},
])
def test_hostile_search_input_gets_a_page_not_a_500(client, occupations, params):
    response = client.get("/es/occupations/", params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_too_long_query_says_why(client, occupations):
    response = client.get("/es/occupations/", {"q": "a" * 300})
    assert "demasiado larga" in _text(response) and 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("path", [
    "/es/occupations/isco/x/", "/es/occupations/isco/99999/", "/es/occupations/isco/9999/",
    "/es/occupations/esco/not-a-uuid/", "/es/occupations/esco/00000000-0000-0000-0000-000000000000/",
    "/es/occupations/soc/452092/", "/es/occupations/soc/99-9999/", "/es/occupations/soc2010/xx-xxxx/",
    "/es/occupations/noc/2019/85101/", "/es/occupations/noc/2021/999999/", "/es/occupations/noc/2011/%00/",
])
def test_unknown_or_malformed_codes_are_404(client, occupations, path):
    assert client.get(path).status_code == 404


def test_isco_unit_page_shows_links_from_every_system_with_their_method(client, occupations):
    response = client.get("/es/occupations/isco/9211/")
    body, text = response.content.decode(), _text(response)
    assert "Crop farm labourers" in text and "Manœuvres de l’agriculture" in text
    assert 'href="/es/occupations/soc/45-2092/"' in body  # SOC 2018, derived
    assert 'href="/es/occupations/soc2010/45-2092/"' in body  # SOC 2010, official
    assert 'href="/es/occupations/noc/2021/85101/"' in body  # NOC, manual
    assert "Derivada a través de SOC 2010 (no oficial)" in text
    assert "Tabla de correspondencia oficial SOC 2010→ISCO-08" in text
    assert "Asignación manual razonada (no oficial)" in text
    occupation = EscoOccupation.objects.filter(isco_id="9211").first()
    assert occupation.get_absolute_url() in body


def test_soc_page_links_back_to_isco_and_names_the_onet_codes(client, occupations):
    response = client.get("/es/occupations/soc/45-2092/")
    body, text = response.content.decode(), _text(response)
    assert 'href="/es/occupations/isco/9211/"' in body and "no oficial" in text
    assert "45-2092.02" in text and "O*NET" in text
    assert 'href="/es/occupations/soc/45-2090/"' in body  # the broad group above it


def test_soc_code_without_isco_says_so(client, occupations):
    text = _text(client.get("/es/occupations/soc/29-2055/"))
    assert "no da ningún grupo CIUO-08" in text


def test_noc_page_is_honest_about_languages_and_methods(client, occupations):
    response = client.get("/es/occupations/noc/2021/85101/")
    body, text = response.content.decode(), _text(response)
    assert "Harvesting labourers" in text
    assert "No está en los datos" in text and "No existe versión oficial en español" in text
    assert 'href="/es/occupations/isco/9211/"' in body and "Asignación manual razonada" in text
    assert 'lang="en"' in body
    title_match = _text(client.get("/es/occupations/noc/2021/00010/"))
    assert "Coincidencia de títulos" in title_match and "similitud" in title_match


def test_noc_hierarchy_pages(client, occupations):
    body = client.get("/es/occupations/noc/2021/8510/").content.decode()
    assert 'href="/es/occupations/noc/2021/85101/"' in body and 'href="/es/occupations/noc/2021/851/"' in body
    assert client.get("/es/occupations/noc/2011/8431/").status_code == 200


def test_esco_page_lists_alternative_labels_per_language(client, occupations):
    occupation = EscoOccupation.objects.exclude(alt_labels_fr="").filter(isco_id="9211").first()
    response = client.get(occupation.get_absolute_url())
    body = response.content.decode()
    assert '<ul lang="fr">' in body and occupation.alt_labels("fr")[0] in body
    assert 'href="/es/occupations/isco/9211/"' in body


def test_soc2010_page(client, occupations):
    body = client.get("/es/occupations/soc2010/45-2092/").content.decode()
    assert 'href="/es/occupations/isco/9211/"' in body and 'href="/es/occupations/soc/45-2092/"' in body


def test_pages_follow_the_language(client, occupations):
    assert "Crop farm labourers" in _text(client.get("/en/occupations/isco/9211/")).split("English")[0]
    assert "<h1>" in client.get("/fr/occupations/isco/9211/").content.decode()
    assert "Manœuvres de l’agriculture" in client.get("/fr/occupations/isco/9211/").content.decode().split("<dl")[0]


def test_crosswalk_page_reads_messy_codes(client, occupations):
    response = client.get("/es/occupations/crosswalk/", {"system": "SOC2018", "code": " 452092.0"})
    body = response.content.decode()
    assert 'href="/es/occupations/soc/45-2092/"' in body and 'href="/es/occupations/isco/9211/"' in body
    assert "derived via SOC 2010 (not official)" in body


@pytest.mark.parametrize("params, message", [
    ({"system": "NOC2021", "code": "99999"}, "no figura en los datos"),
    ({"system": "SOC2018", "code": "abc"}, "no tiene la forma"),
    ({"system": "NOC2021", "code": "8510"}, "los grupos amplios no tienen enlaces"),
])
def test_crosswalk_page_explains_empty_answers(client, occupations, params, message):
    assert message in _text(client.get("/es/occupations/crosswalk/", params))


def test_crosswalk_page_rejects_unknown_systems(client, occupations):
    response = client.get("/es/occupations/crosswalk/", {"system": "CNO", "code": "1"})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()


def test_search_page_query_count_is_bounded(client, occupations, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/es/occupations/", {"q": "farm"})


def test_admin_browses_the_classifications_read_only(occupations):
    from temporada.core.testing import client_for, make_user

    admin_client = client_for(make_user("admin"))
    listing = admin_client.get("/es/admin/occupations/iscogroup/", {"q": "9211"})
    assert listing.status_code == 200 and "9211" in listing.content.decode()
    assert admin_client.get("/es/admin/occupations/crosswalklink/").status_code == 200
    assert admin_client.get("/es/admin/occupations/iscogroup/add/").status_code == 403
