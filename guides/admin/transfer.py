"""Export and import in the admin (``guides.transfer``): an action writes the selected guides
to a file; the import page reads one, shows what it would create and update, and imports it
once the editor confirms."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guides import transfer
from guides.publishing import may_publish

_SALT = "guides.admin.import"


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File written by an export"))
    keep_status = forms.BooleanField(
        label=gettext_lazy("Keep the guides' status (publish those published in the file)"), required=False
    )


class TransferMixin:
    """For the guide admin: the "Export" action and ``import/``."""

    actions = ["export_guides"]

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name=f"{opts.app_label}_{opts.model_name}_import"), *super().get_urls()]

    @admin.action(description=gettext_lazy("Export the selected guides"), permissions=["view"])
    def export_guides(self, request, queryset):
        response = HttpResponse(transfer.dumps(transfer.export(queryset)), content_type="application/json")
        name = f"guides-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Import guides")}
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, request.POST["token"], request.POST.get("keep_status") == "1")
        form = ImportForm(request.POST or None, request.FILES or None)
        if not may_publish(request.user):
            form.fields.pop("keep_status")
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read(transfer.max_bytes() + 1)
            try:
                data = transfer.load(raw)
                plan = transfer.import_guides(data, dry_run=True)
            except transfer.ImportRefused as refused:
                context.update(form=form, errors=refused.errors)
                return TemplateResponse(request, "admin/guides/guide/import.html", context, status=422)
            # The file waits, under a name only this page knows, until the editor confirms.
            name = default_storage.save(f"imports/{uuid.uuid4().hex}.json", ContentFile(raw))
            context.update(
                plan=plan,
                token=signing.dumps(name, salt=_SALT),
                keep_status=bool(form.cleaned_data.get("keep_status")),
            )
        context.setdefault("form", form)
        return TemplateResponse(request, "admin/guides/guide/import.html", context)

    def _confirm(self, request: HttpRequest, token: str, keep_status: bool) -> HttpResponse:
        try:
            name = signing.loads(token, salt=_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("This import has expired: choose the file again."))
            return HttpResponseRedirect(request.path)
        if not name.startswith("imports/") or not default_storage.exists(name):
            messages.error(request, _("This import has expired: choose the file again."))
            return HttpResponseRedirect(request.path)
        with default_storage.open(name) as waiting:
            raw = waiting.read()
        try:
            plan = transfer.import_guides(transfer.load(raw), keep_status=keep_status and may_publish(request.user))
        except transfer.ImportRefused as refused:
            messages.error(request, " ".join(refused.errors))
            return HttpResponseRedirect(request.path)
        default_storage.delete(name)
        messages.success(
            request,
            _("Imported. Guides created: %(created)d; updated: %(updated)d.")
            % {"created": len(plan.created), "updated": len(plan.updated)},
        )
        return HttpResponseRedirect(reverse("admin:guides_guide_changelist"))
