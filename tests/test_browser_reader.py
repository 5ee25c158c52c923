"""A reader on a phone follows the TikTok guide: ticks steps off, starts over, reports a step
and votes, with htmx and with JavaScript turned off."""

import re

import pytest
from playwright.sync_api import expect

from guides.models import GuideConfirmation, GuideVote, StepCompletion, StepReport
from tests.factories import SEEDED_GUIDE_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

no_javascript = pytest.mark.browser_context_args(java_script_enabled=False)


@pytest.fixture
def guide_page(watched_page, live_server):
    watched_page.goto(f"{live_server.url}{SEEDED_GUIDE_URL['en']}")
    return watched_page


def step(page, number):
    return page.locator("ol.steps > li").nth(number - 1)


REPORT_LINK = "Not what you see in the app?"


def start_over(page):
    """Starting over asks first: open it, then confirm."""
    page.locator(".start-over summary").click()
    page.get_by_role("button", name="Yes, start over").click()


def keep_a_marker(page):
    """Something only this page load has: it disappears if the page reloads."""
    page.evaluate("window.sameDocument = true")


def is_same_document(page) -> bool:
    return page.evaluate("window.sameDocument === true")


def test_ticking_steps_off_updates_the_bar_without_reloading(guide_page):
    page = guide_page
    keep_a_marker(page)
    expect(page.locator("#progress-label")).to_have_text("0 of 7 steps done")
    step(page, 1).get_by_role("button", name="Mark as done").click()
    expect(step(page, 1)).to_have_class("step is-done")
    step(page, 2).get_by_role("button", name="Mark as done").click()
    expect(page.locator("#progress-label")).to_have_text("2 of 7 steps done")
    expect(page.locator("progress")).to_have_attribute("value", "2")
    expect(page.get_by_role("link", name="Continue at step 3")).to_be_visible()
    expect(page.locator("#announcer")).to_have_text("Step 2 marked as done.")
    assert is_same_document(page)

    page.reload()
    expect(page.locator("#progress-label")).to_have_text("2 of 7 steps done")
    expect(step(page, 2)).to_have_class("step is-done")

    keep_a_marker(page)
    step(page, 2).get_by_role("button", name="Mark as not done").click()
    expect(page.locator("#progress-label")).to_have_text("1 of 7 steps done")
    start_over(page)
    expect(page.locator("#progress-label")).to_have_text("0 of 7 steps done")
    expect(page.locator("li.step.is-done")).to_have_count(0)
    assert is_same_document(page)
    assert StepCompletion.objects.count() == 0


def test_progress_survives_closing_and_reopening_the_browser(guide_page, context, live_server):
    page = guide_page
    step(page, 1).get_by_role("button", name="Mark as done").click()
    expect(page.locator("#progress-label")).to_have_text("1 of 7 steps done")
    cookies = context.cookies()
    page.close()
    other = context.browser.new_context(viewport={"width": 360, "height": 780})
    other.add_cookies(cookies)
    reopened = other.new_page()
    reopened.goto(f"{live_server.url}{SEEDED_GUIDE_URL['en']}")
    expect(reopened.locator("#progress-label")).to_have_text("1 of 7 steps done")
    other.close()


def test_a_report_shows_errors_in_place_then_thanks(guide_page):
    page = guide_page
    keep_a_marker(page)
    third = step(page, 3)
    third.get_by_role("link", name=REPORT_LINK).click()
    form = third.locator("form.report-form")
    expect(form).to_be_visible()
    form.get_by_label("A label or button has another name").check()
    form.get_by_label("Android").check()
    form.get_by_role("button", name="Send report").click()
    expect(third.locator(".errorlist")).to_contain_text("This field is required.")
    assert StepReport.objects.count() == 0

    third.get_by_label("What do you see instead?").fill("The menu is called “Account” now.")
    third.get_by_role("button", name="Send report").click()
    expect(third.locator(".thanks")).to_contain_text("your report reached the editors")
    assert is_same_document(page)
    report = StepReport.objects.get()
    assert (report.step.position, report.problem, report.device, report.language) == (3, "renamed", "android", "en")


def test_the_report_form_can_be_cancelled(guide_page):
    page = guide_page
    opener = step(page, 1).get_by_role("link", name=REPORT_LINK)
    opener.click()
    step(page, 1).get_by_role("link", name="Cancel").click()
    expect(step(page, 1).locator("form.report-form")).to_have_count(0)
    expect(opener).to_be_focused()


def test_a_vote_is_thanked_in_place(guide_page):
    page = guide_page
    page.get_by_role("button", name="Yes", exact=True).click()
    expect(page.locator("#vote .thanks")).to_have_text("Thank you for your answer.")
    expect(page.locator("#vote textarea")).to_have_count(0)
    vote = GuideVote.objects.get()
    assert (vote.helpful, vote.reason) == (True, "")


