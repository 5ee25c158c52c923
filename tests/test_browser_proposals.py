"""In a real browser: an editor who may not publish fixes a step of a published guide; readers
keep the published text; the publisher finds the change waiting, reads its diff and approves it;
readers see the new text and the guide's history shows both. A change sent back with a comment
reaches its author."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from guides.groups import EDITORS, PUBLISHERS
from guides.models import Proposal, Step
from tests.factories import SEEDED_GUIDE_URL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser_context_args(viewport={"width": 1280, "height": 1000}, locale="en-GB"),
]

PASSWORD = "a-long-password-for-tests-7"


@pytest.fixture
def people(django_user_model):
    editor = django_user_model.objects.create_user("erin", "erin@example.org", PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    publisher = django_user_model.objects.create_user("paul", "paul@example.org", PASSWORD, is_staff=True)
    publisher.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=PUBLISHERS))


def sign_in(page, live_server, name: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()


def propose_a_new_step_3_title(page, live_server) -> Step:
    step = Step.objects.get(guide__slug_fr="dissocier-tiktok-for-business", position=3)
    page.goto(f"{live_server.url}/admin/guides/step/{step.pk}/change/")
    tabs = page.locator(".ui-tabs", has=page.locator("#id_title_en"))
    tabs.get_by_role("tab", name="en").click()
    page.fill("#id_title_en", "Switch to a personal account, again")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("waits for a publisher's approval")
    return step


def test_a_change_to_a_published_guide_waits_for_approval(page, browser, live_server, people, mailoutbox):
    sign_in(page, live_server, "erin")
    step = propose_a_new_step_3_title(page, live_server)
    expect(page.locator(".after").first).to_have_text("Switch to a personal account, again")

    reader = browser.new_context(locale="en-GB").new_page()
    reader.goto(f"{live_server.url}{SEEDED_GUIDE_URL['en']}")
    expect(reader.locator(f"#step-{step.pk} .step-title")).not_to_contain_text("again")

    publisher_context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    publisher = publisher_context.new_page()
    sign_in(publisher, live_server, "paul")
    publisher.get_by_role(
        "link", name="Unlink a TikTok account from TikTok for Business"
    ).first.click()  # "Waiting for you"
    expect(publisher.locator("td.diff").first).to_contain_text("again")
    publisher.get_by_label("Comment (optional when approving)").fill("Good catch.")
    publisher.get_by_role("button", name="Approve").click()
    expect(publisher.locator(".messagelist .success")).to_contain_text("readers now see this change")

    reader.reload()
    expect(reader.locator(f"#step-{step.pk} .step-title")).to_contain_text("again")
    publisher.goto(f"{live_server.url}/admin/guides/guide/{step.guide_id}/history/")
    expect(publisher.locator("#change-history")).to_contain_text("Approved the change proposed by erin")
    expect(publisher.locator("#proposals")).to_contain_text("Approved")
    assert any("Good catch." in mail.body for mail in mailoutbox if mail.to == ["erin@example.org"])
    publisher_context.close()


def test_a_change_sent_back_reaches_its_author_with_the_comment(page, browser, live_server, people, mailoutbox):
    sign_in(page, live_server, "erin")
    propose_a_new_step_3_title(page, live_server)
    proposal = Proposal.objects.get()

    publisher_context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    publisher = publisher_context.new_page()
    sign_in(publisher, live_server, "paul")
    publisher.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    publisher.get_by_role("button", name="Send back").click()
    expect(publisher.locator(".errorlist")).to_contain_text("Say what the author should change.")
    publisher.get_by_label("Comment (optional when approving)").fill("Use the app's exact words.")
    publisher.get_by_role("button", name="Send back").click()
    expect(publisher.locator(".messagelist .success")).to_contain_text("Sent back")
    publisher_context.close()

    page.goto(f"{live_server.url}/admin/")
    page.get_by_role(
        "link", name="Unlink a TikTok account from TikTok for Business"
    ).first.click()  # "Your change sent back"
    expect(page.locator(".review-comment")).to_have_text("Use the app's exact words.")
    assert any("Use the app's exact words." in mail.body for mail in mailoutbox if mail.to == ["erin@example.org"])
