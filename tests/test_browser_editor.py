"""An editor's round, in a real browser: a reader's report arrives, the editor confirms it in the
queue, fixes the step in French and English, marks the report fixed (the reader gets an e-mail in
their language), sees the English flagged when only the French changes, and restores a version."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import expect

from guides.groups import EDITORS, PUBLISHERS
from guides.models import Step, StepReport

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser_context_args(viewport={"width": 1280, "height": 1000}, locale="en-GB"),
]

PASSWORD = "editor-long-password-7"


@pytest.fixture
def editor_page(watched_page, live_server, django_user_model):
    editor = django_user_model.objects.create_user("erin", "erin@example.org", PASSWORD, is_staff=True)
    # Erin may publish: her fixes apply at once (proposed changes: test_browser_proposals).
    editor.groups.add(Group.objects.get(name=EDITORS), Group.objects.get(name=PUBLISHERS))
    page = watched_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def a_reader_reports_step_3_in_french() -> Step:
    step = Step.objects.get(guide__slug_fr="dissocier-tiktok-for-business", position=3)
    response = Client().post(
        f"/fr/tiktok/dissocier-tiktok-for-business/steps/{step.pk}/report/",
        {
            "problem": "renamed",
            "seen_instead": "Le menu s'appelle « Compte » maintenant.",
            "device": "android",
            "contact_email": "lectrice@example.org",
        },
    )
    assert response.status_code == 303
    return step


def save_step(page, **fields) -> None:
    """Fill translated fields through their language tabs, as an editor does, then save."""
    for name, value in fields.items():
        language = name.rsplit("_", 1)[1]
        tabs = page.locator(".ui-tabs", has=page.locator(f"#id_{name}"))
        tabs.get_by_role("tab", name=language).click()
        page.fill(f"#id_{name}", value)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success").first).to_be_visible()


def test_an_editor_triages_fixes_and_restores(editor_page, live_server, mailoutbox):
    page = editor_page
    step = a_reader_reports_step_3_in_french()

    # The index says a report is waiting; the queue groups it under its step.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="1 new report").click()
    expect(page.locator("body")).to_contain_text("Try to switch to a personal account")
    expect(page.locator("body")).to_contain_text("Android")

    # Confirm it from the list of reports.
    page.goto(f"{live_server.url}/admin/guides/stepreport/")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "confirm")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 report is now “Confirmed”.")
    assert StepReport.objects.get().status == StepReport.Status.CONFIRMED

    # Fix the step in both languages and mark the report fixed in the same save.
    page.goto(f"{live_server.url}/admin/guides/step/{step.pk}/change/")
    page.locator("#id_mark_reports_fixed").check()
    save_step(page, body_fr="Faites défiler jusqu'à `Compte`.", body_en="Scroll down to `Account`.")
    report = StepReport.objects.get()
    assert report.status == StepReport.Status.FIXED
    assert report.handled_by.username == "erin"

    # The reader hears of it, in French, the language of the report.
    assert [message.to for message in mailoutbox] == [["lectrice@example.org"]]
    assert "corrigée" in mailoutbox[0].subject

    # Only the French changes: the English is flagged, for editors and for English readers.
    page.goto(f"{live_server.url}/admin/guides/step/{step.pk}/change/")
    save_step(page, body_fr="Faites défiler jusqu'à `Compte` puis touchez-le.")
    page.goto(f"{live_server.url}/admin/guides/step/?translation=outdated")
    expect(page.locator("#result_list")).to_contain_text("Try to switch to a personal account")
    page.goto(f"{live_server.url}/en/tiktok/unlink-tiktok-for-business/")
    expect(page.locator(f"#step-{step.pk}")).to_contain_text("The French original changed")

    # Restore the version saved with both languages fixed.
    page.goto(f"{live_server.url}/admin/guides/step/{step.pk}/history/")
    page.locator("#change-history tbody tr").first.get_by_role("link").first.click()  # oldest first
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
    step.refresh_from_db()
    assert (step.body_fr, step.body_en) == ("Faites défiler jusqu'à `Compte`.", "Scroll down to `Account`.")
    assert step.outdated_translations == []
