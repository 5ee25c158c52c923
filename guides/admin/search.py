"""What readers searched for and did not find: the guides to write next.

One row per search text, language and day, most frequent first. Editors mark a search handled
once a guide answers it (or it never will); it comes back as new if readers keep not finding it
on later days.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides.models import MissedSearch


class HandledFilter(admin.SimpleListFilter):
    title = _("handled")
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", _("Not yet")), ("yes", _("Handled"))]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(handled_at__isnull=self.value() == "no")
        return queryset


class PeriodFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "days"

    def lookups(self, request, model_admin):
        return [("1", _("Today")), ("7", _("Last 7 days")), ("30", _("Last 30 days"))]

    def queryset(self, request, queryset):
        if self.value() in ("1", "7", "30"):
            return queryset.filter(day__gt=timezone.localdate() - timedelta(days=int(self.value())))
        return queryset


def top_of_the_week(limit: int = 5) -> list[dict]:
    """The searches without results readers made most over the last seven days, not handled."""
    week = MissedSearch.objects.filter(day__gt=timezone.localdate() - timedelta(days=7), handled_at__isnull=True)
    return list(week.values("query", "language").annotate(total=Sum("count")).order_by("-total", "query")[:limit])


@admin.register(MissedSearch)
class MissedSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "language", "day", "count", "handled", "handled_by"]
    list_filter = [HandledFilter, PeriodFilter, "language"]
    list_select_related = ["handled_by"]
    search_fields = ["query"]
    ordering = ["-count", "-day", "query"]
    date_hierarchy = "day"
    actions = ["mark_handled"]
    fields = ["query", "language", "day", "count", "handled_at", "handled_by"]
    readonly_fields = fields

    @admin.display(description=_("handled"), boolean=True, ordering="handled_at")
    def handled(self, missed: MissedSearch) -> bool:
        return missed.handled_at is not None

    @admin.action(description=_("Mark as handled (a guide answers it, or none will)"), permissions=["change"])
    def mark_handled(self, request, queryset):
        # The same search on the other days is handled too.
        searches = set(queryset.values_list("language", "query"))
        handled = 0
        for language, query in searches:
            same = MissedSearch.objects.filter(language=language, query=query, handled_at__isnull=True)
            handled += same.update(handled_at=timezone.now(), handled_by=request.user)
        message = ngettext("%(count)d row marked as handled.", "%(count)d rows marked as handled.", handled)
        self.message_user(request, message % {"count": handled}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
