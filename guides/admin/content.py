"""The editors' admin for content: translation tabs, inline prerequisites and steps ordered by drag and drop,
and a history of every change (django-reversion registers the models here, after
modeltranslation has added the per-language columns, so that a version holds every language).
"""

import reversion
from adminsortable2.admin import (
    SortableAdminBase,
    SortableInlineAdminMixin,
    SortableStackedInline,
    SortableTabularInline,
)
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline
from reversion.admin import VersionAdmin

from guides import app_versions, changes, proposals, reviews, triage
from guides.admin.conflicts import EditConflictMixin
from guides.admin.filters import OutdatedTranslationFilter, ReviewDueFilter
from guides.admin.forms import TEXT_AREAS, GuideAdminForm, OrderedChildForm, StepAdminForm, VerifyActionForm
from guides.admin.funnel import FunnelMixin
from guides.admin.history import HistoryMixin
from guides.admin.labels import LabelsMixin
from guides.admin.transfer import TransferMixin
from guides.admin.translations import TranslationsMixin
from guides.admin.writing import MarkdownPreviewMixin, admin_media, body_widget
from guides.models import (
    Guide,
    Ordered,
    Platform,
    Prerequisite,
    Proposal,
    Screenshot,
    Step,
    StepReport,
    StepVariant,
)
from guides.ordering import lock, save_in_order
from guides.publishing import may_publish, may_set_status
from guides.translation_workspace import target_languages


class OrderedInlineMixin(SortableInlineAdminMixin):
    form = OrderedChildForm
    formfield_overrides = TEXT_AREAS
    extra = 0

    class Media:
        css = {"all": ["guides/admin.css"]}


class PrerequisiteInline(OrderedInlineMixin, TranslationTabularInline):
    model = Prerequisite
    template = SortableTabularInline.template


class StepInline(OrderedInlineMixin, TranslationStackedInline):
    model = Step
    template = SortableStackedInline.template
    fields = ["title", "surface", "body"]
    show_change_link = True  # device variants and screenshots are edited on the step's own page

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(db_field, request, **body_widget(db_field, kwargs))


# A step's variants and screenshots belong to the step's versions. Reversion registers the models
# of an admin's inlines only with the admin's own model, and a step is registered first as the
# guide admin's inline: so these are registered here.
reversion.register(StepVariant)
reversion.register(Screenshot)


