"""History and the funnel in a real browser: compare two versions from the history page, restore
the older one, and read where readers get stuck, with no request leaving the machine."""

import re

import pytest
from playwright.sync_api import expect

from tests.test_browser_admin import seeded_guide, signed_in  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900}, locale="en-GB"),
]


def save_english_title(page, title: str) -> None:
    page.fill("#id_title_en", title)
    with page.expect_navigation():  # the message of this save, not the one before's
        page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_an_editor_compares_two_versions_and_restores_the_older_one(signed_in, live_server):  # noqa: F811
    page = signed_in
    guide = seeded_guide()
    original = guide.title_en
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    save_english_title(page, original)
    save_english_title(page, f"{original} (rewritten)")

    page.locator("a.historylink").click()
    page.get_by_role("button", name="Compare").click()

    expect(page.locator("td.diff ins")).to_have_text("(rewritten)")
    expect(page.get_by_role("rowheader", name="Title [en]")).to_be_visible()

    page.get_by_role("link", name="History").click()
    page.locator("#change-history tbody tr").first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/history/\d+/$"))
    # The restore page puts the version back in a transaction it then undoes: slower than most.
    expect(page.locator("input[name=_save]")).to_be_visible(timeout=60_000)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    guide.refresh_from_db()
    assert guide.title_en == original
    assert list(guide.steps.values_list("position", flat=True).order_by("position")) == [1, 2, 3, 4, 5, 6, 7]


def test_the_funnel_is_reached_from_the_guide_and_drawn_without_scripts(signed_in, live_server):  # noqa: F811
    page = signed_in
    guide = seeded_guide()
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")

    page.get_by_role("link", name="Where readers get stuck").click()

    expect(page.locator("table.funnel tbody tr")).to_have_count(7)
    expect(page.locator(".funnel-bar.done").first).to_be_attached()


def test_two_editors_on_one_guide_merge_instead_of_losing_work(
    signed_in,  # noqa: F811
    live_server,
    browser,
    browser_context_args,
    django_user_model,
):
    guide = seeded_guide()
    url = f"{live_server.url}/admin/guides/guide/{guide.pk}/change/"
    django_user_model.objects.create_superuser("alice", "alice@example.org", "alice-long-password-9")
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}
    )
    other = context.new_page()
    other.goto(f"{live_server.url}/admin/login/")
    other.fill("#id_username", "alice")
    other.fill("#id_password", "alice-long-password-9")
    other.click("input[type=submit]")

    mine = signed_in
    mine.goto(url)
    other.goto(url)
    other.fill("#id_title_en", "Alice's title")
    other.locator("input[name=_continue]").click()
    expect(other.locator(".messagelist .success")).to_be_visible()

    mine.fill("#id_summary_en", "My summary.")
    mine.locator("input[name=_continue]").click()

    expect(mine.locator("#edit-conflict")).to_contain_text("Saved by alice after you opened this page")
    expect(mine.locator("#id_title_en")).to_have_value("Alice's title")
    expect(mine.locator("#id_summary_en")).to_have_value("My summary.")
    mine.locator("input[name=_continue]").click()
    expect(mine.locator(".messagelist .success")).to_be_visible()
    guide.refresh_from_db()
    assert (guide.title_en, guide.summary_en) == ("Alice's title", "My summary.")
    context.close()
