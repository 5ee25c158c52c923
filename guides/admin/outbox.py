"""Operators see what the outbox sent, what waits and what it gave up, read-only. Recipients are
not shown: they belong to readers and editors, and are erased once a message leaves the queue.
Nobody but superusers sees this unless granted "view outgoing e-mail"."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guides.models import OutboxMessage


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting")), ("sent", _("Sent")), ("given-up", _("Given up"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.waiting()
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "given-up":
            return queryset.done().filter(sent_at__isnull=True)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = [StateFilter]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    fields = ["subject", "body", "created_at", "state", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields

    @admin.display(description=_("state"))
    def state(self, message: OutboxMessage) -> str:
        if message.sent_at:
            return _("Sent")
        return _("Waiting") if message.next_attempt_at else _("Given up")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
