"""The publishing rule: an editor without "publish guides" never changes whether a guide is
public, by any admin entry point: the change form, actions, deletion, restoring or recovering a
version from the guide's, a step's or a platform's history. Publishers can do all of it."""

import pytest
import reversion
from reversion.models import Version

from guides.models import Guide, Platform
from guides.publishing import PublishingDenied, publishing_guard
from tests.admin_pages import admin_url, post_restore_page, save_through_admin, versions_of
from tests.factories import make_guide
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db

DENIED = "Only publishers may publish, unpublish or archive a guide"


def set_status(client, guide, status):
    save_through_admin(client, guide, lambda fields: fields.update(status=status))


def form_of(client, guide) -> dict:
    return form_fields(client.get(admin_url(guide)).content.decode(), "guide_form")


def status_of(guide) -> str:
    return Guide.objects.get(pk=guide.pk).status


def revision_url(obj, version) -> str:
    return f"{admin_url(obj, 'history')}{version.pk}/"


def test_restoring_a_guide_version_that_was_published_is_refused(editor_client, publisher_client, platform):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    set_status(publisher_client, guide, "published")
    set_status(publisher_client, guide, "draft")
    published = versions_of(guide)[0]
    assert published.field_dict["status"] == "published"

    page = editor_client.get(revision_url(guide, published))
    assert page.status_code == 200
    assert "Only publishers may do that" in page.content.decode()

    response = post_restore_page(editor_client, revision_url(guide, published), "guide")
    assert response.status_code == 403
    assert DENIED in response.content.decode()
    assert status_of(guide) == Guide.Status.DRAFT
    assert "successfully" not in response.content.decode()
    assert "successfully" not in editor_client.get("/admin/guides/guide/").content.decode()


def test_restoring_a_guide_version_that_was_a_draft_does_not_unpublish(editor_client, publisher_client, platform):
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    set_status(publisher_client, guide, "in_review")
    draft = versions_of(guide)[0]
    set_status(publisher_client, guide, "published")

    response = post_restore_page(editor_client, revision_url(guide, draft), "guide")
    assert response.status_code == 403
    assert status_of(guide) == Guide.Status.PUBLISHED


def test_restoring_a_step_restores_the_step_only_not_its_guide(editor_client, publisher_client, platform):
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    step = guide.steps.get(position=1)
    # A publisher publishes through the guide form: that revision holds the guide and its steps.
    save_through_admin(
        publisher_client, guide, lambda fields: fields.update({"status": "published", "steps-0-title_en": "Old"})
    )
    set_status(publisher_client, guide, "draft")
    from_publishing = versions_of(step)[0]
    assert {v.content_type.model for v in from_publishing.revision.version_set.all()} >= {"guide", "step"}

    response = post_restore_page(editor_client, revision_url(step, from_publishing), "step")

    assert response.status_code == 302
    assert status_of(guide) == Guide.Status.DRAFT
    assert guide.steps.get(pk=step.pk).title_en == "Old"


def test_a_version_of_another_model_cannot_be_opened_from_a_history_address(editor_client, publisher_client, guide):
    set_status(publisher_client, guide, "draft")
    published = versions_of(guide)[0]
    Platform.objects.filter(pk=guide.pk).exists() or Platform.objects.create(pk=guide.pk, slug="same-id", name_fr="Id")
    # The guide's id read as a platform's or a step's: reversion would revert the guide's revision.
    for model_name in ("platform", "step"):
        url = f"/admin/guides/{model_name}/{guide.pk}/history/{published.pk}/"
        assert editor_client.get(url).status_code == 404
        assert editor_client.post(url, {}).status_code == 404
    assert status_of(guide) == Guide.Status.DRAFT


def test_recovering_a_deleted_published_guide_is_refused(editor_client, publisher_client, platform):
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    set_status(publisher_client, guide, "published")
    assert publisher_client.post(admin_url(guide, "delete"), {"post": "yes"}).status_code == 302
    [deleted] = Version.objects.get_deleted(Guide)

    for url in (f"/admin/guides/guide/recover/{deleted.pk}/", f"/admin/guides/guide/{guide.pk}/history/{deleted.pk}/"):
        response = post_restore_page(editor_client, url, "guide")
        assert response.status_code == 403, url
        assert not Guide.objects.filter(pk=guide.pk).exists()

    response = post_restore_page(publisher_client, f"/admin/guides/guide/recover/{deleted.pk}/", "guide")
    assert response.status_code == 302
    assert status_of(guide) == Guide.Status.PUBLISHED
    assert guide.steps.count() == 3


