"""The editors' admin for content: translation tabs, inline prerequisites and steps ordered by drag and drop,
and a history of every change (django-reversion registers the models here, after
modeltranslation has added the per-language columns, so that a version holds every language).
"""

from adminsortable2.admin import (
    SortableAdminBase,
    SortableInlineAdminMixin,
    SortableStackedInline,
    SortableTabularInline,
)
from django import forms
from django.contrib import admin
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline
from reversion.admin import VersionAdmin

from guides.admin.funnel import FunnelMixin
from guides.admin.history import VersionCompareMixin
from guides.models import Guide, Ordered, Platform, Prerequisite, Step
from guides.ordering import save_in_order


class OrderedChildForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # Positions are renumbered 1..n when the whole formset is saved, so a clash with the
        # position a sibling still has in the database is expected mid-reorder.
        return super()._get_validation_exclusions() | {"position"}


class OrderedInlineMixin(SortableInlineAdminMixin):
    form = OrderedChildForm
    extra = 0

    class Media:
        css = {"all": ["guides/admin.css"]}


class PrerequisiteInline(OrderedInlineMixin, TranslationTabularInline):
    model = Prerequisite
    template = SortableTabularInline.template


class StepInline(OrderedInlineMixin, TranslationStackedInline):
    model = Step
    template = SortableStackedInline.template
    fields = ["title", "surface", "body", "image", "image_alt"]
    show_change_link = True


@admin.register(Platform)
class PlatformAdmin(VersionCompareMixin, VersionAdmin, TabbedTranslationAdmin):
    list_display = ["name", "slug", "position", "guide_count"]
    list_editable = ["position"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(guide_count=Count("guides"))

    @admin.display(description=_("guides"), ordering="guide_count")
    def guide_count(self, platform):
        return platform.guide_count


@admin.register(Guide)
class GuideAdmin(SortableAdminBase, FunnelMixin, VersionCompareMixin, VersionAdmin, TabbedTranslationAdmin):
    list_display = ["title", "platform", "status", "step_count", "last_verified_on", "updated_at"]
    list_filter = ["platform", "status"]
    list_select_related = ["platform"]
    search_fields = ["title_fr", "title_en", "summary_fr", "summary_en", "slug"]
    prepopulated_fields = {"slug": ["title_fr"]}
    date_hierarchy = "updated_at"
    inlines = [PrerequisiteInline, StepInline]
    fieldsets = [
        (None, {"fields": ["platform", "title", "slug", "summary", "conclusion"]}),
        (_("Publication"), {"fields": ["status", "estimated_minutes", "last_verified_on", "verified_app_version"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_count=Count("steps"))

    @admin.display(description=_("steps"), ordering="step_count")
    def step_count(self, guide):
        return guide.step_count

    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.model, Ordered):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for gone in formset.deleted_objects:
            gone.delete()
        kept = [
            f
            for f in formset.forms
            if f not in formset.deleted_forms and (f.instance.pk is not None or f.has_changed())
        ]
        # New rows without a position go last, in the order they were added.
        kept.sort(key=lambda f: (not f.instance.position, f.instance.position or 0, formset.forms.index(f)))
        save_in_order(
            formset.model.objects.filter(guide=form.instance),
            ordered=[f.instance for f in kept],
            changed=[f.instance for f in kept if set(f.changed_data) - {"position"}],
        )
        formset.save_m2m()


@admin.register(Step)
class StepAdmin(VersionCompareMixin, VersionAdmin, TabbedTranslationAdmin):
    list_display = ["title", "guide", "position", "surface", "updated_at"]
    list_filter = ["guide__platform", "surface", "guide"]
    list_select_related = ["guide"]
    search_fields = ["title_fr", "title_en", "body_fr", "body_en"]
    fields = ["guide", "position", "title", "surface", "body", "image", "image_alt"]
    readonly_fields = ["position"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a step to another guide would break both guides' numbering; reorder inline.
        return [*self.readonly_fields, "guide"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            last = obj.guide.steps.aggregate(last=Max("position"))["last"] or 0
            obj.position = last + 1
        super().save_model(request, obj, form, change)
