"""The translation workspace of a guide, and the list of what waits for translators in each
language (``guides.translation_workspace``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from guides import translation_workspace as workspace

_SALT = "guides.admin.translations"


class TranslationsMixin:
    """For the guide admin: ``<id>/translate/<language>/`` and ``translations/<language>/``."""

    def get_urls(self):
        opts = self.model._meta
        urls = [
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(self.translate_view),
                name=f"{opts.app_label}_{opts.model_name}_translate",
            ),
            path(
                "translations/<str:language>/",
                self.admin_site.admin_view(self.translations_view),
                name=f"{opts.app_label}_{opts.model_name}_translations",
            ),
        ]
        return [*urls, *super().get_urls()]

    def translations_view(self, request: HttpRequest, language: str) -> TemplateResponse:
        names = dict(workspace.target_languages())
        if language not in names:
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("To translate into %(language)s") % {"language": names[language]},
            "language": language,
            "languages": workspace.target_languages(),
            "guides": workspace.to_do(language),
        }
        return TemplateResponse(request, "admin/guides/guide/translations.html", context)

    def translate_view(self, request: HttpRequest, object_id: str, language: str) -> TemplateResponse:
        names = dict(workspace.target_languages())
        guide = self.get_object(request, unquote(object_id))
        if guide is None or language not in names:
            raise Http404
        if not self.has_view_permission(request, guide):
            raise PermissionDenied
        may_change = self.has_change_permission(request, guide)
        posted, conflict = {}, False
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            posted = {key: value for key, value in request.POST.items() if key.count("-") == 2}
            if _opened_with(request.POST.get("base", "")) != workspace.stored_values(guide, language):
                conflict = True
                messages.error(
                    request,
                    _(
                        "Someone saved translations of this guide since you opened this page: nothing was saved. "
                        "Your text is below; check it against theirs and save again."
                    ),
                )
            else:
                confirmed = set(request.POST.getlist("up_to_date"))
                workspace.apply(guide, language, posted, confirmed)
                messages.success(request, _("Translations saved."))
                return HttpResponseRedirect(request.path)
        sections = workspace.sections(guide, language)
        if conflict:
            for section in sections:
                for row in workspace.all_rows(section):
                    row.posted = posted.get(row.input_name, row.target)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": guide,
            "title": _("Translate “%(guide)s” into %(language)s") % {"guide": guide, "language": names[language]},
            "language": language,
            "language_name": names[language],
            "source_name": dict(settings.LANGUAGES)[workspace.SOURCE_LANGUAGE],
            "source_language": workspace.SOURCE_LANGUAGE,
            "sections": sections,
            "base": signing.dumps(workspace.stored_values(guide, language), salt=_SALT, compress=True),
            "may_change": may_change,
            "guide_url": reverse("admin:guides_guide_change", args=[guide.pk]),
        }
        return TemplateResponse(request, "admin/guides/guide/translate.html", context)


def _opened_with(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
