"""The admin site (outside the guides.admin package, which registers models on it): its index
tells editors what needs them, new reports and guides to review."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class HelpCenterAdminSite(admin.AdminSite):
    site_header = _("Help center administration")
    site_title = _("Help center")
    index_title = _("Guides and platforms")

    def index(self, request, extra_context=None):
        from guides.models import Guide, StepReport

        context = {
            "new_report_count": StepReport.objects.filter(status=StepReport.Status.NEW).count(),
            "guides_to_review_count": Guide.objects.to_review().count(),
            **(extra_context or {}),
        }
        return super().index(request, context)
