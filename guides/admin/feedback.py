"""What readers tell editors: reports on steps, and votes on guides."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guides.models import GuideVote, StepReport


@admin.register(StepReport)
class StepReportAdmin(admin.ModelAdmin):
    list_display = ["step", "guide", "problem", "device", "app_version", "language", "status", "created_at"]
    list_filter = ["status", "problem", "device", "language", "step__guide"]
    list_select_related = ["step__guide"]
    search_fields = ["seen_instead", "app_version", "step__title_fr", "step__title_en"]
    date_hierarchy = "created_at"
    # What the reader wrote is evidence: editors read it, they do not rewrite it.
    readonly_fields = [
        "step",
        "language",
        "problem",
        "seen_instead",
        "app_version",
        "device",
        "contact_email",
        "reader_key",
        "created_at",
        "handled_by",
        "handled_at",
    ]
    fields = [*readonly_fields[:7], "status", "handled_by", "handled_at", "created_at"]

    @admin.display(description=_("guide"), ordering="step__guide")
    def guide(self, report):
        return report.step.guide

    def has_add_permission(self, request):
        return False


@admin.register(GuideVote)
class GuideVoteAdmin(admin.ModelAdmin):
    list_display = ["guide", "helpful", "reason", "language", "created_at"]
    list_filter = ["helpful", "language", "guide"]
    list_select_related = ["guide"]
    readonly_fields = ["guide", "helpful", "reason", "language", "created_at"]
    exclude = ["reader_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
