"""Related guides at the end of a guide: the editors' published picks, or else other published
guides of its platform; never a draft; shown at once after an editor's change, at no extra
query."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides import content_version
from guides.groups import EDITORS
from guides.models import Guide, Platform, Proposal
from tests.admin_pages import admin_url, restore, save_through_admin, versions_of
from tests.factories import guide_url, make_guide
from tests.html_forms import form_fields

# What editors save applies at once here; reviews of changes are tested in test_proposals.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editors_publish")]

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def related_on_page(guide, language: str = "en") -> tuple[str, list[str]]:
    """The related guides' heading and titles, as the page shows them."""
    page = Client().get(guide_url(guide, language=language)).content.decode()
    section = re.search(r'<section class="related-guides".*?</section>', page, re.S)
    if section is None:
        return "", []
    heading = re.search(r'<h2 id="related-title">(.*?)</h2>', section[0])[1]
    return heading, re.findall(r'<li class="guide-card">\s*<a href="[^"]+"[^>]*>([^<]+)</a>', section[0])


def pick(client, guide, *picks) -> None:
    save_through_admin(client, guide, lambda fields: fields.update(related_guides=[str(p.pk) for p in picks]))


@pytest.fixture
def other_platform(db):
    return Platform.objects.create(slug="other", name_fr="Autre", name_en="Other", position=3)


def test_editors_picks_show_at_once_published_ones_only(editor_client, guide, other_platform):
    elsewhere = make_guide(other_platform, slug="elsewhere", title_en="Elsewhere")
    draft = make_guide(other_platform, slug="draft", status=Guide.Status.DRAFT, title_en="Draft")
    assert related_on_page(guide)[1] == []  # seen before the change: the cached page must not linger

    pick(editor_client, guide, elsewhere, draft)

    assert related_on_page(guide) == ("Related guides", ["Elsewhere"])
    assert related_on_page(guide, "fr") == ("Guides liés", ["Un guide"])
    pick(editor_client, guide)
    assert related_on_page(guide) == ("", [])


def test_without_picks_readers_see_a_few_other_published_guides_of_the_platform(guide, other_platform):
    for number in range(6):
        make_guide(guide.platform, slug=f"sibling-{number}", title_en=f"Sibling {number}")
    make_guide(guide.platform, slug="draft", status=Guide.Status.DRAFT, title_en="Draft")
    make_guide(other_platform, slug="elsewhere", title_en="Elsewhere")
    heading, titles = related_on_page(guide)
    assert heading == "More guides for Demo"
    assert titles == [f"Sibling {number}" for number in range(5)]


def test_when_no_pick_is_published_the_platforms_guides_show(guide):
    draft = make_guide(guide.platform, slug="draft", status=Guide.Status.DRAFT, title_en="Draft")
    sibling = make_guide(guide.platform, slug="sibling", title_en="Sibling")
    guide.related_guides.add(draft)
    assert related_on_page(guide) == ("More guides for Demo", ["Sibling"])
    guide.related_guides.add(sibling)
    assert related_on_page(guide) == ("Related guides", ["Sibling"])


def test_changing_related_guides_changes_the_content_version(guide):
    other = make_guide(guide.platform, slug="other")
    for change in (lambda: guide.related_guides.add(other), lambda: guide.related_guides.clear()):
        before = content_version.current()
        change()
        assert content_version.current() != before


def test_picks_are_not_symmetrical(guide):
    other = make_guide(guide.platform, slug="other", title_en="Other guide")
    third = make_guide(guide.platform, slug="third", title_en="Third")
    guide.related_guides.add(third)
    assert related_on_page(guide)[1] == ["Third"]
    assert related_on_page(third)[0] == "More guides for Demo"
    assert related_on_page(other)[0] == "More guides for Demo"


def test_a_guide_cannot_be_its_own_related_guide(editor_client, guide):
    url = admin_url(guide)
    fields = form_fields(editor_client.get(url).content.decode(), "guide_form")
    response = editor_client.post(url, {**fields, "related_guides": [str(guide.pk)]}, **ENGLISH)
    assert response.status_code == 200
    assert "A guide cannot be related to itself." in response.content.decode()
    assert not guide.related_guides.exists()


def test_the_admin_offers_related_guides_by_autocomplete(editor_client, guide):
    page = editor_client.get(admin_url(guide)).content.decode()
    assert re.search(r'<select[^>]*name="related_guides"[^>]*class="[^"]*admin-autocomplete', page)
    found = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "guides", "model_name": "guide", "field_name": "related_guides", "term": "Dissocier"},
    )
    assert found.status_code == 200
    seeded = Guide.objects.get(platform__slug="tiktok")
    assert [item["id"] for item in found.json()["results"]] == [str(seeded.pk)]


def test_an_editor_who_may_not_publish_proposes_related_guides_of_a_published_guide(
    django_user_model, publisher_client, guide
):
    other = make_guide(guide.platform, slug="other")
    writer = django_user_model.objects.create_user("writer", password="writer-password-123", is_staff=True)
    writer.groups.add(Group.objects.get(name=EDITORS))
    client = Client()
    client.force_login(writer)
    pick(client, guide, other)  # not publishing: allowed, and proposed like any change readers see
    assert list(guide.related_guides.all()) == []
    proposal = Proposal.objects.get()
    assert proposal.proposed["related_guides"] == [other.pk]
    publisher_client.post(proposal.get_absolute_url(), {"decision": "approve"})
    assert list(guide.related_guides.all()) == [other]


def test_picks_are_kept_in_history_compared_and_restored(editor_client, guide):
    other = make_guide(guide.platform, slug="other", title_en="Another guide")
    pick(editor_client, guide, other)
    pick(editor_client, guide)
    with_pick, without = versions_of(guide)[-2:]
    compare = f"{admin_url(guide, 'history')}compare/?from={with_pick.pk}&to={without.pk}"
    page = editor_client.get(compare, **ENGLISH).content.decode()
    assert re.search(r'<th scope="row">Related guides</th>\s*<td class="before">Another guide</td>', page)

    restore(editor_client, guide, with_pick)
    assert list(guide.related_guides.all()) == [other]


def test_restoring_picks_leaves_out_guides_deleted_since(editor_client, publisher_client, guide):
    kept = make_guide(guide.platform, slug="kept")
    gone = make_guide(guide.platform, slug="gone", status=Guide.Status.DRAFT)
    pick(editor_client, guide, kept, gone)
    version = versions_of(guide)[-1]
    gone.delete()
    restore(publisher_client, guide, version)
    assert list(guide.related_guides.all()) == [kept]


def first_build_queries(guide) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(guide_url(guide)).status_code == 200
    return len(queries)


def test_building_a_guide_page_costs_the_same_queries_whatever_its_related_guides(platform, other_platform):
    few = make_guide(platform, slug="few")
    many = make_guide(platform, slug="many")
    few.related_guides.add(make_guide(other_platform, slug="one"))
    many.related_guides.add(*(make_guide(other_platform, slug=f"pick-{number}") for number in range(12)))
    assert first_build_queries(few) == first_build_queries(many) <= 8
    reader = Client()
    reader.post(guide_url(many, f"steps/{many.steps.first().pk}/done"), {"done": "1"})
    reader.get(guide_url(many))
    with CaptureQueriesContext(connection) as queries:
        reader.get(guide_url(many))
    assert len(queries) == 3  # the version, the reader's steps, their vote
