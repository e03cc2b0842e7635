"""Browser end-to-end fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

Fixtures
- ``page``: a Playwright page (1280×800, Spanish) whose every request is recorded; the test fails at
  teardown if any request left the live server's origin (no CDN, fonts, trackers, tiles…).
- ``mobile_page``: same, 360×740 phone viewport. ``nojs_page``: same with JavaScript disabled.
- ``live_url``: base URL of the live server.
- ``axe_violations(page)``: serious/critical axe-core violations on the current page (vendored axe-core).
- ``login(page, user)``: signs ``user`` in through the real form (second factor included).
- ``transferred_bytes(page)``: bytes transferred for everything the page loaded so far.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("TEMPORADA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-domain-reliability", "--no-pings", "--disable-features=Translate,OptimizationHints,MediaRouter",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("TEMPORADA_REQUIRE_E2E"):
        raise pytest.UsageError(f"Browser tests required but Chromium not found at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def live_url(live_server):
    return live_server.url


class _Recorder:
    def __init__(self, origin: str):
        self.origin = origin
        self.requests = []
        self.foreign: list[str] = []

    def on_request(self, request):
        self.requests.append(request)
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(url)


def _make_page(browser, live_url, **context_args):
    context_args.setdefault("locale", "es-ES")
    context_args.setdefault("bypass_csp", True)  # only so the vendored axe-core can be injected inline
    context = browser.new_context(**context_args)
    context.set_default_timeout(15_000)
    page = context.new_page()
    recorder = _Recorder(urlsplit(live_url).scheme + "://" + urlsplit(live_url).netloc)
    page.on("request", recorder.on_request)
    page._temporada_recorder = recorder
    return context, page, recorder


@pytest.fixture
def page(browser, live_url):
    context, page, recorder = _make_page(browser, live_url, viewport={"width": 1280, "height": 800})
    yield page
    context.close()
    assert not recorder.foreign, f"requests left the page's origin: {recorder.foreign}"


@pytest.fixture
def mobile_page(browser, live_url):
    context, page, recorder = _make_page(
        browser, live_url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield page
    context.close()
    assert not recorder.foreign, f"requests left the page's origin: {recorder.foreign}"


@pytest.fixture
def nojs_page(browser, live_url):
    context, page, recorder = _make_page(browser, live_url, viewport={"width": 360, "height": 740}, java_script_enabled=False)
    yield page
    context.close()
    assert not recorder.foreign, f"requests left the page's origin: {recorder.foreign}"


def _axe_violations(page, impacts=("serious", "critical")):
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def axe_violations():
    return _axe_violations


def _transferred_bytes(page) -> int:
    total = 0
    for request in page._temporada_recorder.requests:
        try:
            sizes = request.sizes()
        except Exception:  # noqa: S112 - request still in flight or failed: count nothing
            continue
        total += max(sizes.get("responseBodySize", 0), 0) + max(sizes.get("responseHeadersSize", 0), 0)
    return total


@pytest.fixture
def transferred_bytes():
    return _transferred_bytes


@pytest.fixture
def login(live_url):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from temporada.core.testing import TEST_PASSWORD

    def _login(page, user, password: str = TEST_PASSWORD):
        device = None
        if user.needs_two_factor:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="e2e", confirmed=True
            )
        page.goto(f"{live_url}/es/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if device is not None:
            assert "/two-factor/" in page.url, page.url
            code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
            page.fill("#id_token", code)
            with page.expect_navigation():
                page.click("main form button[type=submit]")
            assert "/two-factor/" not in page.url, "second factor refused"
        return page

    return _login
