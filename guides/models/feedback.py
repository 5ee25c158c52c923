"""What readers leave: their progress through a guide's steps, their reports that a step no
longer matches the app, their votes on guides; and the digests that carry reports to editors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from guides.models.content import READER_LANGUAGES, SOURCE_LANGUAGE, Guide, Step
from guides.models.variants import Device as StepDevice


class StepCompletionQuerySet(models.QuerySet):
    def record(self, reader_key: str, step_id: int, done: bool) -> None:
        """Mark a step done or not done for a reader, in one query either way (again: no change)."""
        if done:
            self.bulk_create([StepCompletion(reader_key=reader_key, step_id=step_id)], ignore_conflicts=True)
        else:
            self.filter(reader_key=reader_key, step_id=step_id).delete()


class StepCompletion(models.Model):
    """A reader ticked a step off. Readers are anonymous: ``reader_key`` lives in their cookie."""

    reader_key = models.CharField(_("reader"), max_length=32, db_index=True)
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="completions", verbose_name=_("step"))
    created_at = models.DateTimeField(_("done at"), auto_now_add=True)

    objects = StepCompletionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reader_key", "step"], name="one_completion_per_reader_step")]
        verbose_name = _("step completion")
        verbose_name_plural = _("step completions")

    def __str__(self):
        return f"{self.step} ✓"


class StepReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=StepReport.OPEN_STATUSES)

    def movable_to(self, status: str):
        """These reports that would change by moving to ``status``. Reopening a closed report must
        not give a reader two open reports on one step, so those stay as they are."""
        reports = self.exclude(status=status)
        if status in StepReport.OPEN_STATUSES:
            other_open = StepReport.objects.open().filter(
                original_step_id=models.OuterRef("original_step_id"), reader_key=models.OuterRef("reader_key")
            )
            reports = reports.exclude(~models.Q(status__in=StepReport.OPEN_STATUSES) & models.Exists(other_open))
        return reports


class StepReport(models.Model):
    """A reader says a step no longer matches what the app shows."""

    class Problem(models.TextChoices):
        RENAMED = "renamed", _("A label or button has another name")
        MISSING = "missing", _("An option is missing")
        MOVED = "moved", _("The screens come in another order")
        OTHER = "other", _("Something else")

    class Device(models.TextChoices):
        ANDROID = "android", _("Android")
        IOS = "ios", _("iPhone or iPad (iOS)")
        WEB = "web", _("Web browser")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONFIRMED = "confirmed", _("Confirmed")
        FIXED = "fixed", _("Fixed")
        DISMISSED = "dismissed", _("Dismissed")

    OPEN_STATUSES = (Status.NEW, Status.CONFIRMED)
    SEEN_INSTEAD_MAX_LENGTH = 1000

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="reports", verbose_name=_("guide"))
    # A report outlives its step: a step deleted, or taken away by restoring an older version of
    # its guide, must not take what readers told editors with it.
    step = models.ForeignKey(
        Step, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("step")
    )
    # What the reader was looking at, filled from the step when the report is made, so that a
    # report on a removed step still says what it was about. The id groups the reports of one
    # removed step together (its titles differ by the readers' languages).
    original_step_id = models.PositiveBigIntegerField(_("step id"), db_index=True)
    step_number = models.PositiveIntegerField(_("step number when reported"))
    step_title = models.CharField(_("step as the reader saw it"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=READER_LANGUAGES)
    problem = models.CharField(_("what is wrong"), max_length=20, choices=Problem.choices)
    seen_instead = models.TextField(_("what the reader sees instead"), max_length=SEEN_INSTEAD_MAX_LENGTH)
    app_version = models.CharField(_("app version"), max_length=40, blank=True)
    device = models.CharField(_("device"), max_length=20, choices=Device.choices)
    # The text the reader followed: one device's variant of the step, or its common text ("").
    variant = models.CharField(_("variant seen"), max_length=20, choices=StepDevice.choices, blank=True)
    # Erased once the reader's fix notice is queued, or by purge_expired_data after
    # GUIDES_CONTACT_EMAIL_DAYS (see guides.retention).
    contact_email = models.EmailField(_("e-mail for a follow-up"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    reporter_notified_at = models.DateTimeField(_("fix notice queued at"), null=True, blank=True)
    reader_key = models.CharField(_("reader"), max_length=32, db_index=True)
    # The filled-in form this report came from: the same form sent twice is one report.
    submission = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)

    objects = StepReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "reader_key"],
                condition=models.Q(status__in=["new", "confirmed"]),
                name="one_open_report_per_reader_step",
            ),
            models.UniqueConstraint(
                fields=["submission"], condition=~models.Q(submission=""), name="one_report_per_submission"
            ),
        ]
        # Readers' addresses are for telling them of a fix, not for editors to read: only those
        # given this permission (superusers have it) see them in the admin.
        permissions = [("view_contact_email", _("Can see readers' contact e-mails"))]
        verbose_name = _("step report")
        verbose_name_plural = _("step reports")

    def __str__(self):
        return f"{self.step_title} · {self.get_problem_display()}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.step is not None and not self.original_step_id:
            self.note_step(self.step)
        super().save(*args, **kwargs)

    def note_step(self, step: Step) -> None:
        """Keep the step's guide, number and title as the reader saw it (French where the
        reader's language had no title yet)."""
        self.guide_id = step.guide_id
        self.original_step_id = step.pk
        self.step_number = step.position
        in_language = getattr(step, build_localized_fieldname("title", self.language), "")
        self.step_title = in_language or getattr(step, build_localized_fieldname("title", SOURCE_LANGUAGE))

    @property
    def step_removed(self) -> bool:
        return self.step_id is None

    @staticmethod
    def step_title_in(reports: list["StepReport"], language: str) -> str:
        """The title readers saw of the step of ``reports`` (one step): in ``language`` if one of
        them reported in it, else the first's."""
        return next((report.step_title for report in reports if report.language == language), reports[0].step_title)


