"""Spanish by default, English and French on request, and unknown languages never break a page."""

import pytest

pytestmark = pytest.mark.django_db
HOME_TITLE = {"es": "trabajo temporal legal y seguro", "en": "legal and safe temporary work",
              "fr": "travail temporaire légal et sûr"}


def test_spanish_by_default_whatever_the_browser_says(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.8")
    assert response.status_code == 302 and response["Location"] == "/es/"
    page = client.get("/es/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert HOME_TITLE["es"] in page and 'lang="es"' in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_language_switcher(client, lang):
    response = client.post("/i18n/setlang/", {"language": lang, "next": "/es/"})
    assert response.status_code == 302 and response["Location"] == f"/{lang}/"
    page = client.get(response["Location"]).content.decode()
    assert HOME_TITLE[lang] in page and f'lang="{lang}"' in page
    # the chosen language now wins on a bare visit
    assert client.get("/")["Location"] == f"/{lang}/"


@pytest.mark.parametrize("code", ["xx", "", "es-ES<script>", "e" * 300])
def test_unknown_language_code_in_switcher_stays_spanish(client, code):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/es/"})
    assert response.status_code < 500
    assert client.get("/").get("Location") == "/es/"
    assert HOME_TITLE["es"] in client.get("/es/").content.decode()


def test_forged_language_cookie_is_ignored(client):
    client.cookies["django_language"] = "xx"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/es/"


@pytest.mark.parametrize("path", ["/xx/", "/xx/accounts/login/", "/zz-ZZ/", "/de/"])
def test_unknown_language_prefix_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_pages_translate_with_prefix(client):
    assert "Sign in" in client.get("/en/accounts/login/").content.decode()
    assert "Se connecter" in client.get("/fr/accounts/login/").content.decode()


def test_api_lang_parameter(client, reference_countries):
    def name(lang=None):
        params = {"rcm_only": "true"} | ({"lang": lang} if lang else {})
        rows = client.get("/api/v1/core/countries", params).json()
        return next(r["name"] for r in rows if r["iso3"] == "USA")

    assert name() == "Estados Unidos" or name().startswith("Estados Unidos")
    assert name("en").startswith("United States")
    assert name("fr").startswith("États-Unis")
    assert name("xx") == name()  # unknown code: the default, no error


def test_translated_field_follows_active_language(reference_countries):
    from django.utils import translation

    from temporada.core.models import Country

    mexico = Country.objects.get(pk="MEX")
    for lang, expected in (("es", "México"), ("en", "Mexico"), ("fr", "Mexique")):
        with translation.override(lang):
            assert str(mexico) == expected
