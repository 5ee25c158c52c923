"""Addresses read in their language, and old addresses keep leading to a renamed page."""

import pytest
from django.test import Client

from guides.models import Guide, Platform
from tests.admin_pages import admin_url, save_through_admin
from tests.factories import SEEDED_GUIDE_URL, guide_url, make_guide, step_url
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db


def test_the_seeded_guide_reads_in_each_language_and_its_former_english_address_leads_to_it():
    for language, url in SEEDED_GUIDE_URL.items():
        response = Client().get(url)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()
    old = Client().get("/en/tiktok/dissocier-tiktok-for-business/")
    assert (old.status_code, old["Location"]) == (301, SEEDED_GUIDE_URL["en"])


def test_the_language_switcher_links_to_the_page_in_the_other_languages_words(settings):
    page = Client().get(SEEDED_GUIDE_URL["fr"]).content.decode()
    assert f'<link rel="alternate" hreflang="en" href="{settings.SITE_URL}{SEEDED_GUIDE_URL["en"]}">' in page
    assert f'href="{SEEDED_GUIDE_URL["en"]}" hreflang="en"' in page


def test_renaming_a_guide_sends_its_old_address_on_to_the_new_one(publisher_client, guide):
    old_en, old_fr = guide_url(guide, language="en"), guide_url(guide)
    assert Client().get(old_en).status_code == 200  # cached at the old address
    save_through_admin(publisher_client, guide, lambda fields: fields.update(slug_en="renamed"))

    moved = Client().get(old_en)
    assert (moved.status_code, moved["Location"]) == (301, "/en/demo/renamed/")
    assert Client().get("/en/demo/renamed/").status_code == 200
    assert Client().get(old_fr).status_code == 200  # the French address did not change


def test_renaming_a_platform_moves_its_page_and_its_guides(editor_client, guide):
    platform = guide.platform
    save_through_admin(editor_client, platform, lambda fields: fields.update(slug_fr="plateforme", slug_en="platform"))

    for old, new in [
        ("/fr/demo/", "/fr/plateforme/"),
        ("/en/demo/", "/en/platform/"),
        ("/fr/demo/guide/", "/fr/plateforme/guide/"),
        ("/en/demo/guide/", "/en/platform/guide/"),
    ]:
        response = Client().get(old)
        assert (response.status_code, response["Location"]) == (301, new)
        assert Client().get(new).status_code == 200


def test_an_action_posted_from_a_page_loaded_before_the_rename_still_counts(publisher_client, guide):
    step = guide.steps.first()
    old_action = step_url(step, "done", "en")
    save_through_admin(publisher_client, guide, lambda fields: fields.update(slug_en="renamed"))

    reader = Client(HTTP_SEC_FETCH_SITE="same-origin")
    response = reader.post(old_action, {"done": "1"})
    assert (response.status_code, response["Location"]) == (303, f"/en/demo/renamed/#step-{step.pk}")
    vote = reader.post(guide_url(guide, "vote", "en").replace("renamed", "guide"), {"helpful": "yes"})
    assert vote.status_code == 303
    assert guide.votes.count() == 1


def test_an_old_address_of_a_guide_that_is_no_longer_public_is_not_found(publisher_client, guide):
    save_through_admin(publisher_client, guide, lambda fields: fields.update(slug_en="renamed"))
    Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.DRAFT)
    assert Client().get("/en/demo/guide/").status_code == 404
    assert Client().get("/en/demo/nowhere/").status_code == 404


def test_a_new_guide_may_take_an_old_address_and_then_owns_it(publisher_client, guide):
    save_through_admin(publisher_client, guide, lambda fields: fields.update(slug_en="renamed"))
    newcomer = make_guide(guide.platform, slug="other", slug_en="guide", title_en="The newcomer")
    response = Client().get("/en/demo/guide/")
    assert response.status_code == 200
    assert "The newcomer" in response.content.decode()
    newcomer.delete()
    assert Client().get("/en/demo/guide/")["Location"] == "/en/demo/renamed/"


def test_a_missing_slug_is_made_from_the_title_in_that_language(platform):
    guide = Guide.objects.create(
        platform=platform, slug_fr="se-deconnecter", title_fr="Se déconnecter", title_en="Log out"
    )
    untranslated = Guide.objects.create(platform=platform, slug_fr="bloquer", title_fr="Bloquer")
    assert (guide.slug_en, untranslated.slug_en) == ("log-out", "bloquer")
    # When that slug is taken, the source language's is used instead.
    twin = Guide.objects.create(
        platform=platform, slug_fr="se-deconnecter-partout", title_fr="Partout", title_en="Log out"
    )
    assert twin.slug_en == "se-deconnecter-partout"


def test_an_address_already_used_in_a_language_is_refused_on_the_form(editor_client, platform):
    make_guide(platform, slug="existing", slug_en="taken")
    Platform.objects.create(slug_fr="autre", slug_en="other", name_fr="Autre")
    page = editor_client.get("/admin/guides/guide/add/").content.decode()
    fields = form_fields(page, "guide_form")
    fields.update(
        platform=str(platform.pk),
        title_fr="Nouveau",
        slug_fr="nouveau",
        slug_en="taken",
        summary_fr="Résumé.",
        status="draft",
        estimated_minutes="5",
    )
    response = editor_client.post("/admin/guides/guide/add/", fields)
    assert response.status_code == 200
    assert "Un autre guide de cette plateforme a déjà cette adresse en anglais." in response.content.decode()
    assert not Guide.objects.filter(slug_fr="nouveau").exists()

    with_platform_slug = form_fields(editor_client.get(admin_url(platform)).content.decode(), "platform_form")
    response = editor_client.post(admin_url(platform), {**with_platform_slug, "slug_en": "other"})
    assert response.status_code == 200
    assert "Une autre plateforme a déjà cette adresse en anglais." in response.content.decode()
    assert Platform.objects.get(pk=platform.pk).slug_en == "demo"
