"""What search gives editors and operators: the searches that found nothing (admin list, the
admin index's top five of the week, marking one handled), their clean-up, the search index
rebuilt on demand, and addresses the site keeps for itself."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from guides.models import MissedSearch, Platform, SearchDocument
from guides.search import search
from tests.admin_pages import admin_url
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db


def missed(query: str, count: int, days_ago: int = 0, language: str = "fr") -> MissedSearch:
    day = timezone.localdate() - timedelta(days=days_ago)
    return MissedSearch.objects.create(language=language, query=query, day=day, count=count)


def test_editors_see_searches_without_results_most_frequent_first(editor_client):
    missed("snapchat", 3)
    missed("pinterest", 12)
    missed("threads", 7, language="en")
    page = editor_client.get("/admin/guides/missedsearch/").content.decode()
    assert page.index("pinterest") < page.index("threads") < page.index("snapchat")


def test_the_admin_index_shows_the_five_most_searched_of_the_week(editor_client):
    for number, count in enumerate([5, 9, 1, 4, 8, 7]):
        missed(f"recherche-{number}", count)
    missed("recherche-1", 6, days_ago=3)  # the same search another day adds up
    missed("ancienne", 50, days_ago=8)  # before this week
    missed("traitee", 40)
    MissedSearch.objects.filter(query="traitee").update(handled_at=timezone.now())

    page = editor_client.get("/admin/").content.decode()
    box = page[page.index('id="missed-searches"') :]
    box = box[: box.index("</div>")]
    listed = [
        name for name in ("recherche-1", "recherche-4", "recherche-5", "recherche-0", "recherche-3") if name in box
    ]
    assert listed == ["recherche-1", "recherche-4", "recherche-5", "recherche-0", "recherche-3"]
    assert [box.index(name) for name in listed] == sorted(box.index(name) for name in listed)
    assert "<td>15</td>" in box  # 9 + 6
    for absent in ("recherche-2", "ancienne", "traitee"):
        assert absent not in box


def test_marking_a_search_handled_marks_it_on_every_day(editor_client, editor):
    today, earlier = missed("pinterest", 3), missed("pinterest", 2, days_ago=2)
    other = missed("snapchat", 1)
    response = editor_client.post(
        "/admin/guides/missedsearch/", {"action": "mark_handled", "_selected_action": [str(today.pk)]}
    )
    assert response.status_code == 302
    handled = MissedSearch.objects.filter(handled_at__isnull=False)
    assert set(handled.values_list("pk", flat=True)) == {today.pk, earlier.pk}
    assert {row.handled_by for row in handled} == {editor}
    assert MissedSearch.objects.get(pk=other.pk).handled_at is None
    page = editor_client.get("/admin/").content.decode()
    box = page[page.index('id="missed-searches"') :]
    assert "pinterest" not in box[: box.index("</div>")]


def test_marking_handled_refuses_a_get_and_a_request_without_its_token(client, editor):
    row = missed("pinterest", 3)
    client.force_login(editor)
    csrf = type(client)(enforce_csrf_checks=True)
    csrf.force_login(editor)
    data = {"action": "mark_handled", "_selected_action": [str(row.pk)]}
    assert csrf.post("/admin/guides/missedsearch/", data).status_code == 403
    client.get("/admin/guides/missedsearch/", data)
    response = client.post("/admin/guides/missedsearch/", {**data, "_selected_action": ["424242"]})
    assert response.status_code in (200, 302)
    assert MissedSearch.objects.get(pk=row.pk).handled_at is None


def test_old_counts_go_with_the_nightly_clean_up(settings):
    settings.GUIDES_MISSED_SEARCH_DAYS = 30
    missed("ancienne", 3, days_ago=31)
    kept = missed("recente", 3, days_ago=29)
    out = StringIO()
    call_command("purge_expired_data", stdout=out)
    assert "old counts of searches without results deleted: 1" in out.getvalue()
    assert list(MissedSearch.objects.all()) == [kept]


def test_the_index_can_be_rebuilt_from_the_guides(guide):
    SearchDocument.objects.all().delete()
    assert search("guide", "fr").total == 0
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "search documents written:" in out.getvalue()
    assert search("guide", "fr").total >= 1


def test_a_platform_cannot_take_the_search_pages_address(editor_client, platform):
    fields = form_fields(editor_client.get(admin_url(platform)).content.decode(), "platform_form")
    response = editor_client.post(admin_url(platform), {**fields, "slug_en": "search"})
    assert response.status_code == 200
    assert "Le site utilise cette adresse pour l&#x27;une de ses pages" in response.content.decode()
    assert Platform.objects.get(pk=platform.pk).slug_en == "demo"
