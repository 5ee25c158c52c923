"""The admin pages added for editors pass axe's WCAG 2 A and AA rules, in light and dark
schemes: a proposed change, the translation workspace and its list, and the index that leads
to them."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from guides.models import Guide, Proposal
from tests.admin_pages import admin_url, save_through_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900}, locale="en-GB"),
]

PASSWORD = "a-long-local-password-42"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def pages(django_user_model, editor):
    """A proposed change to the seeded guide, made by an editor who may not publish."""
    guide = Guide.objects.get(slug_fr="dissocier-tiktok-for-business")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(editor)
    save_through_admin(client, guide, lambda fields: fields.update(title_en="Unlink TikTok for Business"))
    proposal = Proposal.objects.get()
    return [
        proposal.get_absolute_url(),
        f"{admin_url(guide, 'translate')}en/",
        "/admin/guides/guide/translations/en/",
        "/admin/",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_new_admin_pages_pass_axe(page, live_server, django_user_model, pages, scheme):
    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()
    for url in pages:
        page.goto(f"{live_server.url}{url}")
        results = Axe().run(page, options=RULES)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
