"""History pages of guides, steps and platforms, on top of django-reversion's.

What is added to reversion's history, restore and recover pages:

- a version of a guide holds its steps and prerequisites as finally saved. Reversion copies them
  when the guide is saved, before the inlines are; children that only moved get their new
  position by an UPDATE (so that their ``updated_at`` keeps meaning "content edited"), which it
  never sees;
- a restore or recovery puts back the object and its inline children only, warns before it
  removes steps that readers used, and keeps positions 1..n (``guides.admin.restore``); it also
  says, before anything is saved, when the version would change what readers can see and the
  editor may not (the rule itself is enforced by ``guides.publishing``);
- two versions can be compared field by field (``guides.admin.version_diff``).
"""

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version

from guides import change_messages
from guides.admin.restore import Restore
from guides.admin.version_diff import CompareForm, child_changes, field_changes
from guides.publishing import may_publish, publication_state


class RestoreConfirmation(forms.Form):
    """What the restore page showed: the steps with readers' data the editor agreed to remove,
    by id, and what the object held when the page was opened (signed)."""

    confirm_removal = forms.CharField(required=False)
    restore_base = forms.CharField(required=False)

    def confirmed_ids(self) -> set[int]:
        return {int(part) for part in self.cleaned_data["confirm_removal"].split(",") if part.strip().isdigit()}


class HistoryMixin:
    """For a ``VersionAdmin`` that also has the ``EditConflictMixin``: versions that hold inline
    children as saved, scoped restores and recoveries, and a comparison of two versions reached
    from the history page."""

    object_history_template = "admin/guides/object_history.html"
    compare_template = "admin/guides/compare.html"
    revision_form_template = "admin/guides/revision_form.html"
    recover_form_template = "admin/guides/recover_form.html"

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        # Reversion lists each version with the address of its restore page only; the
        # comparison's radio buttons need the version's id, which ends that address.
        for action in (getattr(response, "context_data", None) or {}).get("action_list", ()):
            action["version_id"] = action["url"].rstrip("/").rsplit("/", 1)[-1]
        return response

    def compare_view(self, request: HttpRequest, object_id: str) -> TemplateResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        form = CompareForm(Version.objects.get_for_object(obj).select_related("revision__user"), request.GET)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare two versions of “%(object)s”") % {"object": obj},
            "opts": self.opts,
            "object": obj,
            "form": form,
        }
        if not form.is_valid():
            return TemplateResponse(request, self.compare_template, context, status=400)
        before, after = form.cleaned_data["from"], form.cleaned_data["to"]
        context.update(
            before=before,
            after=after,
            changes=field_changes(self.model, before.field_dict, after.field_dict),
            children=child_changes(before, after),
        )
        return TemplateResponse(request, self.compare_template, context)

    change_message_named = False  # whether a save names its object (a step saved on its own page)

    def construct_change_message(self, request, form, formsets, add=False):
        return change_messages.construct(form, formsets, add, named=self.change_message_named)

    # Reversion keeps the message as text in the saver's language; kept as data instead, it reads
    # in each reader's (see guides.change_messages).

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active() and message:
            reversion.set_comment(entry.change_message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active() and message:
            reversion.set_comment(entry.change_message)
        return entry

    def save_related(self, request, form, formsets, change):
        """Keep in the version the inline children as they were finally saved."""
        super().save_related(request, form, formsets, change)
        if not reversion.is_active():
            return
        for formset in formsets:
            if reversion.is_registered(formset.model):
                for child in formset.model._default_manager.filter(**{formset.fk.name: form.instance}):
                    reversion.add_to_revision(child)  # replaces the copy taken before the inlines were saved

    # Restore and recover: reversion's views, scoped to this object (see guides.admin.restore).

    def revision_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        # Only this model's versions: another model's version with the same object id is a 404.
        version = get_object_or_404(self._versions(), pk=version_id, object_id=unquote(object_id))
        context = {"title": _("Revert %(name)s") % {"name": version.object_repr}, "revert": True}
        return self._restore_view(request, version, self.revision_form_template, {**context, **(extra_context or {})})

    def recover_view(self, request: HttpRequest, version_id: str, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(self._versions(), pk=version_id)
        context = {"title": _("Recover %(name)s") % {"name": version.object_repr}, "recover": True}
        return self._restore_view(request, version, self.recover_form_template, {**context, **(extra_context or {})})

    def _versions(self):
        return Version.objects.get_for_model(self.model)

    def _restore_view(self, request: HttpRequest, version: Version, template: str, context: dict) -> HttpResponse:
        """The restore page (GET: the form as restored, then rolled back) and the restore (POST)."""
        restore = Restore(version, [inline.model for inline in self.inlines])
        page = RestoreConfirmation(request.POST)
        page.is_valid()
        with transaction.atomic(using=version.db):
            restore.lock()
            current = self.get_object(request, version.object_id)
            if request.method == "POST" and not self._page_still_current(request, current, page):
                return HttpResponseRedirect(request.path)
            context["restore_base"] = self.stored_token(request, current) if current is not None else ""
            published_before = publication_state()
            removed = restore.removed_steps_with_readers_data()
            try:
                with transaction.atomic(using=version.db):
                    restore.apply()
            except (IntegrityError, RevertError) as error:
                transaction.set_rollback(True, using=version.db)
                messages.error(request, _("This version could not be restored: %(error)s") % {"error": error})
                return redirect(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
            context.update(
                removed_steps=removed,
                removed_step_ids=",".join(str(item.step.pk) for item in removed),
                changes_publication=not may_publish(request.user) and publication_state() != published_before,
            )
            if request.method == "POST" and not self._removal_confirmed(request, removed, page):
                transaction.set_rollback(True, using=version.db)
                return HttpResponseRedirect(request.path)
            response = self._restored_form(request, version, restore, context)
            if request.method == "POST" and response.status_code == 302:
                return response
            if response.status_code == 200:
                response.template_name = template
                response.render()  # now, while the restored state is visible; then roll it back
            transaction.set_rollback(True, using=version.db)
        return response

    def _restored_form(self, request: HttpRequest, version: Version, restore: Restore, context: dict):
        """The change form over the restored state; when it is saved, positions back to 1..n."""
        with self.create_revision(request):
            response = self.changeform_view(request, quote(version.object_id), request.path, context)
            if request.method == "POST" and response.status_code == 302:
                for item in restore.renumber():
                    if reversion.is_registered(type(item)):
                        reversion.add_to_revision(item)  # with the position it finally has
                reversion.set_comment(_("Restored the version of %(date)s") % {"date": _when(version)})
        return response

    def _page_still_current(self, request: HttpRequest, current, page: RestoreConfirmation) -> bool:
        """Whether the object is as it was when the restore page was opened: a restore must not
        undo, unseen, what someone saved meanwhile."""
        if current is None or self.unchanged_since(request, current, page.cleaned_data["restore_base"]):
            return True
        messages.error(
            request,
            _(
                "Someone saved this page after you opened this version. Nothing was restored: "
                "check the version again, then save."
            ),
        )
        return False

    @staticmethod
    def _removal_confirmed(request: HttpRequest, removed, confirmation: RestoreConfirmation) -> bool:
        needed = {item.step.pk for item in removed}
        if needed <= confirmation.confirmed_ids():
            return True
        messages.error(
            request,
            _("This restore removes steps that readers used. Read what will go, tick the box, then save again."),
        )
        return False


def _when(version: Version) -> str:
    return formats.localize(timezone.template_localtime(version.revision.date_created))
