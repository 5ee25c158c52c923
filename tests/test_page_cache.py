"""Readers' pages as a shared cache can keep them: the same bytes for everyone without cookies
of ours, validators, compression, and a change shown on the very next request; a reader's own
page assembled from cached parts in a few queries, however long the guide."""

import gzip

import brotli
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides import content_version
from guides.models import Guide, Step
from tests.admin_pages import save_through_admin
from tests.factories import SEEDED_GUIDE_URL, guide_url, make_guide, step_url

pytestmark = pytest.mark.django_db

SHARED_URLS = ["/fr/", "/en/tiktok/", SEEDED_GUIDE_URL["fr"], SEEDED_GUIDE_URL["en"]]


def queries(client, url, method="get", **extra) -> tuple[int, object]:
    """SQL statements a request makes (not counting the savepoints the test's transaction adds)."""
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **extra)
    statements = [query for query in captured if "SAVEPOINT" not in query["sql"].upper()]
    return len(statements), response


@pytest.mark.parametrize("url", SHARED_URLS)
def test_a_page_without_cookies_is_the_same_for_everyone_and_cacheable(url):
    first, second = Client().get(url), Client().get(url)
    assert first.status_code == 200
    assert first.content == second.content
    assert not first.cookies
    assert "cookie" not in first.get("Vary", "").lower()
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert first["ETag"] == second["ETag"] and first["ETag"].startswith('"')
    assert "csrfmiddlewaretoken" not in first.content.decode()


@pytest.mark.parametrize("url", SHARED_URLS)
def test_a_matching_etag_gets_a_304_in_any_encoding(url):
    etag = Client().get(url)["ETag"]
    gzip_etag = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert gzip_etag != etag  # other bytes, another strong validator
    for sent in (etag, gzip_etag, f"W/{etag}", f'"other", {etag}'):
        response = Client().get(url, HTTP_IF_NONE_MATCH=sent)
        assert response.status_code == 304
        assert response.content == b""
    assert Client().get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_pages_are_compressed_for_browsers_that_accept_it():
    url = SEEDED_GUIDE_URL["fr"]
    plain = Client().get(url)
    zipped = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    squeezed = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    refused = Client().get(url, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
    assert "Content-Encoding" not in plain and "Content-Encoding" not in refused
    assert zipped["Content-Encoding"] == "gzip" and gzip.decompress(zipped.content) == plain.content
    assert squeezed["Content-Encoding"] == "br" and brotli.decompress(squeezed.content) == plain.content
    assert len(squeezed.content) < len(plain.content) / 3
    assert "Accept-Encoding" in plain["Vary"]


@pytest.mark.usefixtures("editors_publish")
def test_an_editors_change_shows_on_the_next_request(editor_client, guide):
    url = guide_url(guide, language="en")
    before = Client().get(url)
    save_through_admin(editor_client, guide, lambda fields: fields.update(title_en="A renamed guide"))
    after = Client().get(url)
    assert "A renamed guide" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        lambda guide: Step.objects.filter(guide=guide).first().save(),
        lambda guide: guide.prerequisites.first().delete(),
        lambda guide: guide.platform.save(),
        lambda guide: Guide.objects.get(pk=guide.pk).save(),
    ],
    ids=["step saved", "prerequisite deleted", "platform saved", "guide saved"],
)
def test_every_change_readers_could_see_raises_the_content_version(guide, change):
    before = content_version.current()
    change(guide)
    assert content_version.current() != before


def test_unpublishing_takes_the_page_away_at_once(guide):
    url = guide_url(guide)
    assert Client().get(url).status_code == 200
    guide.status = Guide.Status.DRAFT
    guide.save()
    assert Client().get(url).status_code == 404


def test_a_cached_page_costs_one_query_whatever_the_guide(platform):
    make_guide(platform, slug="short", steps=7)
    make_guide(platform, slug="long", steps=100)
    for slug in ("short", "long"):
        Client().get(f"/fr/demo/{slug}/")  # built once
        assert queries(Client(), f"/fr/demo/{slug}/")[0] == 1  # the content version


def test_a_readers_page_is_theirs_and_costs_three_queries_whatever_the_guide(platform):
    for slug, steps in (("short", 7), ("long", 100)):
        guide = make_guide(platform, slug=slug, steps=steps)
        reader = Client()
        for step in guide.steps.order_by("position")[:2]:
            reader.post(step_url(step, "done"), {"done": "1"})
        reader.get(guide_url(guide, language="en"))
        count, response = queries(reader, guide_url(guide, language="en"))
        assert count == 3  # the version, the reader's steps, their vote
        assert f"2 of {steps} steps done" in response.content.decode()
        assert response["Cache-Control"] == "private, no-cache"
        assert "Cookie" in response["Vary"]


def test_a_tick_costs_three_queries_four_for_a_new_reader(guide):
    first, second = guide.steps.order_by("position")[:2]
    Client().get(guide_url(guide, language="en"))  # the page, and so its parts, were seen before
    warm = Client(HTTP_HX_REQUEST="true")
    for step in (first, second):
        for done in "10":
            warm.post(step_url(step, "done", "en"), {"done": done})

    reader = Client(HTTP_HX_REQUEST="true")
    new_reader, _response = queries(reader, step_url(first, "done", "en"), "post", data={"done": "1"})
    count, response = queries(reader, step_url(second, "done", "en"), "post", data={"done": "1"})

    assert (new_reader, count) == (4, 3)  # the version, (a new reader counted,) the write, the progress
    body = response.content.decode()
    assert f'id="step-{second.pk}"' in body and "is-done" in body
    assert "2 of 3 steps done" in body


def test_a_message_to_show_makes_the_page_the_readers_own(guide):
    reader = Client()
    reader.post(guide_url(guide, "vote"), {"helpful": "yes"})  # "Thank you" waits in a cookie
    page = reader.get(guide_url(guide)).content.decode()
    assert "Merci pour votre réponse." in page
    assert "Merci pour votre réponse." not in Client().get(guide_url(guide)).content.decode()


def test_pages_are_served_when_the_cache_keeps_nothing(guide, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    reader = Client()
    reader.post(step_url(guide.steps.first(), "done"), {"done": "1"})
    assert "1 of 3 steps done" in reader.get(guide_url(guide, language="en")).content.decode()
    assert Client().get(guide_url(guide)).status_code == 200


def test_a_query_string_sent_to_a_shared_page_never_reaches_its_links():
    first = Client().get("/fr/", {"x": "junk"}).content.decode()
    assert "junk" not in first
    assert "junk" not in Client().get("/fr/").content.decode()
