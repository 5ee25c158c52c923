"""Admin forms: the publication rule, "minor change" edits, verification, fixing reports."""

from django import forms
from django.contrib.admin import helpers, widgets
from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.models import Guide

MINOR_CHANGE_HELP = _("A typo or formatting fix in French: English translations stay up to date.")


class TextAreaField(forms.CharField):
    """Browsers send line breaks as CRLF; keep LF, as stored, so that a text nobody touched is
    not seen as changed (which would bump ``updated_at`` and mark translations out of date)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


TEXT_AREAS = {models.TextField: {"form_class": TextAreaField, "widget": widgets.AdminTextareaWidget}}


class OrderedChildForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # Positions are renumbered 1..n when the whole formset is saved, so a clash with the
        # position a sibling still has in the database is expected mid-reorder.
        return super()._get_validation_exclusions() | {"position"}


class GuideAdminForm(forms.ModelForm):
    minor_change = forms.BooleanField(label=_("Minor change (typo)"), required=False, help_text=MINOR_CHANGE_HELP)
    # With the review buttons (guides.reviews): shown next to them, not in a fieldset.
    review_comment = forms.CharField(
        label=_("Comment for the review (optional; needed to send back)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )

    may_publish = True  # the admin hands a subclass with False to editors who may not publish

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.may_publish and "status" in self.fields:
            # Without the "publish guides" permission: write, and send to review.
            allowed = {Guide.Status.DRAFT, Guide.Status.IN_REVIEW}
            self.fields["status"].choices = [c for c in self.fields["status"].choices if c[0] in allowed]

    def clean(self):
        cleaned = super().clean()
        if "_send_back" in self.data and not cleaned.get("review_comment", "").strip():
            self.add_error("review_comment", _("Say what the author should change."))
        return cleaned

    def clean_related_guides(self):
        related = self.cleaned_data["related_guides"]
        if self.instance.pk is not None and related.filter(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A guide cannot be related to itself."))
        return related


class StepAdminForm(forms.ModelForm):
    minor_change = forms.BooleanField(label=_("Minor change (typo)"), required=False, help_text=MINOR_CHANGE_HELP)
    mark_reports_fixed = forms.BooleanField(label=_("Mark this step's open reports as fixed"), required=False)


class VerifyActionForm(helpers.ActionForm):
    app_version = forms.CharField(
        label=_("App version checked"),
        required=False,
        max_length=40,
        help_text=_("For “Mark as verified today”."),
    )
