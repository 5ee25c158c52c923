"""Help for editors: a live preview of a step's Markdown, history that names fields as editors
know them in their own language, and a step's own edits in its guide's history."""

import re

import pytest
from django.test import Client

from tests.admin_pages import admin_url, save_through_admin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editors_publish")]

PREVIEW = "/admin/guides/step/preview/"


def test_the_preview_renders_a_body_as_readers_see_it_sanitised(editor_client):
    text = "Touchez `Profil`, puis **Modifier**.\n\n<script>alert(1)</script> [lien](javascript:alert(1))"
    response = editor_client.post(PREVIEW, {"body_fr": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<code>Profil</code>" in html and "<strong>Modifier</strong>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, as on the guide page
    assert "href=" not in html  # a javascript: link is no link


def test_the_preview_takes_posts_from_signed_in_editors_only(editor_client, editor):
    assert editor_client.get(PREVIEW).status_code == 405
    assert Client().post(PREVIEW, {"body_fr": "x"}).status_code == 302  # to the sign-in page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(PREVIEW, {"body_fr": "x"}).status_code == 403


def test_step_bodies_have_a_preview_in_every_language(editor_client, guide):
    page = editor_client.get(admin_url(guide.steps.first())).content.decode()
    for field in ("body_fr", "body_en"):
        textarea = re.search(rf'<textarea[^>]*name="{field}"[^>]*>', page).group(0)
        assert f'hx-post="{PREVIEW}"' in textarea
    for field in ("body_fr", "body_en"):
        assert re.search(rf'name="{field}"[^>]*>[^<]*</textarea><div class="markdown-preview"', page)
    assert "django_htmx/htmx-2.min" in page and "guides/admin" in page
    assert 'data-move-up="' in page
    guide_page = editor_client.get(admin_url(guide)).content.decode()
    assert guide_page.count(f'hx-post="{PREVIEW}"') == 2 * (guide.steps.count() + 1)  # and a new step's template


def test_history_names_fields_by_their_label_in_the_readers_language(editor, guide):
    step = guide.steps.first()
    french, english = Client(HTTP_ACCEPT_LANGUAGE="fr"), Client(HTTP_ACCEPT_LANGUAGE="en")
    for client in (french, english):
        client.force_login(editor)
    save_through_admin(french, step, lambda fields: fields.update(title_en="First step", body_fr="Nouveau."))
    in_english = english.get(admin_url(step, "history")).content.decode()
    assert "Changed Title (English) and Body (French) for step “Étape 1”." in in_english
    in_french = french.get(admin_url(step, "history")).content.decode()
    assert "Titre (anglais) et Contenu (français)" in in_french
    assert "[fr]" not in in_english and "body_fr" not in in_english
    # The step's own page saves show in its guide's history, naming the step.
    assert "for step “Étape 1”" in english.get(admin_url(guide, "history")).content.decode()


def test_a_guide_form_save_names_the_steps_it_changed(editor, guide):
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(editor)
    save_through_admin(
        english, guide, lambda fields: fields.update({"steps-1-body_en": "Changed.", "title_fr": "Titre"})
    )
    history = english.get(admin_url(guide, "history")).content.decode()
    assert "Changed Title (French)." in history
    assert "Changed Body (English) for step “Step 2”." in history  # named as the editor saw it
