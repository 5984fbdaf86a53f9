"""Browser tests: Playwright for Python driving Debian's Chromium against ``live_server``.

The browser cannot be downloaded on our machines, so it is launched from
/usr/bin/chromium (``make system-deps`` installs it). A missing browser fails
the run: CI must not pass without its browser tests. Every page a test visits
through ``visit`` is checked with axe-core (vendored in static/vendor) and must
have no serious or critical accessibility violation; any console error (a CSP
violation, a failed script) fails the test too.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def e2e_settings(settings):
    # The live server speaks plain HTTP on 127.0.0.1: cookies cannot be Secure-only there.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    settings.DEBUG = False
    return settings


@pytest.fixture
def page(browser, live_server, e2e_settings):
    # bypass_csp lets the test inject axe-core; the app's own scripts still obey the policy,
    # and console errors (including CSP reports) fail the test below.
    context = browser.new_context(locale="id-ID", bypass_csp=True, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors  # a test that opens an error page on purpose clears it
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


def check_accessibility(page):
    """Run axe-core on the current page; fail on serious or critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in v["nodes"][:5]
        )
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"accessibility violations on {page.url}: {serious}"


@pytest.fixture
def visit(page):
    """``visit(path)`` opens a page of the live server and checks its accessibility."""

    def _visit(path):
        response = page.goto(path)
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        check_accessibility(page)
        return response

    return _visit
