"""Interface labels: listed per platform and language with the steps that quote them, and
renamed everywhere at once when the app renames one: previewed, then one change in history,
the other language marked out of date rather than changed."""

import pytest
from reversion.models import Version

from guides.models import Device, Platform, Proposal, Step, StepVariant
from tests.factories import make_guide, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted(platform):
    """`Paramètres` quoted by two steps of one guide, a step of another and an iPhone variant."""
    one, two = make_guide(platform, slug="one"), make_guide(platform, slug="two")
    bodies = {
        (one, 1): "Touchez `Paramètres` puis `Compte`.",
        (one, 3): "Revenez aux `Paramètres`.",
        (two, 2): "Ouvrez `Paramètres`.",
    }
    for (guide, position), body in bodies.items():
        Step.objects.filter(guide=guide, position=position).update(body_fr=body, body_en="Tap `Settings`.")
    StepVariant.objects.create(
        step=two.steps.get(position=1), device=Device.IOS, body_fr="Sur iPhone : `Paramètres`.", body_en="`Settings`"
    )
    other = Platform.objects.create(slug="other", name_fr="Autre", name_en="Other")
    untouched = make_guide(other, slug="elsewhere")
    Step.objects.filter(guide=untouched, position=1).update(body_fr="`Paramètres` ailleurs.")
    return one, two


def labels_url(platform, language="fr"):
    return f"/admin/guides/platform/{platform.pk}/labels/{language}/"


def test_labels_are_listed_with_the_steps_that_quote_them(publisher_client, platform, quoted):
    page = publisher_client.get(labels_url(platform)).content.decode()
    assert "<code>Paramètres</code>" in page and "<code>Compte</code>" in page
    row = page.split("<code>Paramètres</code>")[1].split("</tr>")[0]
    assert row.count("<li>") == 4  # three steps and a variant, of this platform only
    english = publisher_client.get(labels_url(platform, "en")).content.decode()
    assert "<code>Settings</code>" in english and "Paramètres" not in english


def test_a_rename_is_previewed_then_changes_exactly_those_texts_in_one_version(publisher_client, platform, quoted):
    url = f"{labels_url(platform)}rename/"
    preview = publisher_client.get(url, {"old": "Paramètres", "new": "Réglages"}).content.decode()
    assert preview.count('<td class="diff">') == 4
    assert "<del>`Paramètres`</del>" in preview or "<del>Paramètres" in preview
    assert Step.objects.filter(body_fr__contains="Réglages").count() == 0  # a preview changes nothing

    assert publisher_client.post(url, {"old": "Paramètres", "new": "Réglages"}).status_code == 302
    renamed = Step.objects.filter(guide__platform=platform, body_fr__contains="`Réglages`")
    assert renamed.count() == 3
    assert Step.objects.filter(body_fr__contains="`Paramètres`").count() == 1  # the other platform's
    assert StepVariant.objects.get().body_fr == "Sur iPhone : `Réglages`."
    for step in renamed:
        assert (step.body_en, step.outdated_translations) == ("Tap `Settings`.", ["body"])
    assert Step.objects.get(guide__slug_fr="one", position=1).body_fr == "Touchez `Réglages` puis `Compte`."
    revisions = {version.revision_id for step in renamed for version in Version.objects.get_for_object(step)}
    assert len(revisions) == 1
    comment = Version.objects.get_for_object(renamed.first()).first().revision.comment
    assert "Paramètres" in comment and "Réglages" in comment


def test_an_editor_who_may_not_publish_proposes_the_rename(editor_client, platform, quoted):
    url = f"{labels_url(platform)}rename/"
    response = editor_client.post(url, {"old": "Paramètres", "new": "Réglages"})
    assert response.status_code == 302
    assert not Step.objects.filter(body_fr__contains="Réglages").exists()
    assert set(Proposal.objects.values_list("guide__slug_fr", flat=True)) == {"one", "two"}


def test_a_renamed_report_leads_to_the_labels_of_its_platform(editor_client, guide):
    report = make_report(guide.steps.first())
    page = editor_client.get(f"/admin/guides/stepreport/{report.pk}/change/").content.decode()
    assert labels_url(guide.platform) in page


def test_the_rename_pages_refuse_unknown_platforms_and_languages(publisher_client, platform):
    assert publisher_client.get(labels_url(platform, "de")).status_code == 404
    assert publisher_client.get("/admin/guides/platform/99999/labels/fr/").status_code == 404
    refused = publisher_client.get(f"{labels_url(platform)}rename/", {"old": "A", "new": "B`"})
    assert "backquote" in refused.content.decode() or "accent grave" in refused.content.decode()
    assert 'id="rename-form"' not in refused.content.decode()
