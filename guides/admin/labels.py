"""Interface labels in the admin (``guides.labels``): per platform and language, the labels its
steps quote and where; and "Rename this label everywhere", previewed, then saved as one change."""

import reversion
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guides import labels
from guides.admin.version_diff import word_diff


class RenameForm(forms.Form):
    old = forms.CharField(label=gettext_lazy("Label in the app until now"), max_length=200)
    new = forms.CharField(label=gettext_lazy("Label the app shows now"), max_length=200)

    def clean_new(self):
        new = self.cleaned_data["new"].strip()
        if "`" in new:
            raise forms.ValidationError(_("A label cannot hold a backquote (`)."))
        return new


class LabelsMixin:
    """For the platform admin: ``<id>/labels/<language>/`` and its ``rename/`` page."""

    def get_urls(self):
        opts = self.model._meta
        urls = [
            path(
                "<path:object_id>/labels/<str:language>/",
                self.admin_site.admin_view(self.labels_view),
                name=f"{opts.app_label}_{opts.model_name}_labels",
            ),
            path(
                "<path:object_id>/labels/<str:language>/rename/",
                self.admin_site.admin_view(self.rename_label_view),
                name=f"{opts.app_label}_{opts.model_name}_rename_label",
            ),
        ]
        return [*urls, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "languages_for_labels": settings.LANGUAGES}
        return super().change_view(request, object_id, form_url, extra_context)

    def _platform_and_language(self, request, object_id, language):
        platform = self.get_object(request, unquote(object_id))
        if platform is None or language not in dict(settings.LANGUAGES):
            raise Http404
        if not self.has_view_permission(request, platform):
            raise PermissionDenied
        return platform

    def _context(self, request, platform, language, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": platform,
            "language": language,
            "languages": settings.LANGUAGES,
            **extra,
        }

    def labels_view(self, request: HttpRequest, object_id: str, language: str) -> TemplateResponse:
        platform = self._platform_and_language(request, object_id, language)
        names = dict(settings.LANGUAGES)
        context = self._context(
            request,
            platform,
            language,
            title=_("Interface labels of %(platform)s in %(language)s")
            % {"platform": platform, "language": names[language]},
            labels=labels.index(platform, language),
        )
        return TemplateResponse(request, "admin/guides/platform/labels.html", context)

    def rename_label_view(self, request: HttpRequest, object_id: str, language: str) -> TemplateResponse:
        platform = self._platform_and_language(request, object_id, language)
        names = dict(settings.LANGUAGES)
        data = request.POST if request.method == "POST" else (request.GET if "new" in request.GET else None)
        form = RenameForm(data, initial={"old": request.GET.get("label", "")})
        changes = []
        if form.is_valid():
            old, new = form.cleaned_data["old"], form.cleaned_data["new"]
            if request.method == "POST":
                if not self.has_change_permission(request, platform):
                    raise PermissionDenied
                with reversion.create_revision():
                    done = labels.rename(platform, language, old, new)
                    for change in done:
                        reversion.add_to_revision(change.use.obj)
                        reversion.add_to_revision(change.use.guide)
                    reversion.set_user(request.user)
                    reversion.set_comment(
                        _("Renamed the label “%(old)s” to “%(new)s” in %(language)s.")
                        % {"old": old, "new": new, "language": names[language]}
                    )
                renamed = ngettext("Label renamed in %(count)d text.", "Label renamed in %(count)d texts.", len(done))
                messages.success(request, renamed % {"count": len(done)})
                return HttpResponseRedirect(reverse("admin:guides_platform_labels", args=[platform.pk, language]))
            changes = [
                (change, word_diff(change.before, change.after))
                for change in labels.rename_preview(platform, language, old, new)
            ]
        context = self._context(
            request,
            platform,
            language,
            title=_("Rename a label of %(platform)s everywhere, in %(language)s")
            % {"platform": platform, "language": names[language]},
            form=form,
            changes=changes,
            previewed=form.is_bound and form.is_valid(),
            may_change=self.has_change_permission(request, platform),
        )
        return TemplateResponse(request, "admin/guides/platform/rename_label.html", context)