def test_a_no_asks_what_could_be_better_then_keeps_the_answer(guide_page):
    page = guide_page
    expect(page.get_by_label("What could be better? (optional)")).to_have_count(0)  # Yes or No first
    page.get_by_role("button", name="No", exact=True).click()
    expect(page.locator("#vote .thanks")).to_be_focused()
    page.get_by_label("What could be better? (optional)").fill("Step 4 shows another menu.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#vote .thanks")).to_have_text("Thank you for your answer.")
    vote = GuideVote.objects.get()
    assert (vote.helpful, vote.reason) == (False, "Step 4 shows another menu.")


def test_a_keyboard_only_pass_through_one_step(guide_page):
    page = guide_page
    done_button = step(page, 1).get_by_role("button", name="Mark as done")
    button_id = done_button.get_attribute("id")
    done_button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#progress-label")).to_have_text("1 of 7 steps done")
    # Focus stays on the same control, which now offers the undo.
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("id", button_id)
    expect(focused).to_contain_text("Mark as not done")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_contain_text(REPORT_LINK)
    page.keyboard.press("Enter")
    # The form opened in place takes the focus on its first field.
    expect(step(page, 1).locator("form.report-form")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("name", "problem")


@no_javascript
def test_without_javascript_ticking_off_and_starting_over_still_work(guide_page):
    page = guide_page
    step(page, 1).get_by_role("button", name="Mark as done").click()
    step(page, 2).get_by_role("button", name="Mark as done").click()
    expect(page.locator("#progress-label")).to_have_text("2 of 7 steps done")
    assert page.url.endswith(f"#step-{StepCompletion.objects.order_by('created_at').last().step_id}")
    step(page, 2).get_by_role("button", name="Mark as not done").click()
    expect(page.locator("#progress-label")).to_have_text("1 of 7 steps done")
    start_over(page)
    expect(page.locator("#progress-label")).to_have_text("0 of 7 steps done")


@no_javascript
def test_without_javascript_a_report_uses_its_own_page(guide_page):
    page = guide_page
    step(page, 4).get_by_role("link", name=re.compile("^Not what you see")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a step")
    page.get_by_label("An option is missing").check()
    page.get_by_label("iPhone or iPad (iOS)").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".errorlist")).to_contain_text("This field is required.")
    page.get_by_label("What do you see instead?").fill("No “Create” button at the top right.")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#flash")).to_contain_text("your report reached the editors")
    expect(page.locator("ol.steps")).to_be_visible()
    assert StepReport.objects.get().device == "ios"


@no_javascript
def test_without_javascript_a_vote_still_counts(guide_page):
    page = guide_page
    page.get_by_role("button", name="No", exact=True).click()
    expect(page.locator("#vote")).to_contain_text("Thank you for telling us.")
    assert GuideVote.objects.get().helpful is False
    page.get_by_label("What could be better? (optional)").fill("Too long.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#vote .thanks")).to_contain_text("did not help")
    assert GuideVote.objects.get().reason == "Too long."


def finish_the_guide(page):
    for number in range(1, 8):
        step(page, number).get_by_role("button", name="Mark as done").click()
        expect(step(page, number)).to_have_class("step is-done")


def test_finishing_the_guide_asks_whether_it_worked(guide_page):
    page = guide_page
    expect(page.get_by_role("heading", name="All steps done: did it work?")).to_have_count(0)
    finish_the_guide(page)
    expect(page.get_by_role("heading", name="All steps done: did it work?")).to_be_visible()
    # Unticking a step takes the question away; ticking it again brings it back.
    step(page, 7).get_by_role("button", name="Mark as not done").click()
    expect(page.locator("#confirm")).to_be_hidden()
    step(page, 7).get_by_role("button", name="Mark as done").click()
    page.get_by_role("button", name="Yes, it worked").click()
    expect(page.locator("#confirm .thanks")).to_be_focused()
    page.get_by_label("App version (optional)").fill("36.1")
    page.locator("#confirm").get_by_label("Android").check()
    page.locator("#confirm").get_by_role("button", name="Send").click()
    expect(page.locator("#confirm .thanks")).to_have_text("You confirmed this guide. Thank you!")
    confirmation = GuideConfirmation.objects.get()
    assert (confirmation.worked, confirmation.app_version, confirmation.device) == (True, "36.1", "android")
    page.reload()
    expect(page.locator(".guide-facts")).to_contain_text("(app 36.1)")


@no_javascript
def test_without_javascript_finishing_the_guide_asks_whether_it_worked(guide_page):
    page = guide_page
    finish_the_guide(page)
    page.locator("#confirm").get_by_role("button", name="No", exact=True).click()
    expect(page.locator("#confirm")).to_contain_text("editors will check this guide")
    page.get_by_label("App version (optional)").fill("36.0")
    page.locator("#confirm").get_by_role("button", name="Send").click()
    expect(page.locator("#confirm .thanks")).to_have_text("You confirmed this guide. Thank you!")
    assert list(GuideConfirmation.objects.values_list("worked", "app_version")) == [(False, "36.0")]