class StepVariantInline(TranslationStackedInline):
    model = StepVariant
    formfield_overrides = TEXT_AREAS
    fields = ["device", "title", "body"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(db_field, request, **body_widget(db_field, kwargs))


class ScreenshotInline(admin.TabularInline):
    model = Screenshot
    fields = ["thumbnail", "image", "language", "device", "alt"]
    readonly_fields = ["thumbnail"]
    extra = 0

    class Media:
        css = {"all": ["guides/admin.css"]}

    @admin.display(description=_("preview"))
    def thumbnail(self, screenshot):
        if not screenshot.pk or not screenshot.image:
            return "—"
        sources = screenshot.sources
        return format_html(
            '<a href="{}"><img class="screenshot-thumbnail" src="{}" srcset="{}" sizes="120px" width="{}" height="{}"'
            ' alt="{}" loading="lazy"></a>',
            sources.url,
            sources.url,
            sources.srcset,
            sources.width,
            sources.height,
            screenshot.alt,
        )


def open_reports_of(steps) -> dict[int, str]:
    """The title of each of ``steps`` that has open reports, by step id. Taken before the steps
    are deleted: deleting clears their ids."""
    reported = set(StepReport.objects.open().filter(step__in=steps).values_list("original_step_id", flat=True))
    return {step.pk: step.title for step in steps if step.pk in reported}


def tell_of_reports_kept(model_admin, request, reported: dict[int, str]) -> None:
    """A removed step's reports stay open (see ``StepReport.step``): say where editors find them."""
    for step_id, title in reported.items():
        url = f"{reverse('admin:guides_stepreport_changelist')}?original_step_id={step_id}"
        model_admin.message_user(
            request,
            format_html(
                _('“{}” was removed; its open reports from readers stay open. <a href="{}">See them</a>.'), title, url
            ),
            messages.WARNING,
        )


def outdated_field_names(obj) -> str:
    """The fields whose English is behind, by their names in the editor's language."""
    names = [str(obj._meta.get_field(name).verbose_name) for name in obj.outdated_translations]
    return ", ".join(names) or "—"


@admin.register(Platform)
class PlatformAdmin(LabelsMixin, HistoryMixin, EditConflictMixin, VersionAdmin, TabbedTranslationAdmin):
    formfield_overrides = TEXT_AREAS
    list_display = ["name", "slug", "position", "current_app_version", "guide_count"]
    list_editable = ["position"]
    readonly_fields = ["versions_seen"]

    @admin.display(description=_("latest versions readers used"))
    def versions_seen(self, platform):
        """What to set the current version to: the newest versions readers reported with lately."""
        seen = app_versions.seen_lately(platform)
        return ", ".join(seen) or "—"

    search_fields = ["name_fr", "name_en", "slug_fr", "slug_en"]
    prepopulated_fields = {"slug": ["name"]}  # in each language, from the name in that language

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(guide_count=Count("guides"))

    @admin.display(description=_("guides"), ordering="guide_count")
    def guide_count(self, platform):
        return platform.guide_count


@admin.register(Guide)
class GuideAdmin(
    SortableAdminBase,
    TransferMixin,
    TranslationsMixin,
    FunnelMixin,
    HistoryMixin,
    EditConflictMixin,
    VersionAdmin,
    TabbedTranslationAdmin,
):
    form = GuideAdminForm
    formfield_overrides = TEXT_AREAS
    action_form = VerifyActionForm
    actions = ["mark_verified", "export_guides"]
    list_display = [
        "title",
        "platform",
        "status",
        "step_count",
        "last_verified_on",
        "verified_app_version",
        "translations_to_update",
        "funnel_link",
        "updated_at",
    ]
    list_filter = [ReviewDueFilter, OutdatedTranslationFilter, "platform", "status"]
    list_select_related = ["platform"]
    search_fields = ["title_fr", "title_en", "summary_fr", "summary_en", "slug_fr", "slug_en"]
    prepopulated_fields = {"slug": ["title"]}  # in each language, from the title in that language
    date_hierarchy = "updated_at"
    autocomplete_fields = ["related_guides"]
    inlines = [PrerequisiteInline, StepInline]

    @property
    def media(self):
        return super().media + admin_media()

    fieldsets = [
        (None, {"fields": ["platform", "title", "slug", "summary", "conclusion", "minor_change"]}),
        (_("Publication"), {"fields": ["status", "estimated_minutes", "last_verified_on", "verified_app_version"]}),
        (_("Related guides"), {"fields": ["related_guides"]}),
    ]

    def get_queryset(self, request):
        outdated_steps = Count("steps", filter=~Q(steps__outdated_translations=[]), distinct=True)
        return (
            super()
            .get_queryset(request)
            .annotate(step_count=Count("steps", distinct=True), outdated_steps=outdated_steps)
        )

    # Proposed changes: shown on the guide's page and history; opened in its form to edit further.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        proposal = self._proposal_to_edit(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "editing_proposal": proposal,
            "translation_languages": target_languages(),
        }
        if object_id and proposal is None:
            extra_context["waiting_proposals"] = list(
                Proposal.objects.waiting().filter(guide_id=object_id).select_related("author")
            )
        if proposal is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method in ("GET", "HEAD"):
            # The form shows the guide with the proposal applied, in a transaction undone once
            # the page is rendered: nothing changes until the form is saved.
            with transaction.atomic():
                proposals.apply(proposal)
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if hasattr(response, "render"):
                    response.render()
                transaction.set_rollback(True)
            return response
        # Saved: the proposal, then the form, in the admin's write transaction. A publisher's
        # save applies both; an editor's becomes a new proposal replacing this one.
        proposals.apply(proposal)
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if response.status_code == 302 and may_publish(request.user):
            proposals.approved_by_editing(proposal, request.user)
        return response

    def _proposal_to_edit(self, request, object_id) -> Proposal | None:
        number = request.GET.get("proposal", "")
        if not (object_id and number.isdigit() and len(number) < 12):
            return None
        editable = (
            [Proposal.Status.WAITING]
            if may_publish(request.user)
            else [Proposal.Status.WAITING, Proposal.Status.SENT_BACK]
        )
        found = Proposal.objects.filter(pk=number, guide_id=object_id, status__in=editable).select_related("author")
        if not may_publish(request.user):
            found = found.filter(author=request.user)
        return found.first()

    def history_view(self, request, object_id, extra_context=None):
        waiting = Proposal.objects.filter(guide_id=object_id).select_related("author", "reviewed_by")
        return super().history_view(request, object_id, {**(extra_context or {}), "proposals": list(waiting)})

    # Editors are offered only what they may do; ``guides.publishing`` enforces the rule itself.

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if may_publish(request.user):
            return form
        return type(form.__name__, (form,), {"may_publish": False})

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not may_publish(request.user):
            readonly.append("status")  # editors use the review buttons (guides.reviews)
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not may_set_status(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_publish(request.user):
            actions.pop("delete_selected", None)  # it would not ask about each guide's status
        return actions

    @admin.display(description=_("steps"), ordering="step_count")
    def step_count(self, guide):
        return guide.step_count

    @admin.display(description=_("translations to update"))
    def translations_to_update(self, guide):
        """The guide's own fields, then how many of its steps have English to update."""
        steps = ngettext("%(count)d step", "%(count)d steps", guide.outdated_steps) % {"count": guide.outdated_steps}
        names = outdated_field_names(guide)
        if not guide.outdated_steps:
            return names
        return steps if names == "—" else f"{names} · {steps}"

    @admin.action(description=_("Mark as verified today"), permissions=["change"])
    def mark_verified(self, request, queryset):
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        version = form.cleaned_data["app_version"] if form.is_valid() else ""
        for guide in queryset:
            guide.mark_verified(version)
        self.message_user(request, _("Guides marked as verified today: %(count)d.") % {"count": len(queryset)})

    def save_model(self, request, obj, form, change):
        obj.minor_change = form.cleaned_data.get("minor_change", False)
        stored = Guide.objects.filter(pk=obj.pk).first() if change else None
        action = reviews.chosen(request.POST, request.user, stored)
        if action:
            reviews.apply(action, obj, request.user)
        super().save_model(request, obj, form, change)
        if action:
            request.guide_review = (action, form.cleaned_data.get("review_comment", "").strip())
            reviews.tell(action, obj, request.user, request.guide_review[1])

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if review := getattr(request, "guide_review", None):
            message.append({"review": {"action": review[0], "comment": review[1]}})
        return message

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["review_buttons"] = [(name, reviews.ACTIONS[name][0]) for name in reviews.allowed(request.user, obj)]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.model, Ordered):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        reported = open_reports_of(formset.deleted_objects) if formset.model is Step else {}
        for gone in formset.deleted_objects:
            gone.delete()
        tell_of_reports_kept(self, request, reported)
        kept = [
            f
            for f in formset.forms
            if f not in formset.deleted_forms and (f.instance.pk is not None or f.has_changed())
        ]
        # New rows without a position go last, in the order they were added.
        kept.sort(key=lambda f: (not f.instance.position, f.instance.position or 0, formset.forms.index(f)))
        changed = [f.instance for f in kept if set(f.changed_data) - {"position"}]
        minor = form.cleaned_data.get("minor_change", False)
        for item in changed:
            item.minor_change = minor
        save_in_order(
            formset.model.objects.filter(guide=form.instance), ordered=[f.instance for f in kept], changed=changed
        )
        if not minor and any("position" in f.changed_data for f in kept if f.instance not in changed):
            changes.note_change(form.instance.pk)  # moved only: saved without a signal
        formset.save_m2m()
        if formset.model is Step:
            self._offer_to_fix_reports(request, [item for item in changed if item.pk])

    def _offer_to_fix_reports(self, request, steps):
        reported = Step.objects.filter(pk__in=[s.pk for s in steps], reports__status__in=StepReport.OPEN_STATUSES)
        for step in reported.distinct():
            url = reverse("admin:guides_step_change", args=[step.pk])
            self.message_user(
                request,
                format_html(
                    _('“{}” has open reports from readers. <a href="{}">Open the step to mark them fixed</a>.'),
                    step.title,
                    url,
                ),
                messages.WARNING,
            )


