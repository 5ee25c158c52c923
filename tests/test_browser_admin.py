"""The admin in a real browser: translation tabs with no request leaving the machine, and
reordering steps with the drag-and-drop inline."""

import pytest
from playwright.sync_api import expect

from guides.models import Guide

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Editors work at a desk.
    pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900}, locale="en-GB"),
]

PASSWORD = "a-long-local-password-42"


@pytest.fixture
def signed_in(watched_page, live_server, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    watched_page.goto(f"{live_server.url}/admin/login/")
    watched_page.fill("#id_username", "boss")
    watched_page.fill("#id_password", PASSWORD)
    watched_page.click("input[type=submit]")
    expect(watched_page.locator("#user-tools")).to_be_visible()
    return watched_page


def seeded_guide():
    return Guide.objects.get(slug_fr="dissocier-tiktok-for-business")


def test_translation_tabs_switch_languages(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/admin/guides/guide/{seeded_guide().pk}/change/")
    tabs = page.locator(".ui-tabs-nav").first
    expect(tabs).to_be_visible()
    # The admin speaks English here, so the English tab opens first.
    expect(page.locator("#id_title_en")).to_be_visible()
    expect(page.locator("#id_title_fr")).to_be_hidden()
    tabs.get_by_role("tab", name="fr").click()
    expect(page.locator("#id_title_fr")).to_be_visible()
    expect(page.locator("#id_title_fr")).to_have_value("Dissocier un compte TikTok de TikTok for Business")
    expect(page.locator("#id_title_en")).to_be_hidden()
    # Every step inline has its own tabs too.
    expect(page.locator("#steps-group .ui-tabs-nav")).to_have_count(7 * 2)  # title and body of each step


def test_moving_a_step_first_and_saving_keeps_positions_one_to_n(signed_in, live_server):
    page = signed_in
    guide = seeded_guide()
    last = guide.steps.get(position=7)
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    page.locator("#steps-6 .move-begin").click()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    positions = list(guide.steps.order_by("position").values_list("position", "pk"))
    assert [position for position, _ in positions] == [1, 2, 3, 4, 5, 6, 7]
    assert positions[0][1] == last.pk


def test_a_step_can_be_dragged_to_a_new_place(signed_in, live_server):
    page = signed_in
    guide = seeded_guide()
    first, second, third = guide.steps.order_by("position")[:3]
    # Stacked steps are tall: show them all so that the drag needs no scrolling.
    page.set_viewport_size({"width": 1280, "height": 6000})
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    page.locator("#steps-0 h3").drag_to(page.locator("#steps-2 h3"))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    order = list(guide.steps.order_by("position").values_list("pk", flat=True))
    assert order[:3] == [second.pk, third.pk, first.pk]
    assert list(guide.steps.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


def test_a_new_step_opens_in_the_source_language_whatever_tab_was_open(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/admin/guides/guide/{seeded_guide().pk}/change/")
    expect(page.locator("#id_steps-0-title_en")).to_be_visible()  # the admin's language, English
    page.locator("#steps-group .add-row a").click()
    expect(page.locator("#id_steps-7-title_fr")).to_be_visible()
    expect(page.locator("#id_steps-7-title_en")).to_be_hidden()


def test_steps_move_with_buttons_from_the_keyboard(signed_in, live_server):
    page = signed_in
    guide = seeded_guide()
    first, second = guide.steps.order_by("position")[:2]
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    button = page.locator("#steps-0").get_by_role("button", name="Move down")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_be_focused()  # it moved with its step
    expect(page.locator("#steps-0 .move-status")).to_have_text("Moved to position 2.")
    expect(page.locator("#steps-group .inline-related").nth(0)).to_have_id("steps-1")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert list(guide.steps.order_by("position").values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    assert list(guide.steps.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


def test_a_step_body_is_previewed_as_readers_will_see_it(signed_in, live_server):
    page = signed_in
    step = seeded_guide().steps.get(position=1)
    page.goto(f"{live_server.url}/admin/guides/step/{step.pk}/change/")
    page.locator(".ui-tabs", has=page.locator("#id_body_en")).get_by_role("tab", name="en").click()
    page.fill("#id_body_en", "Tap `Profile`, then **Edit**.")
    preview = page.locator("#id_body_en + .markdown-preview")
    expect(preview.locator("code")).to_have_text("Profile")
    expect(preview.locator("strong")).to_have_text("Edit")
