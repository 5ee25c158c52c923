"""A reader searches from a phone: results while typing without a page load, the address kept
in step for the back button and sharing, the count announced; the same results without
JavaScript; all of it from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import SEEDED_GUIDE_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

no_javascript = pytest.mark.browser_context_args(java_script_enabled=False)


def result_titles(page) -> list[str]:
    return page.locator(".search-result h2").all_inner_texts()


def test_results_follow_the_typing_without_a_page_load(watched_page, live_server):
    page = watched_page
    page.goto(f"{live_server.url}/en/search/")
    page.evaluate("window.sameDocument = true")
    box = page.get_by_label("What do you want to do?")
    expect(box).to_be_focused()

    page.keyboard.type("unlink acount", delay=30)  # a typo, typed quickly: only the last search counts
    # Under load a pause in the typing outlasts the delay: results for "unlink acou" come first.
    expect(page).to_have_url(re.compile(r"/en/search/\?q=unlink(\+|%20)acount$"))
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator("#announcer")).to_have_text("1 guide found")
    expect(page.locator(".search-result mark").first).to_have_text("Unlink")
    assert page.evaluate("window.sameDocument === true")

    box.fill("")
    page.keyboard.type("pinterest")
    expect(page.locator("#announcer")).to_have_text("No guide matches “pinterest”.")
    expect(page.locator(".search-result")).to_have_count(0)

    box.fill("tiktok business")
    expect(page.locator(".search-result")).to_have_count(1)
    page.locator(".search-result a").first.click()
    expect(page).to_have_url(f"{live_server.url}{SEEDED_GUIDE_URL['en']}")
    page.go_back()
    expect(page.get_by_label("What do you want to do?")).to_have_value("tiktok business")
    expect(page.locator(".search-result")).to_have_count(1)


def test_the_header_box_and_the_keyboard_reach_the_results(watched_page, live_server):
    page = watched_page
    page.goto(f"{live_server.url}/fr/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox", name="Rechercher dans les guides")).to_be_focused()
    page.keyboard.type("parametres")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/search/\?q=parametres$"))
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result mark").first).to_have_text(re.compile("^paramètres$", re.IGNORECASE))
    # htmx takes the form over once the page has loaded: under load, an Enter pressed before
    # that submits it the plain way, which announces nothing.
    page.wait_for_load_state("load")
    page.wait_for_function("window.htmx !== undefined")

    box = page.get_by_label("Que voulez-vous faire ?")
    box.focus()
    box.fill("")
    page.keyboard.type("dissociation")
    page.keyboard.press("Enter")
    expect(page.locator("#announcer")).to_have_text("1 guide trouvé")
    expect(page.locator(".search-result h2")).to_have_text("Dissocier un compte TikTok de TikTok for Business")


@no_javascript
def test_without_javascript_the_form_gives_the_same_results(watched_page, live_server):
    page = watched_page
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("searchbox", name="Search the guides").fill("unlinking account")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/en/search/\?q=unlinking\+account$"))
    expect(page.locator(".search-count")).to_have_text("1 guide found")
    assert result_titles(page) == ["Unlink a TikTok account from TikTok for Business"]

    page.get_by_label("What do you want to do?").fill("personal")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/en/search/\?q=personal$"))
    expect(page.locator(".search-result")).to_have_count(1)