class GuideVote(models.Model):
    """A reader's answer to "Did this guide help?"; one per reader and guide, which they may change."""

    REASON_MAX_LENGTH = 500

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="votes", verbose_name=_("guide"))
    helpful = models.BooleanField(_("helpful"))
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=8, choices=READER_LANGUAGES)
    reader_key = models.CharField(_("reader"), max_length=32, db_index=True)
    created_at = models.DateTimeField(_("voted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guide", "reader_key"], name="one_vote_per_reader_guide")]
        verbose_name = _("guide vote")
        verbose_name_plural = _("guide votes")

    def __str__(self):
        return f"{self.guide}: {'+' if self.helpful else '-'}"

    @property
    def explained(self) -> bool:
        """Whether the reader said what could be better."""
        return bool(self.reason)


class GuideConfirmationQuerySet(models.QuerySet):
    def since_last_change(self, guide: Guide):
        """The confirmations that still say something: made since the guide last changed for
        readers (its first publication, or its last change other than a minor one)."""
        changed = guide.changed_at or guide.published_at
        return self.filter(guide=guide, created_at__gte=changed) if changed else self.filter(guide=guide)


class GuideConfirmation(models.Model):
    """A reader who finished a guide says whether it worked, with the app version and device if
    they wish. One per reader and guide; nothing else about them is kept."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("guide"))
    worked = models.BooleanField(_("it worked"))
    app_version = models.CharField(_("app version"), max_length=40, blank=True)
    device = models.CharField(_("device"), max_length=20, choices=StepReport.Device.choices, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=READER_LANGUAGES)
    reader_key = models.CharField(_("reader"), max_length=32, db_index=True)
    created_at = models.DateTimeField(_("confirmed at"), auto_now_add=True, db_index=True)

    objects = GuideConfirmationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "reader_key"], name="one_confirmation_per_reader_guide")
        ]
        verbose_name = _("reader confirmation")
        verbose_name_plural = _("reader confirmations")

    def __str__(self):
        return f"{self.guide}: {'✓' if self.worked else '✗'}"


class ReportDigest(models.Model):
    """A digest of new reports e-mailed to the Editors group; the next one starts where it ended."""

    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    covered_until = models.DateTimeField(_("covers reports until"))
    report_count = models.PositiveIntegerField(_("reports"))
    recipient_count = models.PositiveIntegerField(_("recipients"))

    class Meta:
        ordering = ["-covered_until"]
        get_latest_by = "covered_until"
        verbose_name = _("report digest")
        verbose_name_plural = _("report digests")

    def __str__(self):
        return f"{self.covered_until:%Y-%m-%d %H:%M} ({self.report_count})"
