"""Change-list filters for what needs an editor: guides due for review, translations to update."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Due for verification"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.to_review()
        return queryset


class OutdatedTranslationFilter(admin.SimpleListFilter):
    title = _("English translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("outdated", _("To update"))]

    def queryset(self, request, queryset):
        if self.value() == "outdated":
            return queryset.with_outdated_translations()
        return queryset
