"""Browser walk of the foundation: home, language switch, sign-in with second factor, accessibility."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_is_spanish_accessible_and_local(page, live_url, axe_violations):
    page.goto(f"{live_url}/")
    assert page.url.endswith("/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Temporada" in page.locator("h1").inner_text()
    assert axe_violations(page) == []


def test_language_switch_to_french_and_english(page, live_url):
    page.goto(f"{live_url}/es/")
    page.select_option("#lang-select", "fr")
    page.click(".lang-form button")
    page.wait_for_url("**/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Se connecter" in page.content() or "Connexion" in page.content()
    page.select_option("#lang-select", "en")
    page.click(".lang-form button")
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_sign_in_page_accessible(page, live_url, axe_violations):
    page.goto(f"{live_url}/es/accounts/login/")
    assert page.locator("#id_username").is_visible()
    assert axe_violations(page) == []


def test_official_signs_in_with_second_factor(page, live_url, login):
    from temporada.core.testing import make_user

    user = make_user("origin_official", ["GTM"])
    login(page, user)
    assert "/two-factor/" not in page.url
    page.goto(f"{live_url}/es/accounts/me/")
    assert user.username in page.content()
    assert "Guatemala" in page.content()


def test_wrong_password_is_refused(page, live_url):
    from temporada.core.testing import make_user

    user = make_user("worker", ["GTM"])
    page.goto(f"{live_url}/es/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "not-the-password-at-all")
    page.click("main form button[type=submit]")
    assert page.locator("[role=alert]").count() == 1
    assert "/accounts/login/" in page.url


def test_api_docs_are_served_offline(page, live_url):
    page.goto(f"{live_url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui", timeout=15_000)
    assert page.locator(".swagger-ui").count() >= 1
