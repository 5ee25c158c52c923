"""Where readers get stuck: per guide, how many readers marked each step done, and its reports."""

from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guides.funnel import funnel_for
from guides.models import Guide
from guides.stale_steps import stale_steps

FUNNEL_LINK_TEXT = gettext_lazy("Where readers get stuck")


class FunnelMixin:
    """Adds the funnel page to the guide admin, at ``<id>/funnel/``, for anyone who may view guides."""

    funnel_template = "admin/guides/guide/funnel.html"

    def get_urls(self):
        opts = self.model._meta
        funnel = path(
            "<path:object_id>/funnel/",
            self.admin_site.admin_view(self.funnel_view),
            name=f"{opts.app_label}_{opts.model_name}_funnel",
        )
        return [funnel, *super().get_urls()]

    def funnel_view(self, request: HttpRequest, object_id: str) -> TemplateResponse:
        guide = self.get_object(request, unquote(object_id))
        if guide is None:
            raise Http404
        if not self.has_view_permission(request, guide):
            raise PermissionDenied
        rows = funnel_for(guide)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Where readers get stuck: %(guide)s") % {"guide": guide},
            "opts": self.opts,
            "original": guide,
            "rows": rows,
            "stale": stale_steps(guide),
            "most_done": max((row.done for row in rows), default=0),
            "most_reports": max((row.reports for row in rows), default=0),
        }
        return TemplateResponse(request, self.funnel_template, context)

    @admin.display(description=gettext_lazy("readers"))
    def funnel_link(self, guide: Guide) -> str:
        """A link for ``list_display``: editors go from the list straight to where readers stop."""
        opts = self.model._meta
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_funnel", args=[quote(guide.pk)])
        return format_html('<a href="{}">{}</a>', url, FUNNEL_LINK_TEXT)
