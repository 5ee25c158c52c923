"""The editors' admin: translation tabs and inlines, ordering kept at 1..n, the Editors group."""

import pytest
from django.contrib.auth.models import Group

from guides.groups import EDITORS
from guides.models import Guide, Proposal, Step, StepReport
from guides.ordering import save_in_order
from tests.admin_pages import NO_STEP_INLINES
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db


def change_url(guide) -> str:
    return f"/admin/guides/guide/{guide.pk}/change/"


def steps_in_order(guide) -> list[tuple[int, str]]:
    return list(guide.steps.order_by("position").values_list("position", "title_fr"))


def test_the_guide_change_page_has_tabs_and_inlines(admin_client, guide):
    page = admin_client.get(change_url(guide)).content.decode()
    for field in (
        "title_fr",
        "title_en",
        "summary_en",
        "steps-0-title_fr",
        "steps-2-body_en",
        "prerequisites-0-text_en",
    ):
        assert f'name="{field}"' in page
    assert "modeltranslation/js/tabbed_translation_fields.js" in page
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page
    assert "googleapis" not in page and "//cdn" not in page
    assert "adminsortable2" in page
    assert 'class="viewsitelink"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/admin/guides/platform/{platform}/change/",
        "/admin/guides/step/{step}/change/",
        "/admin/guides/guide/add/",
        "/admin/guides/platform/add/",
        "/admin/guides/step/add/",
    ],
)
def test_other_admin_pages_render_with_translation_fields(admin_client, guide, url):
    page = admin_client.get(url.format(platform=guide.platform.pk, step=guide.steps.first().pk))
    assert page.status_code == 200
    assert "_en" in page.content.decode()


@pytest.mark.parametrize(
    "query",
    ["?q=guide", "?q=Un+guide", "?status__exact=published", "?status__exact=draft", "?platform__id__exact=1"],
)
def test_the_guide_list_can_be_searched_and_filtered(admin_client, guide, query):
    assert admin_client.get(f"/admin/guides/guide/{query}").status_code == 200


def test_the_guide_list_filters_by_status(admin_client, guide):
    assert "Un guide" in admin_client.get("/admin/guides/guide/?status__exact=published").content.decode()
    assert "Un guide" not in admin_client.get("/admin/guides/guide/?status__exact=draft").content.decode()


def submit_guide_form(client, guide, change):
    fields = form_fields(client.get(change_url(guide)).content.decode(), "guide_form")
    change(fields)
    return client.post(change_url(guide), fields)


def test_a_reorder_saved_in_the_admin_keeps_positions_one_to_n(admin_client, guide):
    def swap_first_two(fields):
        fields["steps-0-position"], fields["steps-1-position"] = "2", "1"

    response = submit_guide_form(admin_client, guide, swap_first_two)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert steps_in_order(guide) == [(1, "Étape 2"), (2, "Étape 1"), (3, "Étape 3")]


def test_a_moved_step_keeps_its_edit_and_others_are_not_touched(admin_client, guide):
    untouched = guide.steps.get(position=2)

    def move_last_first_and_edit(fields):
        fields["steps-2-position"], fields["steps-0-position"], fields["steps-1-position"] = "1", "2", "3"
        fields["steps-2-title_en"] = "Step three, edited"

    assert submit_guide_form(admin_client, guide, move_last_first_and_edit).status_code == 302
    assert steps_in_order(guide) == [(1, "Étape 3"), (2, "Étape 1"), (3, "Étape 2")]
    assert guide.steps.get(position=1).title_en == "Step three, edited"
    assert Step.objects.get(pk=untouched.pk).updated_at == untouched.updated_at


def test_deleting_a_step_closes_the_gap(admin_client, guide):
    def delete_the_first(fields):
        fields["steps-0-DELETE"] = "on"

    assert submit_guide_form(admin_client, guide, delete_the_first).status_code == 302
    assert steps_in_order(guide) == [(1, "Étape 2"), (2, "Étape 3")]


