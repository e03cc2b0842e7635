import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def slugs(response):
    return [p.slug for p in response.context["programmes"]]


def test_programmes_open_to_a_honduran_farm_worker(catalogue):
    response = Client().get(reverse("programmes:list"), {"origin": "HND", "sector": "agriculture"})
    assert response.status_code == 200
    found = slugs(response)
    assert {"us-h2a", "hn-ptte", "ca-tfwp-agricultural"} <= set(found)
    assert "ca-sawp" not in found  # SAWP only takes Mexico and the Caribbean
    assert "us-h2b" not in found  # not agriculture


def test_facets_destination_duration_modality_status_occupation(catalogue):
    client = Client()
    assert set(slugs(client.get(reverse("programmes:list"), {"destination": "CRI"}))) == {"cr-ni-binacional"}
    short = slugs(client.get(reverse("programmes:list"), {"duration": "short"}))
    assert "ca-sawp" not in short
    medium = slugs(client.get(reverse("programmes:list"), {"duration": "medium"}))
    assert "ca-sawp" in medium and "us-h2a" not in medium
    bilateral = slugs(client.get(reverse("programmes:list"), {"modality": "bilateral"}))
    assert "ca-sawp" in bilateral and "us-h2a" not in bilateral
    assert slugs(client.get(reverse("programmes:list"), {"status": "ended"})) == []
    assert "us-h2a" in slugs(client.get(reverse("programmes:list"), {"occupation": "9211"}))
    # Origin-side programmes are found from their other destinations too.
    assert "gt-ptte" in slugs(client.get(reverse("programmes:list"), {"destination": "CAN", "origin": "GTM"}))


def test_impossible_and_invalid_filters_give_a_friendly_page(catalogue):
    client = Client()
    response = client.get(reverse("programmes:list"), {"origin": "HND", "destination": "HND"})
    assert response.status_code == 200 and slugs(response) == []
    assert response.context["impossible"]
    for bad in ({"origin": "XXX"}, {"occupation": "<script>"}, {"duration": "forever"}, {"sector": "1' OR 1=1"}):
        response = client.get(reverse("programmes:list"), bad)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert client.get(reverse("programmes:list"), {"format": "pdf"}).status_code == 400


@pytest.mark.parametrize("chosen,expected", [([], "message"), (["us-h2a"], "message"),
                                             (["us-h2a", "ca-sawp"], 2),
                                             (["us-h2a", "ca-sawp", "us-h2b", "mx-ptat"], 4),
                                             (["us-h2a", "ca-sawp", "us-h2b", "mx-ptat", "gt-ptte"], "message")])
def test_compare_counts(catalogue, chosen, expected):
    response = Client().get(reverse("programmes:compare"), {"p": chosen})
    assert response.status_code == 200
    if expected == "message":
        assert response.context["message"]
        assert "programmes" not in response.context
    else:
        assert [p.slug for p in response.context["programmes"]] == chosen
        # Same attributes for every programme, row by row.
        assert all(len(cells) == expected for _label, cells in response.context["matrix"])


def test_compare_h2a_with_sawp_shows_sources_and_gaps(catalogue):
    response = Client().get(reverse("programmes:compare"), {"p": ["us-h2a", "ca-sawp"]})
    body = response.content.decode()
    assert "canada.ca" in body or "consulmex.sre.gob.mx" in body
    assert "No verificado" in body  # e.g. H-2A wage rule: left empty, shown as not verified


def test_compare_unknown_or_draft_ids_are_404(catalogue, draft_programme):
    client = Client()
    assert client.get(reverse("programmes:compare"), {"p": ["us-h2b", "does-not-exist"]}).status_code == 404
    assert client.get(reverse("programmes:compare"), {"p": ["us-h2b", "us-h2a"]}).status_code == 404


def test_pages_render(catalogue):
    client = Client()
    for name, args in [("programmes:detail", ["us-h2a"]), ("programmes:instruments", []),
                       ("programmes:instrument_detail", ["ilo-c189"]), ("programmes:timeline", []),
                       ("programmes:procedures", []), ("programmes:practices", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    body = client.get(reverse("programmes:instrument_detail", args=["ilo-c189"])).content.decode()
    assert "parties-map" in body and "2014-01-20" in body
    assert client.get(reverse("programmes:instrument_detail", args=["nope"])).status_code == 404


def test_programmes_a_country_takes_part_in(catalogue):
    from temporada.programmes.queries import programmes_for_country

    mexico = programmes_for_country(None, "MEX")
    assert {p.slug for p in mexico["destination"]} >= {"mx-tvtf", "gt-ptte"}
    assert {p.slug for p in mexico["origin"]} >= {"ca-sawp", "mx-ptat", "us-h2a"}
    assert "ca-tfwp-agricultural" in {p.slug for p in mexico["open_to_all"]}
