"""Each language's Atom feed: published guides, newest change first, where a typo fixed as a
minor change moves nothing and a real change moves the guide up."""

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from guides.models import Guide
from tests.admin_pages import save_through_admin
from tests.factories import guide_url, make_guide

# What editors save applies at once here; reviews of changes are tested in test_proposals.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editors_publish")]

SITE = "https://help.example.org"
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def entries(language: str = "fr") -> list[dict]:
    response = Client().get(f"/{language}/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    return [
        {
            "title": entry.findtext("a:title", namespaces=ATOM),
            "link": entry.find("a:link", ATOM).get("href"),
            "id": entry.findtext("a:id", namespaces=ATOM),
            "summary": entry.findtext("a:summary", namespaces=ATOM),
            "updated": datetime.fromisoformat(entry.findtext("a:updated", namespaces=ATOM)),
            "published": datetime.fromisoformat(entry.findtext("a:published", namespaces=ATOM)),
            "author": entry.findtext("a:author/a:name", namespaces=ATOM),
        }
        for entry in feed.findall("a:entry", ATOM)
    ]


def titles(language: str = "fr") -> list[str]:
    return [entry["title"] for entry in entries(language)]


def aged(*guides: Guide) -> None:
    """Make the guides older than anything the test does next, oldest first."""
    for days, guide in enumerate(reversed(guides), start=1):
        Guide.objects.filter(pk=guide.pk).update(changed_at=timezone.now() - timezone.timedelta(days=days))


@pytest.fixture
def two_guides(platform):
    """The seeded guide aside: an older guide and a newer one."""
    Guide.objects.exclude(platform=platform).update(status=Guide.Status.ARCHIVED)
    older = make_guide(platform, slug="older", title_fr="Plus ancien", title_en="Older")
    newer = make_guide(platform, slug="newer", title_fr="Plus récent", title_en="Newer")
    aged(older, newer)
    return older, newer


def test_the_feed_lists_published_guides_newest_change_first(two_guides, platform):
    _older, newer = two_guides
    for status in (Guide.Status.DRAFT, Guide.Status.IN_REVIEW, Guide.Status.ARCHIVED):
        make_guide(platform, slug=f"hidden-{status}", status=status, title_fr=f"Caché {status}")
    found = entries()
    assert [entry["title"] for entry in found] == ["Plus récent", "Plus ancien"]
    first = found[0]
    newer.refresh_from_db()
    assert first["link"] == f"{SITE}{guide_url(newer)}"
    assert first["summary"] == "Résumé du guide."
    assert first["updated"] == newer.changed_at
    assert first["published"] == newer.published_at
    assert first["author"] == "Centre d'aide"


def test_the_english_feed_is_in_english_at_english_addresses(two_guides):
    older, _newer = two_guides
    Guide.objects.filter(pk=older.pk).update(slug_en="older-in-english")
    found = entries("en")
    assert [entry["title"] for entry in found] == ["Newer", "Older"]
    assert found[1]["link"] == f"{SITE}/en/demo/older-in-english/"
    assert found[0]["author"] == "Help center"


def test_a_minor_change_does_not_move_a_guide_while_a_real_one_does(editor_client, two_guides):
    older, _newer = two_guides

    def minor_typo(fields):
        fields.update(title_fr="Plus ancien (coquille corrigée)", minor_change="on")

    save_through_admin(editor_client, older, minor_typo)
    assert titles() == ["Plus récent", "Plus ancien (coquille corrigée)"]

    save_through_admin(editor_client, older, lambda fields: fields.update(summary_fr="Un tout autre résumé."))
    assert titles() == ["Plus ancien (coquille corrigée)", "Plus récent"]


def test_a_save_that_changes_nothing_does_not_move_a_guide(editor_client, two_guides):
    older, _newer = two_guides
    save_through_admin(editor_client, older)
    assert titles() == ["Plus récent", "Plus ancien"]


def test_a_change_of_a_step_moves_its_guide_unless_it_is_minor(editor_client, two_guides):
    older, _newer = two_guides
    step = older.steps.first()
    save_through_admin(editor_client, step, lambda fields: fields.update(body_fr="Faites-le.", minor_change="on"))
    assert titles() == ["Plus récent", "Plus ancien"]
    save_through_admin(editor_client, step, lambda fields: fields.update(body_fr="Faites-le autrement."))
    assert titles() == ["Plus ancien", "Plus récent"]


def test_removing_a_prerequisite_moves_its_guide(two_guides):
    older, _newer = two_guides
    older.prerequisites.create(position=1, text_fr="Un ordinateur")
    aged(older, _newer)
    older.prerequisites.get().delete()
    assert titles() == ["Plus ancien", "Plus récent"]


def test_publishing_dates_a_guide_once_and_puts_it_first(publisher_client, two_guides, platform):
    draft = make_guide(platform, slug="draft", status=Guide.Status.DRAFT, title_fr="Tout neuf")
    assert "Tout neuf" not in titles()
    assert Guide.objects.get(pk=draft.pk).published_at is None

    save_through_admin(publisher_client, draft, lambda fields: fields.update(status="published"))
    assert titles()[0] == "Tout neuf"
    first_published = Guide.objects.get(pk=draft.pk).published_at
    assert first_published is not None

    for status in ("archived", "published"):
        save_through_admin(publisher_client, draft, lambda fields, status=status: fields.update(status=status))
    assert Guide.objects.get(pk=draft.pk).published_at == first_published
    assert entries()[0]["published"] == first_published


def test_an_entry_keeps_its_id_when_the_guide_is_renamed(publisher_client, two_guides):
    older, _newer = two_guides
    before = {entry["title"]: entry["id"] for entry in entries()}
    english = {entry["title"]: entry["id"] for entry in entries("en")}
    rename = {"title_fr": "Nouveau nom", "slug_fr": "nouveau-nom"}
    save_through_admin(publisher_client, older, lambda fields: fields.update(rename))
    after = {entry["title"]: entry["id"] for entry in entries()}
    assert after["Nouveau nom"] == before["Plus ancien"]
    assert english["Older"] != before["Plus ancien"]  # another language, another entry
    assert len(set(after.values())) == 2


def test_the_feed_holds_the_thirty_latest_guides(platform):
    for number in range(32):
        make_guide(platform, slug=f"guide-{number}", title_fr=f"Guide {number}")
    found = titles()
    assert len(found) == 30
    assert found[0] == "Guide 31"


def test_every_public_page_links_its_languages_feed(guide):
    for url in ("/fr/", "/en/demo/", guide_url(guide, language="en")):
        language = url.split("/")[1]
        page = Client().get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml" title="' in page
        assert f'href="{SITE}/{language}/feed.atom">' in page


def test_a_guide_published_before_the_feed_existed_has_its_dates():
    seeded = Guide.objects.published().get(platform__slug="tiktok")
    assert seeded.published_at is not None and seeded.changed_at is not None
    assert seeded.title_fr in titles() and seeded.title_en in titles("en")
