"""Help for editors writing steps: a live preview of a step's Markdown as readers will see it
(the same renderer and sanitiser as the guide page), new rows that open in the source language,
and steps moved with real buttons as well as by dragging."""

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from guides.markdown import render_markdown
from guides.models import SOURCE_LANGUAGE

# A body longer than this is previewed up to this length.
PREVIEW_LIMIT = 20_000


class MarkdownTextarea(AdminTextareaWidget):
    """A step body's textarea followed by its preview, refreshed as the editor types (htmx)."""

    def __init__(self, attrs=None):
        preview = {
            "hx-post": reverse_lazy("admin:guides_step_preview"),
            "hx-trigger": "focus once, input changed delay:400ms",
            "hx-target": "next .markdown-preview",
            "hx-swap": "innerHTML",
        }
        super().__init__({**preview, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        # In a form, htmx would send every field: this one only.
        textarea = super().render(name, value, {**(attrs or {}), "hx-params": name}, renderer)
        preview = format_html(
            '<div class="markdown-preview" role="region" aria-label="{}" aria-live="polite"></div>',
            _("Preview, as readers will see it"),
        )
        return textarea + preview


def admin_media() -> forms.Media:
    """What the step editing pages load: htmx for the preview, our script for the rest."""
    script = forms.Script(
        "guides/admin.js",
        **{
            "data-source-language": SOURCE_LANGUAGE,
            "data-move-up": _("Move up"),
            "data-move-down": _("Move down"),
            "data-moved": _("Moved to position %(position)s."),
        },
    )
    return forms.Media(js=["django_htmx/htmx-2.min.js", script], css={"all": ["guides/admin.css"]})


class MarkdownPreviewMixin:
    """For the step admin: ``preview/``, the HTML readers would see for a posted body."""

    def get_urls(self):
        preview = path("preview/", self.admin_site.admin_view(self.preview_view), name="guides_step_preview")
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        field = request.headers.get("HX-Trigger-Name", "")
        text = request.POST.get(field, "") if "body" in field else next(iter(request.POST.values()), "")
        html = render_markdown(text[:PREVIEW_LIMIT])
        return HttpResponse(format_html('<div class="markdown-preview-content">{}</div>', html))

    # A POST that writes nothing: it need not wait for, nor hold up, the admin's writes.
    preview_view.reads_only = True


def body_widget(db_field, kwargs: dict) -> dict:
    """``formfield_for_dbfield`` keyword arguments giving a step body (in any language) its
    preview."""
    if db_field.name == "body" or db_field.name.startswith("body_"):
        kwargs["widget"] = MarkdownTextarea
    return kwargs
