"""The public pages: home, platform, guide, language handling, 404 and 500, health check (more in test_health)."""

import html
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from guides.models import Guide, Platform
from tests.factories import SEEDED_GUIDE_URL, make_guide

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("accept", "target"), [("fr-FR,fr;q=0.9", "/fr/"), ("en-GB,en;q=0.8", "/en/")])
def test_the_root_redirects_to_the_readers_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


def test_the_home_page_lists_platforms_with_their_published_guides(client, guide):
    make_guide(guide.platform, slug="brouillon", status=Guide.Status.DRAFT, title_fr="Brouillon secret")
    text = text_of(client.get("/fr/"))
    assert "TikTok" in text and "Démo" in text
    assert "Un guide" in text
    assert "Brouillon secret" not in text
    assert 'href="/fr/demo/guide/"' in text


def test_the_platform_page_lists_only_published_guides(client, guide):
    make_guide(guide.platform, slug="archive", status=Guide.Status.ARCHIVED, title_en="Old news")
    response = client.get("/en/demo/")
    assert response.status_code == 200
    text = text_of(response)
    assert "A guide" in text
    assert "Old news" not in text


@pytest.mark.parametrize("status", [Guide.Status.DRAFT, Guide.Status.IN_REVIEW, Guide.Status.ARCHIVED])
def test_an_unpublished_guide_answers_404(client, platform, status):
    make_guide(platform, slug="hidden", status=status)
    assert client.get("/fr/demo/hidden/").status_code == 404
    assert client.get("/en/demo/hidden/").status_code == 404


def test_a_platform_without_a_published_guide_answers_404(client, platform):
    Platform.objects.filter(pk=platform.pk).update(description_en="Not announced yet.")
    make_guide(platform, slug="draft", status=Guide.Status.DRAFT)
    response = client.get("/en/demo/")
    assert response.status_code == 404
    assert "Not announced yet." not in response.content.decode()


def test_a_guide_is_only_found_under_its_own_platform(client, guide):
    assert client.get("/fr/tiktok/guide/").status_code == 404
    assert client.get("/fr/unknown/").status_code == 404


@pytest.mark.parametrize(
    ("url", "message"),
    [("/fr/demo/nope/", "Page introuvable"), ("/en/demo/nope/", "Page not found")],
)
def test_the_404_page_speaks_the_readers_language(client, platform, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in text_of(response)


@pytest.mark.parametrize(("language", "message"), [("fr", "Une erreur s'est produite"), ("en", "Something went wrong")])
def test_the_500_page_speaks_the_readers_language(language, message):
    with translation.override(language):
        assert message in html.unescape(render_to_string("500.html"))


def test_the_guide_page_shows_its_parts(client, guide):
    guide.conclusion_en = "All done."
    guide.estimated_minutes = 4
    guide.last_verified_on = "2026-01-15"
    guide.verified_app_version = "38.2"
    guide.save()
    text = text_of(client.get("/en/demo/guide/"))
    assert "<h1" in text and "A guide" in text
    assert "Summary of the guide." in text
    assert "About 4 minutes" in text
    assert "Last verified by an editor on Jan. 15, 2026 (app version 38.2)" in text
    assert "Before you start" in text and "A phone" in text
    assert '<ol class="steps"' in text
    assert "Do thing <strong>2</strong>." in text
    assert "All done." in text


def test_an_empty_english_field_shows_the_french_text_with_a_note(client, guide):
    step = guide.steps.get(position=2)
    step.title_en = ""
    step.body_en = ""
    step.save()
    english = text_of(client.get("/en/demo/guide/"))
    assert '<h3 class="step-title"><span class="for-common-title" lang="fr">Étape 2</span></h3>' in english
    assert "Faites la chose <strong>2</strong>." in english
    assert english.count("Not translated yet: shown in French.") == 1
    french = text_of(client.get("/fr/demo/guide/"))
    assert "Pas encore traduit" not in french
    assert "Not translated yet" not in french


def test_a_complete_translation_shows_no_note(client, guide):
    assert "Not translated yet" not in text_of(client.get("/en/demo/guide/"))


def test_the_language_switcher_stays_on_the_same_page(client, guide, settings):
    text = text_of(client.get("/fr/demo/guide/"))
    assert 'href="/en/demo/guide/" hreflang="en"' in text
    assert f'<link rel="alternate" hreflang="en" href="{settings.SITE_URL}/en/demo/guide/">' in text


def test_breadcrumbs_lead_back_home_and_to_the_platform(client, guide):
    text = text_of(client.get("/en/demo/guide/"))
    assert '<nav class="breadcrumbs"' in text
    assert 'href="/en/">Home</a>' in text
    assert 'href="/en/demo/">Demo</a>' in text


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_guide_page_query_count_does_not_grow_with_its_steps(client, platform):
    make_guide(platform, slug="short", steps=7)
    make_guide(platform, slug="long", steps=100)
    short = count_queries(client, "/fr/demo/short/")
    long = count_queries(client, "/fr/demo/long/")
    assert short == long
    assert long <= 8  # version, guide, prerequisites, steps, their variants, screenshots, open reports; confirmations


def test_list_pages_make_few_queries(client, guide, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/fr/")
    with django_assert_max_num_queries(3):
        client.get("/fr/demo/")


def test_reading_writes_nothing_and_sets_no_session_cookie(client):
    response = client.get(SEEDED_GUIDE_URL["fr"])
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_public_pages_send_a_strict_content_security_policy(client):
    policy = client.get(SEEDED_GUIDE_URL["en"])["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_refuse_writes(client, method):
    assert getattr(client, method)(SEEDED_GUIDE_URL["fr"]).status_code == 405


def test_the_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_the_health_check_reports_a_database_failure(client):
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "status": "down",
        "required": True,
        "duration_ms": mock.ANY,
        "error": "cannot connect",
    }


def test_a_guide_without_steps_shows_no_empty_progress_bar(client, platform):
    make_guide(platform, slug="empty", steps=0)
    page = client.get("/en/demo/empty/").content.decode()
    assert "<progress" not in page
    assert "This guide has no steps yet." in page


@pytest.mark.parametrize(("template", "message"), [("403.html", "Access denied"), ("400.html", "That did not work")])
def test_error_pages_speak_the_readers_language(template, message):
    with translation.override("en"):
        assert message in render_to_string(template)


def test_the_home_page_shows_a_few_guides_per_platform_and_links_to_all(platform):
    for number in range(8):
        make_guide(platform, slug=f"guide-{number}", title_en=f"Guide number {number}")
    page = Client().get("/en/").content.decode()
    assert page.count("Guide number") == 6
    assert '<a href="/en/demo/">See all 8 guides for Demo</a>' in page
    assert Client().get("/en/demo/").content.decode().count("Guide number") == 8
