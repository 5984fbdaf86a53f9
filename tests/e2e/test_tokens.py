"""The "Token API" page in Chromium: create a token and see it once, use it from a script,
revoke it; a password change revokes the rest. At 360 px and 1280 px, checked with axe."""

import re

import httpx
import pytest

from offices.seed import load_office
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "kata-sandi-baru-2026"


@pytest.fixture
def person(transactional_db):
    load_office("3324")
    return UserFactory(email="skrip@example.com", full_name="Sari Skrip")


def _log_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/account/profile/$"))


def _me(live_server, raw):
    return httpx.get(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {raw}"}, timeout=20
    )


def _fits(page):
    """Nothing sticks out sideways (a wide table scrolls inside its own box)."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && !e.closest('.table-scroll'))
            .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
            .slice(0, 8)"""
    )
    assert wide == [], wide
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _create(page, name, *, full=False, days=None):
    page.get_by_label("Nama", exact=True).fill(name)
    if full:
        page.get_by_label("Penuh (baca dan ubah)").check()
    if days is not None:
        page.get_by_label("Berlaku selama (hari)").fill(str(days))
    page.get_by_role("button", name="Buat token").click()
    page.wait_for_load_state()
    return page.get_by_label("Token", exact=True).input_value()


@pytest.mark.parametrize("width", [360, 1280])
def test_create_see_once_use_and_revoke(page, visit, person, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, person.email)
    page.get_by_role("link", name="Token API").click()
    page.wait_for_url(re.compile(r"/account/tokens/$"))
    check_accessibility(page)
    assert page.get_by_text("Anda belum memiliki token API.").is_visible()

    raw = _create(page, "Aplikasi loket", full=True, days=30)

    assert raw.startswith("pst_")
    assert page.get_by_text("Salin sekarang").is_visible()
    check_accessibility(page)
    assert _fits(page)
    row = page.get_by_role("row").filter(has_text="Aplikasi loket")
    assert "Penuh (baca dan ubah)" in row.inner_text() and "belum pernah" in row.inner_text()
    me = _me(live_server, raw)
    assert (me.status_code, me.json()["token_scope"]) == (200, "full")

    # Shown once: the page opened again lists the token, not its value, and its last use.
    visit("/account/tokens/")
    assert raw not in page.content()
    assert page.get_by_label("Token", exact=True).count() == 0
    assert "dari 127.0.0.1" in row.inner_text()
    assert _fits(page)

    row.get_by_role("link", name="Cabut").click()
    page.wait_for_url(re.compile(r"/account/tokens/\d+/revoke/$"))
    check_accessibility(page)
    page.get_by_role("button", name="Cabut token").click()
    page.wait_for_url(re.compile(r"/account/tokens/$"))

    assert page.get_by_role("status").filter(has_text="telah dicabut").is_visible()
    assert "dicabut" in page.get_by_role("row").filter(has_text="Aplikasi loket").inner_text()
    assert _me(live_server, raw).status_code == 401
    check_accessibility(page)


def test_a_password_change_revokes_every_token(page, visit, person, live_server):
    _log_in(page, person.email)
    visit("/account/tokens/")
    first = _create(page, "Laporan bulanan")
    second = _create(page, "Skrip kiosk", full=True)
    assert [_me(live_server, raw).status_code for raw in (first, second)] == [200, 200]

    visit("/accounts/password/change/")
    page.get_by_label("Kata sandi saat ini").fill(PASSWORD)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Kata sandi baru (lagi)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Ubah Kata Sandi").click()
    page.wait_for_load_state()

    assert [_me(live_server, raw).status_code for raw in (first, second)] == [401, 401]
    visit("/account/tokens/")
    assert page.get_by_text("dicabut", exact=True).count() == 2
    assert page.get_by_role("link", name="Cabut semua token").count() == 0


def test_revoke_all_asks_first(page, visit, person, live_server):
    _log_in(page, person.email)
    visit("/account/tokens/")
    raws = [_create(page, f"Token {n}") for n in range(2)]

    page.get_by_role("link", name="Cabut semua token").click()
    page.wait_for_url(re.compile(r"/revoke-all/$"))
    check_accessibility(page)
    assert page.get_by_text("2 token aktif Anda").is_visible()
    page.get_by_role("link", name="Batal").click()
    page.wait_for_url(re.compile(r"/account/tokens/$"))
    assert [_me(live_server, raw).status_code for raw in raws] == [200, 200]

    page.get_by_role("link", name="Cabut semua token").click()
    page.get_by_role("button", name="Cabut semua token").click()
    page.wait_for_url(re.compile(r"/account/tokens/$"))

    assert [_me(live_server, raw).status_code for raw in raws] == [401, 401]
    assert page.get_by_role("status").filter(has_text="2 token telah dicabut.").is_visible()
