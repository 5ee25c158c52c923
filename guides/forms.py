"""Forms for readers' actions. Views read input through these only."""

import re
from uuid import uuid4

from django import forms
from django.utils.translation import gettext_lazy as _

from guides.models import Device, GuideVote, StepReport

_SUBMISSION = re.compile(r"^[0-9a-f]{32}$")


class ProgressForm(forms.Form):
    """Mark a step done (``done=1``) or not done (``done=0``): explicit, so a double submit is harmless."""

    done = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


def app_version_field() -> forms.CharField:
    """The app version a reader used, which readers may leave out: asked by reports and
    confirmations alike."""
    return forms.CharField(
        label=_("App version (optional)"),
        max_length=40,
        required=False,
        help_text=_("Often shown in the app's settings, under “About”."),
    )


class StepReportForm(forms.ModelForm):
    problem = forms.ChoiceField(label=_("What is wrong?"), choices=StepReport.Problem.choices, widget=forms.RadioSelect)
    seen_instead = forms.CharField(
        label=_("What do you see instead?"),
        max_length=StepReport.SEEN_INSTEAD_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the exact name of the button, or the screen you are on."),
    )
    device = forms.ChoiceField(label=_("Your device"), choices=StepReport.Device.choices, widget=forms.RadioSelect)
    app_version = app_version_field()
    contact_email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        help_text=_("Only to tell you when the step is fixed."),
    )
    # A field people never see: bots that fill in every field give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # The text the reader followed: a device's variant of the step, or "" for its common text.
    variant = forms.ChoiceField(choices=[("", ""), *Device.choices], widget=forms.HiddenInput, required=False)

    # Names this filled-in form: the same form sent twice (a double click, a second tab) is
    # one report, whoever else reports from the same address.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, initial=lambda: uuid4().hex)

    class Meta:
        model = StepReport
        fields = ["problem", "seen_instead", "device", "app_version", "contact_email", "variant"]

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_submission(self) -> str:
        submission = self.cleaned_data["submission"]
        return submission if _SUBMISSION.match(submission) else ""


class GuideVoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Did this guide help?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(
        label=_("What could be better? (optional)"),
        required=False,
        max_length=GuideVote.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmationForm(forms.Form):
    """ "Did it work?": one tap."""

    worked = forms.TypedChoiceField(
        label=_("Did it work?"), choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )


class ConfirmationDetailsForm(forms.Form):
    """Then, if the reader wishes, what they used: for editors to know which app version works."""

    app_version = app_version_field()
    device = forms.ChoiceField(
        label=_("Your device (optional)"),
        choices=StepReport.Device.choices,
        required=False,
        widget=forms.RadioSelect,
    )


class SearchForm(forms.Form):
    """A search as its address gives it: any text (the search reads what it needs of it), and
    a results page number."""

    q = forms.CharField(label=_("Search the guides"), required=False, strip=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=50)

    def clean_page(self) -> int:
        return self.cleaned_data["page"] or 1
