"""The admin site (outside the guides.admin package, which registers models on it).

Its index tells editors what needs them (new reports, guides to review), and every admin view
that can write runs inside the publishing rule's guard (``guides.publishing``), so that no
entry point, present or future, lets an editor without the permission change what is public.
"""

from functools import wraps

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from guides.publishing import PublishingDenied, publishing_guard

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class HelpCenterAdminSite(admin.AdminSite):
    site_header = _("Help center administration")
    site_title = _("Help center")
    index_title = _("Guides and platforms")

    def admin_view(self, view, cacheable=False):
        return super().admin_view(self._guard_publishing(view), cacheable)

    def _guard_publishing(self, view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method in _SAFE_METHODS:
                return view(request, *args, **kwargs)
            try:
                with publishing_guard(request.user):
                    response = view(request, *args, **kwargs)
            except PublishingDenied as denied:
                return self._publishing_denied(request, denied)
            return response

        return guarded

    def _publishing_denied(self, request, denied: PublishingDenied) -> TemplateResponse:
        # The undone request may have queued "saved" messages: they must not be shown.
        for _message in messages.get_messages(request):
            pass
        context = {**self.each_context(request), "title": _("Not saved"), "message": denied.args[0]}
        return TemplateResponse(request, "admin/guides/publishing_denied.html", context, status=403)

    def index(self, request, extra_context=None):
        from guides.models import Guide, StepReport

        context = {
            "new_report_count": StepReport.objects.filter(status=StepReport.Status.NEW).count(),
            "guides_to_review_count": Guide.objects.to_review().count(),
            **(extra_context or {}),
        }
        return super().index(request, context)