def test_a_new_step_is_added_at_the_end(admin_client, guide):
    def add_one(fields):
        fields["steps-TOTAL_FORMS"] = "4"
        fields.update({"steps-3-title_fr": "Nouvelle", "steps-3-title_en": "New", "steps-3-surface": "email"})

    assert submit_guide_form(admin_client, guide, add_one).status_code == 302
    assert steps_in_order(guide)[-1] == (4, "Nouvelle")


def test_the_editors_group_can_edit_content_but_not_people(editor_client, guide):
    step = guide.steps.get(position=1)
    url = f"/admin/guides/step/{step.pk}/change/"
    fields = form_fields(editor_client.get(url).content.decode(), "step_form")
    fields["title_en"] = "Edited by an editor"
    assert editor_client.post(url, fields).status_code == 302
    step.refresh_from_db()
    assert step.title_en == "Step 1"  # the guide is published: the change waits for a publisher
    proposed = Proposal.objects.get(guide=guide).proposed["steps"][0]
    assert (proposed["title_en"], proposed["title_fr"]) == ("Edited by an editor", "Étape 1")

    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    assert editor_client.get(change_url(guide)).status_code == 200


def test_the_editors_group_holds_exactly_the_content_permissions():
    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    content = {
        f"{action}_{model}"
        for model in ("platform", "guide", "prerequisite", "step", "stepvariant", "screenshot")
        for action in ("add", "change", "delete", "view")
    }
    feedback = {"view_stepreport", "change_stepreport", "view_guidevote", "view_missedsearch", "change_missedsearch"}
    feedback |= {"view_proposal", "view_guideconfirmation"}
    assert codenames == content | feedback


def test_guides_are_public_only_when_published():
    assert set(Guide.objects.published().values_list("slug", flat=True)) == {"dissocier-tiktok-for-business"}


def test_a_readers_report_reaches_the_admin_read_only(editor_client, guide):
    step = guide.steps.get(position=2)
    report = StepReport.objects.create(
        step=step,
        language="en",
        problem=StepReport.Problem.MISSING,
        seen_instead="No such menu",
        device=StepReport.Device.IOS,
        reader_key="k" * 32,
    )
    listing = editor_client.get("/admin/guides/stepreport/?status__exact=new").content.decode()
    assert "Étape 2" in listing and "Un guide" in listing
    page = editor_client.get(f"/admin/guides/stepreport/{report.pk}/change/").content.decode()
    assert "No such menu" in page
    assert 'name="seen_instead"' not in page  # what the reader wrote is shown, not editable
    assert 'name="status"' in page
    assert editor_client.get("/admin/guides/stepreport/add/").status_code == 403


def test_a_stale_guide_form_never_leaves_a_step_out_of_numbering(admin_client, guide):
    url = f"/admin/guides/guide/{guide.pk}/change/"
    stale = form_fields(admin_client.get(url).content.decode(), "guide_form")
    # Meanwhile a step is added from the step admin.
    added = admin_client.post(
        "/admin/guides/step/add/",
        {
            "guide": guide.pk,
            "title_fr": "Ajoutée",
            "title_en": "Added",
            "surface": "app",
            **NO_STEP_INLINES,
        },
    )
    assert added.status_code == 302
    assert steps_in_order(guide)[-1] == (4, "Ajoutée")

    admin_client.post(url, stale)  # saved or refused as a conflict: either way, numbers stay 1..n

    assert [position for position, _title in steps_in_order(guide)] == [1, 2, 3, 4]
    assert "Ajoutée" in [title for _position, title in steps_in_order(guide)]


def test_siblings_the_caller_did_not_know_of_are_numbered_after_the_others(guide):
    first, second, _third = guide.steps.order_by("position")
    save_in_order(guide.steps.all(), ordered=[second, first])  # ``third`` was not in the form
    assert steps_in_order(guide) == [(1, "Étape 2"), (2, "Étape 1"), (3, "Étape 3")]
