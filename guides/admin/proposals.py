"""Proposed changes to published guides (``guides.proposals``): publishers read each as a diff and
approve it, send it back with a comment, or open it in the guide's form to edit it further."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guides import proposals
from guides.models import Proposal
from guides.publishing import may_publish


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("send_back", _("Send back"))])
    comment = forms.CharField(
        label=_("Comment (optional when approving)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "send_back" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what the author should change."))
        return cleaned


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["guide", "author", "status", "created_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status", "guide__platform"]
    list_select_related = ["guide", "author", "reviewed_by"]
    search_fields = ["guide__title_fr", "guide__title_en"]

    def has_add_permission(self, request):
        return False  # made by editing a published guide

    def has_change_permission(self, request, obj=None):
        return False  # read here, decided on by publishers with the review form

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        proposal = get_object_or_404(Proposal.objects.select_related("guide", "author", "reviewed_by"), pk=object_id)
        may_review = may_publish(request.user) and proposal.is_waiting
        form = ReviewForm(request.POST or None)
        if request.method == "POST":
            if not may_review:
                raise PermissionDenied
            if form.is_valid():
                return self._decide(request, proposal, form.cleaned_data)
        current = proposals.snapshot(proposal.guide_id)
        fields, parts = proposals.differences(proposal, current)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Proposed change to “%(guide)s”") % {"guide": proposal.guide},
            "proposal": proposal,
            "changes": fields,
            "parts": parts,
            "changed_since": current != proposal.base,
            "form": form if may_review else None,
            "may_edit": proposal.status in (Proposal.Status.WAITING, Proposal.Status.SENT_BACK)
            and (may_review or proposal.author_id == request.user.pk),
            "edit_url": f"{reverse('admin:guides_guide_change', args=[proposal.guide_id])}?proposal={proposal.pk}",
        }
        return TemplateResponse(request, "admin/guides/proposal/review.html", context)

    def _decide(self, request, proposal: Proposal, decision: dict) -> HttpResponseRedirect:
        if decision["decision"] == "approve":
            try:
                proposals.approve(proposal, request.user, decision["comment"])
            except IntegrityError:
                messages.error(request, _("This change no longer fits the guide as it is now: edit it further."))
                return HttpResponseRedirect(request.get_full_path())
            messages.success(request, _("Approved: readers now see this change."))
        else:
            proposals.send_back(proposal, request.user, decision["comment"])
            messages.success(request, _("Sent back to its author with your comment."))
        return HttpResponseRedirect(reverse("admin:guides_proposal_changelist") + "?status__exact=waiting")
