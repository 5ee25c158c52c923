"""A reader on a phone follows a guide whose steps differ between Android and iPhone: chooses a
device, keeps it, ticks steps off whatever the device, reports from a variant, with JavaScript on
and off; the page passes axe's WCAG 2 A and AA rules in light and dark schemes."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from guides.models import Device, Screenshot, StepCompletion, StepReport, StepVariant
from tests.factories import guide_url, make_guide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

no_javascript = pytest.mark.browser_context_args(java_script_enabled=False)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
)


def png(colour: str, size=(1080, 2340)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return SimpleUploadedFile(f"{colour}.png", out.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def varied_guide(platform, media):
    guide = make_guide(platform, steps=3, title_en="Switch to a personal account")
    first = guide.steps.get(position=1)
    first.title_en, first.body_en = "Open the settings", "Open the settings from your profile."
    first.save()
    for device, french, english in (
        (Device.ANDROID, "Touchez ⋮ puis `Paramètres`.", "Tap ⋮ then `Settings`."),
        (Device.IOS, "Touchez ☰ puis `Réglages et confidentialité`.", "Tap ☰ then `Settings and privacy`."),
    ):
        StepVariant.objects.create(step=first, device=device, body_fr=french, body_en=english)
    for language, device, colour, alt in (
        ("en", "", "white", "The profile screen"),
        ("fr", "", "gray", "L'écran du profil"),
        ("en", Device.IOS, "black", "The iPhone settings menu"),
    ):
        Screenshot.objects.create(step=first, language=language, device=device, image=png(colour), alt=alt)
    return guide


@pytest.fixture
def reader_page(watched_page, live_server, media):
    """The watched page, with uploads served from the media folder, as nginx does in production."""

    def serve_media(route):
        name = route.request.url.split("/media/", 1)[1].split("?")[0]
        route.fulfill(path=str(media / name))

    watched_page.route(f"{live_server.url}/media/**", serve_media)
    return watched_page


def step(page, number):
    return page.locator("ol.steps > li").nth(number - 1)


def switcher(page):
    return page.get_by_role("navigation", name="Your device")


def open_guide(page, live_server, guide, query=""):
    page.goto(f"{live_server.url}{guide_url(guide, language='en')}{query}")


def test_choosing_a_device_shows_its_steps_and_is_kept_for_the_next_guides(reader_page, live_server, varied_guide):
    page = reader_page
    open_guide(page, live_server, varied_guide)
    first = step(page, 1)
    # Chromium on a desktop guesses "website", which this guide does not differ on: every text shows.
    for text in ("Open the settings from your profile.", "Tap ⋮ then", "Tap ☰ then"):
        expect(first.get_by_text(text)).to_be_visible()

    switcher(page).get_by_role("link", name="iPhone").click()
    expect(first.get_by_text("Tap ☰ then")).to_be_visible()
    expect(first.get_by_text("Tap ⋮ then")).to_be_hidden()
    expect(first.get_by_text("Open the settings from your profile.")).to_be_hidden()
    expect(first.get_by_role("img", name="The iPhone settings menu")).to_be_visible()
    expect(first.get_by_role("img", name="The profile screen")).to_be_hidden()
    expect(step(page, 2).get_by_text("Do thing")).to_be_visible()  # no variant: the common text
    expect(page.locator("#announcer")).to_have_text("Steps shown for: iPhone")
    assert page.url.endswith("?device=ios")

    page.reload()
    expect(switcher(page).get_by_role("link", name="iPhone")).to_have_attribute("aria-current", "true")
    expect(first.get_by_text("Tap ⋮ then")).to_be_hidden()
    # The next guide opened, without the choice in its address, remembers it.
    open_guide(page, live_server, varied_guide)
    expect(switcher(page).get_by_role("link", name="iPhone")).to_have_attribute("aria-current", "true")
    expect(first.get_by_text("Tap ☰ then")).to_be_visible()
    expect(first.get_by_text("Tap ⋮ then")).to_be_hidden()

    # Progress belongs to the step, whatever the device.
    first.get_by_role("button", name="Mark as done").click()
    expect(first).to_have_class("step is-done")
    switcher(page).get_by_role("link", name="Android").click()
    expect(first.get_by_text("Tap ⋮ then")).to_be_visible()
    expect(first).to_have_class("step is-done")
    expect(page.locator("#progress-label")).to_have_text("1 of 3 steps done")


def test_the_first_choice_is_guessed_from_the_phone(browser, live_server, varied_guide):
    context = browser.new_context(user_agent=ANDROID_PHONE, viewport={"width": 360, "height": 780})
    page = context.new_page()
    open_guide(page, live_server, varied_guide)
    expect(switcher(page).get_by_role("link", name="Android")).to_have_attribute("aria-current", "true")
    expect(step(page, 1).get_by_text("Tap ⋮ then")).to_be_visible()
    expect(step(page, 1).get_by_text("Tap ☰ then")).to_be_hidden()
    switcher(page).get_by_role("link", name="All").click()  # the reader can always change it
    expect(step(page, 1).get_by_text("Tap ☰ then")).to_be_visible()
    context.close()


@no_javascript
def test_without_javascript_the_switcher_is_links_that_keep_the_choice(reader_page, live_server, varied_guide):
    page = reader_page
    open_guide(page, live_server, varied_guide)
    first = step(page, 1)
    expect(first.get_by_text("Tap ⋮ then")).to_be_visible()
    expect(first.get_by_text("Tap ☰ then")).to_be_visible()
    switcher(page).get_by_role("link", name="iPhone").click()
    expect(first.get_by_text("Tap ☰ then")).to_be_visible()
    expect(first.get_by_text("Tap ⋮ then")).to_be_hidden()
    page.reload()
    expect(first.get_by_text("Tap ⋮ then")).to_be_hidden()

    first.get_by_role("button", name="Mark as done").click()
    assert "?device=ios#step-" in page.url
    expect(first).to_have_class("step is-done")
    expect(first.get_by_text("Tap ⋮ then")).to_be_hidden()
    switcher(page).get_by_role("link", name="Android").click()
    expect(first.get_by_text("Tap ⋮ then")).to_be_visible()
    expect(first).to_have_class("step is-done")
    assert StepCompletion.objects.count() == 1


def test_a_report_from_a_variant_is_grouped_with_it_in_the_triage_queue(reader_page, live_server, varied_guide, editor):
    page = reader_page
    open_guide(page, live_server, varied_guide, "?device=ios")
    first = step(page, 1)
    first.get_by_role("link", name="Not what you see in the app?").click()
    form = first.locator("form.report-form")
    expect(form.get_by_label("iPhone or iPad (iOS)")).to_be_checked()
    form.get_by_label("A label or button has another name").check()
    form.get_by_label("What do you see instead?").fill("The menu is called “Settings” only.")
    form.get_by_role("button", name="Send report").click()
    expect(first.locator(".thanks")).to_contain_text("your report reached the editors")
    report = StepReport.objects.get()
    assert (report.variant, report.device) == ("ios", "ios")

    admin = Client()
    admin.force_login(editor)
    queue = admin.get("/admin/guides/stepreport/queue/").content.decode()
    assert "(iPhone)" in queue
    assert f"original_step_id={report.original_step_id}&amp;variant=ios" in queue


def test_a_refusal_shows_next_to_the_form_that_caused_it(page, live_server, varied_guide, settings):
    settings.GUIDES_REPORTS_PER_WINDOW = 0
    open_guide(page, live_server, varied_guide)
    third = step(page, 3)
    third.get_by_role("link", name="Not what you see in the app?").click()
    form = third.locator("form.report-form")
    form.get_by_label("Something else").check()
    form.get_by_label("Android").check()
    form.get_by_label("What do you see instead?").fill("Another screen.")
    form.get_by_role("button", name="Send report").click()
    refusal = third.locator("form.report-form + .refusal")
    expect(refusal).to_contain_text("Please wait a few minutes")
    expect(refusal).to_have_attribute("role", "alert")
    expect(page.locator("#flash")).to_be_empty()
    expect(form).to_be_visible()  # what the reader wrote is still there
    assert StepReport.objects.count() == 0


def test_an_empty_report_takes_focus_to_its_error_summary(reader_page, live_server, varied_guide):
    page = reader_page
    open_guide(page, live_server, varied_guide)
    second = step(page, 2)
    second.get_by_role("link", name="Not what you see in the app?").click()
    second.get_by_role("button", name="Send report").click()
    summary = second.locator(".report-form p.field-error")
    expect(summary).to_be_focused()
    expect(summary).to_have_text("Please check the fields marked below.")


def test_the_sticky_progress_bar_never_hides_what_has_focus(reader_page, live_server, varied_guide):
    page = reader_page
    open_guide(page, live_server, varied_guide)
    step(page, 1).get_by_role("button", name="Mark as done").click()
    expect(page.locator("#progress-label")).to_have_text("1 of 3 steps done")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    target = step(page, 2).get_by_role("button", name="Mark as done")
    target.focus()  # above the view: scrolled back to, as Shift+Tab would
    bar = page.locator("#progress").bounding_box()
    assert target.bounding_box()["y"] >= bar["y"] + bar["height"]


def test_starting_over_asks_first(reader_page, live_server, varied_guide):
    page = reader_page
    open_guide(page, live_server, varied_guide)
    step(page, 1).get_by_role("button", name="Mark as done").click()
    page.locator(".start-over summary").click()
    expect(page.get_by_text("Clear the 1 step you marked done?")).to_be_visible()
    assert StepCompletion.objects.count() == 1
    page.get_by_role("button", name="Yes, start over").click()
    expect(page.locator("#progress-label")).to_have_text("0 of 3 steps done")
    assert StepCompletion.objects.count() == 0


def test_a_screenshot_leaves_the_steps_buttons_on_a_phones_screen(reader_page, live_server, varied_guide):
    page = reader_page
    open_guide(page, live_server, varied_guide)
    image = step(page, 1).get_by_role("img", name="The profile screen")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    height = image.bounding_box()["height"]
    assert 0 < height <= 780 / 2
    assert image.evaluate("img => img.currentSrc").endswith(".webp")  # the modern format, when accepted
    link = step(page, 1).get_by_role("link", name="The profile screen (Enlarge the screenshot)")
    assert link.get_attribute("href") == image.get_attribute("src")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_guide_page_with_variants_and_screenshots_passes_axe(reader_page, live_server, varied_guide, scheme):
    page = reader_page
    page.emulate_media(color_scheme=scheme)
    open_guide(page, live_server, varied_guide)
    step(page, 1).get_by_role("button", name="Mark as done").click()
    expect(page.locator("#progress-label")).to_have_text("1 of 3 steps done")
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    for query in ("", "?device=ios"):
        open_guide(page, live_server, varied_guide, query)
        results = Axe().run(page, options=options)
        assert results.violations_count == 0, results.generate_report()
