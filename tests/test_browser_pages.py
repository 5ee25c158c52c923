"""The public pages in a phone-sized Chromium: everything is served locally and nothing errors."""

import pytest
from playwright.sync_api import expect

from tests.factories import SEEDED_GUIDE_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_reader_goes_from_home_to_the_guide_in_french(watched_page, live_server):
    page = watched_page
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/fr/")
    page.get_by_role("link", name="Dissocier un compte TikTok de TikTok for Business").click()
    expect(page).to_have_url(f"{live_server.url}{SEEDED_GUIDE_URL['fr']}")
    expect(page.locator("ol.steps > li")).to_have_count(7)
    expect(page.get_by_role("heading", name="Avant de commencer")).to_be_visible()


def test_the_language_switcher_opens_the_same_guide_in_english(watched_page, live_server):
    page = watched_page
    page.goto(f"{live_server.url}{SEEDED_GUIDE_URL['fr']}")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}{SEEDED_GUIDE_URL['en']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unlink a TikTok account from TikTok for Business")


def test_the_guide_fits_a_360_pixel_screen(watched_page, live_server):
    page = watched_page
    page.goto(f"{live_server.url}{SEEDED_GUIDE_URL['en']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Our own stylesheet is applied: step numbers sit in circles.
    radius = page.locator(".step-number").first.evaluate("el => getComputedStyle(el).borderTopLeftRadius")
    assert radius not in ("", "0px")
