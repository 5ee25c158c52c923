"""What readers tell editors: reports on steps, triaged in a queue by step, and votes on guides."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides import triage
from guides.models import GuideConfirmation, GuideVote, StepReport
from guides.reported_steps import ReportedStep, by_variant


def sees_contact_emails(request) -> bool:
    return request.user.has_perm("guides.view_contact_email")


def removed_step_label(title: str) -> str:
    return _("Removed step: %(title)s") % {"title": title}


def open_reports_by_step() -> list[ReportedStep]:
    """Open reports grouped by step and by the variant readers followed (with readers counted by
    app version), removed steps included, most reported first. One query,
    however many steps: the grouping happens here rather than in a query per step."""
    reports = StepReport.objects.open().select_related("step", "guide")
    queue = by_variant(reports.order_by("original_step_id", "variant", "-created_at"))
    queue.sort(key=lambda item: (item.readers, item.latest.created_at), reverse=True)
    return queue


class RemovedStepFilter(admin.SimpleListFilter):
    title = _("step removed")
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(step__isnull=self.value() == "yes")
        return queryset


@admin.register(StepReport)
class StepReportAdmin(admin.ModelAdmin):
    list_display = [
        "step_link",
        "guide",
        "problem",
        "device",
        "variant",
        "app_version",
        "language",
        "status",
        "handled_by_name",
        "handled_at",
        "created_at",
    ]
    # The step cell links to the step; the report itself opens from its problem.
    list_display_links = ["problem"]
    list_filter = ["status", "problem", "device", "variant", "language", RemovedStepFilter, "guide"]
    list_select_related = ["step", "guide", "handled_by"]
    search_fields = ["seen_instead", "app_version", "step_title", "step__title_fr", "step__title_en"]
    date_hierarchy = "created_at"
    actions = ["confirm", "mark_fixed", "dismiss"]
    # What the reader wrote is evidence: editors read it, they do not rewrite it.
    fields = [
        "step_link",
        "guide",
        "step_number",
        "step_title",
        "language",
        "problem",
        "seen_instead",
        "rename_link",
        "app_version",
        "device",
        "variant",
        "contact_email",
        "status",
        "handled_by_name",
        "handled_at",
        "reporter_notified_at",
        "created_at",
    ]
    readonly_fields = [name for name in fields if name != "status"]

    # Readers' addresses: shown, searched and filtered on only with their own permission.

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if sees_contact_emails(request) else [name for name in fields if name != "contact_email"]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return [*fields, "contact_email"] if sees_contact_emails(request) else fields

    def lookup_allowed(self, lookup, value, request):
        if lookup.split("__")[0] == "contact_email" and not sees_contact_emails(request):
            return False  # "?contact_email__startswith=a" would tell the address letter by letter
        return super().lookup_allowed(lookup, value, request)

    def get_urls(self):
        queue = path("queue/", self.admin_site.admin_view(self.queue_view), name="guides_stepreport_queue")
        return [queue, *super().get_urls()]

    def queue_view(self, request):
        """Open reports by step, so that editors fix the steps most readers trip on first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Open reports by step"),
            "reported_steps": open_reports_by_step(),
        }
        return TemplateResponse(request, "admin/guides/stepreport/queue.html", context)

    @admin.display(description=_("interface label"))
    def rename_link(self, report):
        """From a "renamed" report to renaming the label in every step that quotes it."""
        if report.problem != StepReport.Problem.RENAMED:
            return "—"
        url = reverse("admin:guides_platform_labels", args=[report.guide.platform_id, report.language])
        return format_html('<a href="{}">{}</a>', url, _("Rename this label everywhere"))

    @admin.display(description=_("step"), ordering="step")
    def step_link(self, report):
        if report.step_removed:
            return removed_step_label(report.step_title)
        url = reverse("admin:guides_step_change", args=[report.step_id])
        return format_html('<a href="{}">{}</a>', url, report.step)

    @admin.display(description=_("handled by"), ordering="handled_by__username")
    def handled_by_name(self, report):
        # Plain text: the default would link to the user's page, which editors may not open.
        return report.handled_by.get_username() if report.handled_by else "—"

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Confirm"), permissions=["change"])
    def confirm(self, request, queryset):
        self._handle(request, queryset, StepReport.Status.CONFIRMED)

    @admin.action(description=_("Mark fixed"), permissions=["change"])
    def mark_fixed(self, request, queryset):
        self._handle(request, queryset, StepReport.Status.FIXED)

    @admin.action(description=_("Dismiss"), permissions=["change"])
    def dismiss(self, request, queryset):
        self._handle(request, queryset, StepReport.Status.DISMISSED)

    def _handle(self, request, queryset, status: StepReport.Status) -> None:
        changed = triage.handle(StepReport.objects.filter(pk__in=queryset.values("pk")), status, request.user)
        message = ngettext(
            "%(count)d report is now “%(status)s”.",
            "%(count)d reports are now “%(status)s”.",
            changed,
        )
        self.message_user(request, message % {"count": changed, "status": status.label})

    def save_model(self, request, obj, form, change):
        # Only the status is editable, and it changes through handle(), which notes who
        # handled the report and tells the reader when it is fixed.
        if "status" in form.changed_data and not triage.handle(
            StepReport.objects.filter(pk=obj.pk), obj.status, request.user
        ):
            self.message_user(
                request,
                _("This reader has another open report on this step: this one stays closed."),
                messages.WARNING,
            )


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


@admin.register(GuideConfirmation)
class GuideConfirmationAdmin(admin.ModelAdmin):
    """What readers who finished a guide said: read here, never edited."""

    list_display = ["guide", "worked", "app_version", "device", "language", "created_at"]
    list_filter = ["worked", "device", "language", "guide"]
    list_select_related = ["guide"]
    date_hierarchy = "created_at"
    fields = ["guide", "worked", "app_version", "device", "language", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