def test_restoring_one_guide_of_a_shared_revision_leaves_the_other_guide_alone(
    editor_client, publisher_client, platform
):
    first = make_guide(platform, slug="first")
    second = make_guide(platform, slug="second", status=Guide.Status.DRAFT)
    # "Mark as verified" on both guides makes one revision holding both.
    response = publisher_client.post(
        "/admin/guides/guide/", {"action": "mark_verified", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    shared = versions_of(second)[0]
    held_guides = {v.object_id for v in shared.revision.version_set.all() if v.content_type.model == "guide"}
    assert held_guides == {str(first.pk), str(second.pk)}
    set_status(publisher_client, first, "draft")

    response = post_restore_page(editor_client, revision_url(second, shared), "guide")

    assert response.status_code == 302
    assert status_of(first) == Guide.Status.DRAFT


def test_an_editor_cannot_publish_through_the_change_form(editor_client, platform):
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    fields_page = editor_client.get(admin_url(guide)).content.decode()
    assert 'value="published"' not in fields_page
    save_through_admin(editor_client, guide, lambda fields: fields.update(status="published"))
    assert status_of(guide) == Guide.Status.DRAFT  # the status is not theirs to set
    save_through_admin(editor_client, guide, lambda fields: fields.update(_submit_for_review="1"))
    assert status_of(guide) == Guide.Status.IN_REVIEW


def test_an_editor_cannot_delete_a_published_guide_by_any_route(editor_client, guide):
    assert editor_client.post(admin_url(guide, "delete"), {"post": "yes"}).status_code == 403
    editor_client.post(
        "/admin/guides/guide/", {"action": "delete_selected", "_selected_action": [guide.pk], "post": "yes"}
    )
    assert Guide.objects.filter(pk=guide.pk).exists()


def test_actions_that_keep_the_publication_are_open_to_editors(editor_client, guide):
    response = editor_client.post("/admin/guides/guide/", {"action": "mark_verified", "_selected_action": [guide.pk]})
    assert response.status_code == 302
    assert Guide.objects.get(pk=guide.pk).last_verified_on is not None


def test_the_guard_undoes_any_change_of_publication_by_an_editor(editor, publisher, platform):
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    with pytest.raises(PublishingDenied), publishing_guard(editor):
        Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.PUBLISHED)
        guide.steps.update(title_en="Changed in the same request")
    assert status_of(guide) == Guide.Status.DRAFT
    assert not guide.steps.filter(title_en="Changed in the same request").exists()

    with publishing_guard(editor):
        Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.IN_REVIEW)
    with publishing_guard(publisher):
        Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.PUBLISHED)
    assert status_of(guide) == Guide.Status.PUBLISHED


def test_a_publisher_restores_a_published_version(publisher_client, platform):
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    set_status(publisher_client, guide, "published")
    set_status(publisher_client, guide, "draft")
    response = post_restore_page(publisher_client, revision_url(guide, versions_of(guide)[0]), "guide")
    assert response.status_code == 302
    assert status_of(guide) == Guide.Status.PUBLISHED


def test_an_editor_cannot_move_a_published_guide_to_another_address(editor_client, guide):
    hidden = Platform.objects.create(slug="hidden", name_fr="Cachée")
    for change in ({"platform": str(hidden.pk)}, {"slug_fr": "ailleurs"}, {"slug_en": "elsewhere"}):
        response = editor_client.post(admin_url(guide), {**form_of(editor_client, guide), **change})
        assert response.status_code == 403
    stored = Guide.objects.get(pk=guide.pk)
    assert (stored.platform_id, stored.slug_fr, stored.slug_en) == (guide.platform_id, guide.slug_fr, guide.slug_en)
    assert editor_client.get("/fr/hidden/").status_code == 404


def test_restoring_a_platform_restores_the_platform_only_not_guides_saved_with_it(
    editor_client, publisher_client, guide
):
    # A revision holding the platform and one of its guides, as a script or an older admin made.
    with reversion.create_revision():
        Platform.objects.get(pk=guide.platform_id).save()
        Guide.objects.get(pk=guide.pk).save()
    [shared] = versions_of(guide.platform)
    set_status(publisher_client, guide, "draft")

    response = post_restore_page(editor_client, revision_url(guide.platform, shared), "platform")

    assert response.status_code == 302
    assert status_of(guide) == Guide.Status.DRAFT
