"""History with django-reversion: every admin change is a version holding both languages, a
restore brings both back (children included) with positions kept at 1..n, and two versions
can be compared field by field."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from reversion.models import Version

from guides.models import Guide, Step, StepCompletion
from tests.admin_pages import admin_url, post_restore_page, restore, save_through_admin, steps_in_order, versions_of
from tests.factories import make_guide
from tests.html_forms import form_fields

# What editors save applies at once here; reviews of changes are tested in test_proposals.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editors_publish")]

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def compare_url(obj, before, after) -> str:
    return f"{admin_url(obj, 'history')}compare/?from={before.pk}&to={after.pk}"


def serialized_fields(version) -> dict:
    return json.loads(version.serialized_data)[0]["fields"]


@pytest.mark.parametrize(
    ("target", "edit", "expected"),
    [
        ("platform", {"name_en": "Demo, edited"}, {"name_fr": "Démo", "name_en": "Demo, edited"}),
        ("guide", {"title_en": "A guide, edited"}, {"title_fr": "Un guide", "title_en": "A guide, edited"}),
        ("step", {"title_fr": "Étape modifiée"}, {"title_fr": "Étape modifiée", "title_en": "Step 1"}),
    ],
)
def test_it_keeps_a_version_of_each_admin_change_with_its_author_and_both_languages(
    editor_client, editor, guide, target, edit, expected
):
    obj = {"platform": guide.platform, "guide": guide, "step": guide.steps.get(position=1)}[target]
    before = timezone.now()
    save_through_admin(editor_client, obj, lambda fields: fields.update(edit))

    [version] = versions_of(obj)
    assert version.revision.user == editor
    assert before <= version.revision.date_created <= timezone.now()
    stored = serialized_fields(version)
    assert {name: stored[name] for name in expected} == expected


def test_a_guide_version_holds_its_steps_and_prerequisites_in_both_languages(editor_client, guide):
    save_through_admin(editor_client, guide)

    [version] = versions_of(guide)
    held = {(v.content_type.model, v.object_id): serialized_fields(v) for v in version.revision.version_set.all()}
    for step in guide.steps.all():
        assert held[("step", str(step.pk))]["title_fr"] == step.title_fr
        assert held[("step", str(step.pk))]["body_en"] == step.body_en
    prerequisite = guide.prerequisites.get()
    assert held[("prerequisite", str(prerequisite.pk))]["text_en"] == "A phone"


def test_restoring_a_guide_brings_back_both_languages_of_the_guide_and_its_children(editor_client, guide):
    save_through_admin(editor_client, guide)

    def rewrite_everything(fields):
        fields.update(
            {
                "title_fr": "Titre réécrit",
                "title_en": "Rewritten title",
                "summary_en": "Rewritten summary.",
                "steps-0-title_fr": "Étape réécrite",
                "steps-0-title_en": "Rewritten step",
                "steps-1-body_en": "Rewritten body.",
                "prerequisites-0-text_fr": "Un ordinateur",
                "prerequisites-0-text_en": "A computer",
            }
        )

    save_through_admin(editor_client, guide, rewrite_everything)
    first = versions_of(guide)[0]

    restore(editor_client, guide, first)

    guide.refresh_from_db()
    assert (guide.title_fr, guide.title_en, guide.summary_en) == ("Un guide", "A guide", "Summary of the guide.")
    assert steps_in_order(guide) == [(1, "Étape 1", "Step 1"), (2, "Étape 2", "Step 2"), (3, "Étape 3", "Step 3")]
    assert guide.steps.get(position=2).body_en == "Do thing **2**."
    assert list(guide.prerequisites.values_list("text_fr", "text_en")) == [("Un téléphone", "A phone")]
    assert len(versions_of(guide)) == 3  # the restore is itself a version


def test_restoring_an_order_from_before_a_reorder_keeps_positions_one_to_n(editor_client, guide):
    save_through_admin(editor_client, guide)

    def last_first(fields):
        fields["steps-2-position"], fields["steps-0-position"], fields["steps-1-position"] = "1", "2", "3"

    save_through_admin(editor_client, guide, last_first)
    assert [title for _, title, _ in steps_in_order(guide)] == ["Étape 3", "Étape 1", "Étape 2"]

    restore(editor_client, guide, versions_of(guide)[0])

    assert steps_in_order(guide) == [(1, "Étape 1", "Step 1"), (2, "Étape 2", "Step 2"), (3, "Étape 3", "Step 3")]


def test_a_version_holds_the_positions_children_were_saved_at(editor_client, guide):
    def swap_first_two(fields):
        fields["steps-0-position"], fields["steps-1-position"] = "2", "1"

    save_through_admin(editor_client, guide, swap_first_two)

    [version] = versions_of(guide)
    held = {
        int(v.object_id): v.field_dict["position"]
        for v in version.revision.version_set.all()
        if v.content_type.model == "step"
    }
    for step in guide.steps.all():
        assert held[step.pk] == step.position


def test_restoring_the_version_saved_by_a_reorder_brings_that_order_back(editor_client, guide):
    def swap_first_two(fields):
        fields["steps-0-position"], fields["steps-1-position"] = "2", "1"

    save_through_admin(editor_client, guide, swap_first_two)
    reordered = versions_of(guide)[0]
    save_through_admin(editor_client, guide, swap_first_two)
    assert [title for _, title, _ in steps_in_order(guide)] == ["Étape 1", "Étape 2", "Étape 3"]

    restore(editor_client, guide, reordered)

    assert steps_in_order(guide) == [(1, "Étape 2", "Step 2"), (2, "Étape 1", "Step 1"), (3, "Étape 3", "Step 3")]


def test_restoring_removes_steps_added_since_and_brings_back_deleted_ones(editor_client, guide):
    save_through_admin(editor_client, guide)

    def delete_first_and_add_one(fields):
        fields["steps-0-DELETE"] = "on"
        fields["steps-TOTAL_FORMS"] = "4"
        fields.update({"steps-3-title_fr": "Nouvelle", "steps-3-title_en": "New", "steps-3-surface": "app"})

    save_through_admin(editor_client, guide, delete_first_and_add_one)
    assert [title for _, title, _ in steps_in_order(guide)] == ["Étape 2", "Étape 3", "Nouvelle"]

    restore(editor_client, guide, versions_of(guide)[0])

    assert steps_in_order(guide) == [(1, "Étape 1", "Step 1"), (2, "Étape 2", "Step 2"), (3, "Étape 3", "Step 3")]


def test_the_restore_page_changes_nothing_until_it_is_saved(editor_client, guide):
    save_through_admin(editor_client, guide)

    def swap_and_retitle(fields):
        fields["steps-0-position"], fields["steps-1-position"] = "2", "1"
        fields["title_en"] = "Newer"

    save_through_admin(editor_client, guide, swap_and_retitle)
    now = steps_in_order(guide)

    page = editor_client.get(f"{admin_url(guide, 'history')}{versions_of(guide)[0].pk}/")

    assert page.status_code == 200
    shown = form_fields(page.content.decode(), "guide_form")
    assert shown["title_en"] == "A guide"
    assert steps_in_order(guide) == now
    assert Guide.objects.get(pk=guide.pk).title_en == "Newer"


def test_restoring_one_step_puts_it_back_in_place_and_keeps_positions_one_to_n(editor_client, guide):
    step = guide.steps.get(position=1)
    save_through_admin(editor_client, step, lambda fields: fields.update(title_en="First, reworded"))
    step_only = versions_of(step)[0]

    def first_last(fields):
        fields["steps-0-position"], fields["steps-1-position"], fields["steps-2-position"] = "3", "1", "2"
        fields["steps-0-title_en"] = "Moved and reworded"

    save_through_admin(editor_client, guide, first_last)
    assert guide.steps.get(pk=step.pk).position == 3

    restore(editor_client, step, step_only)

    assert steps_in_order(guide) == [
        (1, "Étape 1", "First, reworded"),
        (2, "Étape 2", "Step 2"),
        (3, "Étape 3", "Step 3"),
    ]


def test_the_history_page_offers_to_compare_two_versions(editor_client, guide):
    save_through_admin(editor_client, guide)
    save_through_admin(editor_client, guide, lambda fields: fields.update(title_en="Newer"))
    first, second = versions_of(guide)

    page = editor_client.get(admin_url(guide, "history"), **ENGLISH).content.decode()

    assert f'action="{admin_url(guide, "history")}compare/"' in page
    assert f'name="from" value="{first.pk}" aria-label="Compare from this version" checked' in page
    assert f'name="to" value="{second.pk}" aria-label="Compare with this version" checked' in page
    assert f'href="{admin_url(guide, "history")}{first.pk}/"' in page  # restore stays one click away
    assert 'value="Compare"' in page


def test_the_compare_page_shows_each_changed_field_with_its_language_and_a_word_diff(editor_client, guide):
    save_through_admin(editor_client, guide)

    def edit(fields):
        fields["title_en"] = "A much better guide"
        fields["steps-1-body_fr"] = "Faites l'autre chose."

    save_through_admin(editor_client, guide, edit)
    first, second = versions_of(guide)

    page = editor_client.get(compare_url(guide, first, second), **ENGLISH)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Title [en]" in html
    assert '<td class="before">A guide</td>' in html
    assert '<td class="after">A much better guide</td>' in html
    assert "A <ins>much better </ins>guide" in html
    assert "Title [fr]" not in html and "Summary [en]" not in html  # unchanged fields are left out
    assert "Step “Étape 2”: Changed" in html
    assert "Body [fr]" in html
    assert "<del>la</del><ins>l&#x27;autre</ins>" in html


def test_the_compare_page_escapes_what_editors_wrote(editor_client, guide):
    save_through_admin(editor_client, guide)
    save_through_admin(editor_client, guide, lambda fields: fields.update(title_en="<script>alert(1)</script>"))
    first, second = versions_of(guide)

    html = editor_client.get(compare_url(guide, first, second)).content.decode()

    assert "<script>alert" not in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html


def test_the_compare_page_lists_steps_added_and_removed(editor_client, guide):
    save_through_admin(editor_client, guide)

    def delete_last_and_add_one(fields):
        fields["steps-2-DELETE"] = "on"
        fields["steps-TOTAL_FORMS"] = "4"
        fields.update({"steps-3-title_fr": "Nouvelle", "steps-3-title_en": "New", "steps-3-surface": "app"})

    save_through_admin(editor_client, guide, delete_last_and_add_one)
    first, second = versions_of(guide)

    html = editor_client.get(compare_url(guide, first, second), **ENGLISH).content.decode()

    assert "Step “Étape 3”: Removed" in html
    assert "Step “Nouvelle”: Added" in html
    assert "Step “Étape 1”" not in html  # unchanged


def test_a_platform_and_a_step_can_be_compared_too(editor_client, guide):
    step = guide.steps.get(position=1)
    for obj, field in ((guide.platform, "name_en"), (step, "title_en")):
        save_through_admin(editor_client, obj)
        save_through_admin(editor_client, obj, lambda fields, field=field: fields.update({field: "Changed"}))
        first, second = versions_of(obj)
        html = editor_client.get(compare_url(obj, first, second), **ENGLISH).content.decode()
        assert '<td class="after">Changed</td>' in html


def test_a_step_compared_from_guide_saves_shows_only_the_step(editor_client, guide):
    save_through_admin(editor_client, guide)

    def edit_title_and_second_step(fields):
        fields["title_en"] = "Newer"
        fields["steps-0-title_en"] = "First, reworded"
        fields["steps-1-title_en"] = "Second, reworded"

    save_through_admin(editor_client, guide, edit_title_and_second_step)
    step = guide.steps.get(position=1)
    first, second = versions_of(step)

    html = editor_client.get(compare_url(step, first, second), **ENGLISH).content.decode()

    assert '<td class="after">First, reworded</td>' in html
    assert "Second, reworded" not in html and "Newer" not in html


def test_comparing_needs_permission_to_view_the_object(client, django_user_model, guide):
    save_through_admin_as_superuser(client, django_user_model, guide)
    first, second = versions_of(guide)
    nobody = django_user_model.objects.create_user("nobody", password="x-long-password-1", is_staff=True)
    client.force_login(nobody)
    assert client.get(compare_url(guide, first, second)).status_code == 403

    nobody.user_permissions.add(Permission.objects.get(codename="view_guide"))
    assert client.get(compare_url(guide, first, second)).status_code == 200


def save_through_admin_as_superuser(client, django_user_model, guide):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "a-long-password-42")
    client.force_login(boss)
    save_through_admin(client, guide)
    save_through_admin(client, guide, lambda fields: fields.update(title_en="Newer"))
    client.logout()


def test_comparing_refuses_versions_of_another_object(editor_client, guide, platform):
    other = make_guide(platform, slug="other")
    save_through_admin(editor_client, guide)
    save_through_admin(editor_client, other)
    [mine], [theirs] = versions_of(guide), versions_of(other)

    response = editor_client.get(compare_url(guide, mine, theirs), **ENGLISH)

    assert response.status_code == 400
    assert "Choose two versions of this object to compare." in response.content.decode()


@pytest.mark.parametrize("query", ["", "?from=1", "?from=x&to=y"])
def test_comparing_without_two_versions_is_refused_with_a_message(editor_client, guide, query):
    response = editor_client.get(f"{admin_url(guide, 'history')}compare/{query}", **ENGLISH)
    assert response.status_code == 400
    assert "Choose two versions" in response.content.decode()


def test_comparing_an_unknown_object_is_not_found(editor_client, guide):
    assert editor_client.get("/admin/guides/guide/999999/history/compare/?from=1&to=2").status_code == 404


def add_a_fourth_step(fields):
    fields["steps-TOTAL_FORMS"] = "4"
    fields.update({"steps-3-title_fr": "Nouvelle", "steps-3-title_en": "New", "steps-3-surface": "app"})


def test_a_restore_that_removes_steps_readers_used_asks_first(editor_client, guide):
    save_through_admin(editor_client, guide)

    save_through_admin(editor_client, guide, add_a_fourth_step)
    added = guide.steps.get(title_fr="Nouvelle")
    StepCompletion.objects.create(reader_key="r" * 32, step=added)
    url = f"{admin_url(guide, 'history')}{versions_of(guide)[0].pk}/"

    page = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Steps this restore removes" in page
    assert "Step 4, “New”: 1 reader marked it done, 0 reports" in page

    refused = post_restore_page(editor_client, url, "guide")
    assert refused.status_code == 302 and refused["Location"] == url
    assert guide.steps.filter(pk=added.pk).exists()

    restored = post_restore_page(editor_client, url, "guide", confirm_removal=str(added.pk))
    assert restored.status_code == 302 and restored["Location"] != url
    assert not guide.steps.filter(pk=added.pk).exists()
    assert steps_in_order(guide) == [(1, "Étape 1", "Step 1"), (2, "Étape 2", "Step 2"), (3, "Étape 3", "Step 3")]


def test_a_restore_that_removes_only_unused_steps_needs_no_confirmation(editor_client, guide):
    save_through_admin(editor_client, guide)

    save_through_admin(editor_client, guide, add_a_fourth_step)
    page = editor_client.get(f"{admin_url(guide, 'history')}{versions_of(guide)[0].pk}/").content.decode()
    assert "confirm_removal" not in page


def test_a_restore_page_opened_before_someone_saved_restores_nothing(editor_client, guide):
    save_through_admin(editor_client, guide)
    url = f"{admin_url(guide, 'history')}{versions_of(guide)[0].pk}/"
    stale = form_fields(editor_client.get(url).content.decode(), "guide_form")
    save_through_admin(editor_client, guide, lambda fields: fields.update(summary_en="Saved meanwhile."))

    refused = editor_client.post(url, stale, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 302 and refused["Location"] == url
    assert Guide.objects.get(pk=guide.pk).summary_en == "Saved meanwhile."
    page = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Someone saved this page after you opened this version" in page
    assert editor_client.post(url, form_fields(page, "guide_form")).status_code == 302
    assert Guide.objects.get(pk=guide.pk).summary_en == "Summary of the guide."


def test_recovering_a_step_whose_guide_is_gone_is_refused_with_a_message(editor_client, platform):
    draft = make_guide(platform, slug="draft", status=Guide.Status.DRAFT)
    step = draft.steps.get(position=1)
    save_through_admin(editor_client, step)
    assert editor_client.post(admin_url(step, "delete"), {"post": "yes"}).status_code == 302
    assert editor_client.post(admin_url(draft, "delete"), {"post": "yes"}).status_code == 302
    [deleted] = Version.objects.get_deleted(Step).filter(object_id=str(step.pk))

    url = f"/admin/guides/step/recover/{deleted.pk}/"
    for response in (editor_client.get(url, HTTP_ACCEPT_LANGUAGE="en"), editor_client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"] == "/admin/guides/step/"
    assert (
        "could not be restored" in editor_client.get("/admin/guides/step/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert not Step.objects.filter(pk=step.pk).exists()


def test_texts_too_long_to_compare_word_by_word_are_shown_whole():
    from guides.admin.version_diff import WORD_DIFF_LIMIT, word_diff

    long_text = "mot " * WORD_DIFF_LIMIT
    assert word_diff(long_text, long_text + "fin") == f"<del>{long_text}</del><ins>{long_text}fin</ins>"
    assert word_diff("un deux", "un trois") == "un <del>deux</del><ins>trois</ins>"
