"""The translation workspace: a guide's French and English side by side, what changed in French
since each English text was brought up to date, one save for the whole guide; and the list of
what waits for translators."""

import re

import pytest
from django.test import Client

from guides.models import Device, Guide, Proposal, StepVariant
from tests.admin_pages import admin_url, save_through_admin
from tests.factories import make_guide
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def workspace_url(guide, language="en") -> str:
    return f"{admin_url(guide, 'translate')}{language}/"


@pytest.fixture
def translator(publisher):
    client = Client(**ENGLISH)
    client.force_login(publisher)
    return client


@pytest.fixture
def outdated(translator, guide):
    """Step 2's French body changed after its English was written, through the admin (history
    keeps both versions)."""
    step = guide.steps.get(position=2)
    save_through_admin(translator, step, lambda fields: fields.update(body_en="Do thing **2**, carefully."))
    save_through_admin(translator, step, lambda fields: fields.update(body_fr="Faites la chose **2** puis **3**."))
    step.refresh_from_db()
    assert step.outdated_translations == ["body"]
    return step


def test_the_workspace_shows_both_languages_and_what_changed_in_french(translator, guide, outdated):
    page = translator.get(workspace_url(guide)).content.decode()
    row = re.search(rf'<tr class="is-outdated">.*?name="step-{outdated.pk}-body".*?</tr>', page, re.S).group(0)
    assert "Faites la chose **2** puis **3**." in row  # the French now
    assert "Faites la chose **2<ins>** puis **3</ins>**." in row  # what changed since, word by word
    assert "Do thing **2**, carefully." in row  # the English to update
    assert "to update" in row
    assert f'name="step-{guide.steps.get(position=1).pk}-title"' in page
    assert f'name="guide-{guide.pk}-summary"' in page
    assert 'name="prerequisite-' in page


def test_one_save_updates_every_english_text_and_clears_the_marks(translator, guide, outdated):
    StepVariant.objects.create(step=outdated, device=Device.IOS, body_fr="Sur iPhone.", body_en="")
    fields = form_fields(translator.get(workspace_url(guide)).content.decode(), "translation-form")
    variant = StepVariant.objects.get()
    fields[f"step-{outdated.pk}-body"] = "Do thing **2**, then **3**."
    fields[f"guide-{guide.pk}-conclusion"] = "Well done."
    fields[f"stepvariant-{variant.pk}-body"] = "On an iPhone."
    response = translator.post(workspace_url(guide), fields)
    assert response.status_code == 302
    outdated.refresh_from_db()
    guide.refresh_from_db()
    variant.refresh_from_db()
    assert (outdated.body_en, outdated.outdated_translations) == ("Do thing **2**, then **3**.", [])
    assert (guide.conclusion_en, variant.body_en) == ("Well done.", "On an iPhone.")
    assert outdated.body_fr == "Faites la chose **2** puis **3**."  # French untouched


def test_a_translation_still_right_is_confirmed_without_rewriting_it(translator, guide, outdated):
    fields = form_fields(translator.get(workspace_url(guide)).content.decode(), "translation-form")
    translator.post(workspace_url(guide), {**fields, "up_to_date": f"step-{outdated.pk}-body"})
    outdated.refresh_from_db()
    assert (outdated.body_en, outdated.outdated_translations) == ("Do thing **2**, carefully.", [])


def test_a_workspace_opened_before_someone_saved_saves_nothing(translator, guide, outdated):
    fields = form_fields(translator.get(workspace_url(guide)).content.decode(), "translation-form")
    guide.title_en = "Someone else's title"
    guide.save()
    fields[f"step-{outdated.pk}-body"] = "Mine."
    response = translator.post(workspace_url(guide), fields)
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert "Mine." in response.content.decode()  # kept on the page
    outdated.refresh_from_db()
    assert outdated.body_en == "Do thing **2**, carefully."


def test_an_editor_who_may_not_publish_proposes_the_translation_of_a_published_guide(editor_client, guide):
    step = guide.steps.get(position=1)
    fields = form_fields(editor_client.get(workspace_url(guide)).content.decode(), "translation-form")
    fields[f"step-{step.pk}-title"] = "First step"
    assert editor_client.post(workspace_url(guide), fields).status_code == 302
    step.refresh_from_db()
    assert step.title_en == "Step 1"
    assert Proposal.objects.get().proposed["steps"][0]["title_en"] == "First step"


def test_the_workspace_refuses_the_source_language_and_unknown_guides(translator, guide):
    assert translator.get(workspace_url(guide, "fr")).status_code == 404
    assert translator.get(workspace_url(guide, "de")).status_code == 404
    assert translator.get("/admin/guides/guide/999999/translate/en/").status_code == 404
    assert translator.get("/admin/guides/guide/translations/fr/").status_code == 404


def test_the_list_of_what_to_translate_leads_to_each_workspace(translator, guide, outdated, platform):
    untranslated = make_guide(platform, slug="untranslated", status=Guide.Status.DRAFT, title_en="", summary_en="")
    page = translator.get("/admin/guides/guide/translations/en/").content.decode()
    assert workspace_url(guide) in page and workspace_url(untranslated) in page
    line = re.search(rf'<a href="{workspace_url(untranslated)}">.*?</tr>', page, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", line) == ["2", "0"]  # title and summary missing, none out of date
    index = translator.get("/admin/").content.decode()
    assert "/admin/guides/guide/translations/en/" in index


def test_the_guide_list_counts_steps_whose_english_is_out_of_date(translator, guide, outdated):
    page = translator.get("/admin/guides/guide/").content.decode()
    assert "1 step" in page