@admin.register(Step)
class StepAdmin(MarkdownPreviewMixin, HistoryMixin, EditConflictMixin, VersionAdmin, TabbedTranslationAdmin):
    form = StepAdminForm
    formfield_overrides = TEXT_AREAS
    list_display = ["title", "guide", "position", "surface", "translations_to_update", "updated_at"]
    list_filter = [OutdatedTranslationFilter, "guide__platform", "surface", "guide"]
    list_select_related = ["guide"]
    search_fields = ["title_fr", "title_en", "body_fr", "body_en"]
    fields = ["guide", "position", "title", "surface", "body", "minor_change"]
    readonly_fields = ["position"]
    inlines = [StepVariantInline, ScreenshotInline]
    change_message_named = True  # "Changed Title (English) for step “…”", in its guide's history too

    @property
    def media(self):
        return super().media + admin_media()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(db_field, request, **body_widget(db_field, kwargs))

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj and obj.reports.open().exists():
            fields.append("mark_reports_fixed")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj and "mark_reports_fixed" in form.base_fields:
            count = obj.reports.open().count()
            form.base_fields["mark_reports_fixed"].label = ngettext(
                "Mark the %(count)d open report on this step as fixed",
                "Mark the %(count)d open reports on this step as fixed",
                count,
            ) % {"count": count}
        return form

    @admin.display(description=_("translations to update"))
    def translations_to_update(self, step):
        return outdated_field_names(step)

    def rows_to_lock(self, obj):
        return [obj.guide, obj]

    def delete_model(self, request, obj):
        lock(obj.guide)  # positions are renumbered below: no step is added or moved meanwhile
        reported = open_reports_of([obj])
        super().delete_model(request, obj)
        obj.guide.close_step_gaps()
        tell_of_reports_kept(self, request, reported)

    def delete_queryset(self, request, queryset):
        steps = list(queryset.select_related("guide"))
        guides = {step.guide for step in steps}
        lock(*guides)
        reported = open_reports_of(steps)
        super().delete_queryset(request, queryset)
        for guide in guides:
            guide.close_step_gaps()
        tell_of_reports_kept(self, request, reported)

    def get_readonly_fields(self, request, obj=None):
        # Moving a step to another guide would break both guides' numbering; reorder inline.
        return [*self.readonly_fields, "guide"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            lock(obj.guide)  # another editor adding a step now waits, then comes after
            last = obj.guide.steps.aggregate(last=Max("position"))["last"] or 0
            obj.position = last + 1
        obj.minor_change = form.cleaned_data.get("minor_change", False)
        super().save_model(request, obj, form, change)
        if reversion.is_active():
            reversion.add_to_revision(obj.guide)  # a step edited on its own page shows in its guide's history
        if form.cleaned_data.get("mark_reports_fixed"):
            fixed = triage.handle(obj.reports.open(), StepReport.Status.FIXED, request.user)
            self.message_user(request, _("Reports marked as fixed: %(count)d.") % {"count": fixed})
