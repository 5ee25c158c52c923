"""A new editor writes a 5-step bilingual guide: French in the guide's form, where new steps
open in French whatever tab was open, then English in the translation workspace, one save. It
took 42 clicks when every field had French and English tabs to switch between, 30 of them on
tabs; it must now take no more than half."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from guides.groups import EDITORS
from guides.models import Guide

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900}, locale="en-GB"),
]

PASSWORD = "a-long-password-for-tests-7"
CLICKS_BEFORE = 42
STEPS = [
    ("Ouvrez l'application", "Touchez l'icône TikTok.", "Open the app", "Tap the TikTok icon."),
    ("Allez au profil", "Touchez `Profil` en bas.", "Go to your profile", "Tap `Profile` at the bottom."),
    ("Ouvrez le menu", "Touchez ☰ en haut à droite.", "Open the menu", "Tap ☰ at the top right."),
    (
        "Ouvrez les réglages",
        "Touchez `Paramètres et confidentialité`.",
        "Open the settings",
        "Tap `Settings and privacy`.",
    ),
    (
        "Changez de compte",
        "Touchez `Compte` puis `Passer à un compte personnel`.",
        "Switch account",
        "Tap `Account`, then `Switch to personal account`.",
    ),
]


class Clicks:
    """Counts what the editor clicks (a select counts as one click)."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def choose(self, locator, option: dict):
        self.count += 1
        locator.select_option(**option)


def test_a_five_step_bilingual_guide_takes_half_the_clicks_it_took(page, live_server, django_user_model):
    editor = django_user_model.objects.create_user("newbie", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "newbie")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    expect(page.locator("#user-tools")).to_be_visible()

    clicks = Clicks()
    page.goto(f"{live_server.url}/admin/guides/guide/add/")
    clicks.choose(page.locator("#id_platform"), {"label": "TikTok"})
    # The guide's own fields open in the admin's language: one tab to French for the title.
    clicks.click(page.locator(".ui-tabs", has=page.locator("#id_title_fr")).get_by_role("tab", name="fr"))
    page.locator("#id_title_fr").press_sequentially("Passer à un compte personnel")
    clicks.click(page.locator(".ui-tabs", has=page.locator("#id_summary_fr")).get_by_role("tab", name="fr"))
    page.fill("#id_summary_fr", "Revenir d'un compte professionnel à un compte personnel.")
    for number, (title, body, _title_en, _body_en) in enumerate(STEPS):
        clicks.click(page.locator("#steps-group .add-row a"))
        page.fill(f"#id_steps-{number}-title_fr", title)  # a new step opens in French
        page.fill(f"#id_steps-{number}-body_fr", body)
    clicks.click(page.locator("input[name=_continue]"))
    expect(page.locator(".messagelist .success")).to_be_visible()

    clicks.click(page.get_by_role("link", name="Translate into English"))
    guide = Guide.objects.get(title_fr="Passer à un compte personnel")
    page.fill(f"#id_guide-{guide.pk}-title", "Switch to a personal account")
    page.fill(f"#id_guide-{guide.pk}-summary", "Go back from a business account to a personal one.")
    for step, (_title, _body, title_en, body_en) in zip(guide.steps.order_by("position"), STEPS, strict=True):
        page.fill(f"#id_step-{step.pk}-title", title_en)
        page.fill(f"#id_step-{step.pk}-body", body_en)
    clicks.click(page.locator("#translation-form input[type=submit]"))
    expect(page.locator(".messagelist .success")).to_contain_text("Translations saved.")

    steps = list(guide.steps.order_by("position").values_list("title_fr", "body_fr", "title_en", "body_en"))
    assert steps == [tuple(step) for step in STEPS]
    guide.refresh_from_db()
    assert (guide.title_en, guide.slug_fr) == ("Switch to a personal account", "passer-a-un-compte-personnel")
    assert clicks.count <= CLICKS_BEFORE // 2, clicks.count
