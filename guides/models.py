"""Platforms, their guides, and each guide's prerequisites and ordered steps.

Text fields marked as translated in ``translation.py`` get ``_fr`` and ``_en`` columns from
django-modeltranslation; French is the source language.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, get_language

from guides.markdown import render_markdown
from guides.ordering import save_in_order

SOURCE_LANGUAGE = "fr"
READER_LANGUAGES = [("fr", _("French")), ("en", _("English"))]


class TranslatedContent(models.Model):
    """Tells templates which fields fall back to the French source in the active language."""

    class Meta:
        abstract = True

    @property
    def untranslated(self) -> frozenset[str]:
        """Names of translated fields showing French text because the active language's is empty.

        Templates ask several times per object; it is worked out once per object and language."""
        language = get_language()
        if language == SOURCE_LANGUAGE:
            return frozenset()
        known = self.__dict__.setdefault("_untranslated", {})
        if language not in known:
            known[language] = frozenset(
                name
                for name in translator.get_options_for_model(type(self)).all_fields
                if not getattr(self, build_localized_fieldname(name, language))
                and getattr(self, build_localized_fieldname(name, SOURCE_LANGUAGE))
            )
        return known[language]


class TracksTranslations(models.Model):
    """Marks an English field out of date when its French source changes after it.

    Editors may flag a French edit as minor (a typo) by setting ``minor_change`` on the instance
    before saving; then translations stay as they are. Saving an English field clears its mark.
    """

    outdated_translations = models.JSONField(
        _("translations to update"),
        default=list,
        blank=True,
        help_text=_("Fields whose English text is older than a change of the French original."),
    )

    minor_change = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._note_translation_changes()
        super().save(*args, **kwargs)
        self._loaded_values = {name: getattr(self, name) for name in self._tracked_columns()}

    @classmethod
    def from_db(cls, db, field_names, values):
        # Keep what the database held (cheap: pages load many steps, few are saved).
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    @classmethod
    def _tracked_columns(cls) -> list[str]:
        return [
            build_localized_fieldname(name, language)
            for name in translator.get_options_for_model(cls).all_fields
            for language in (SOURCE_LANGUAGE, "en")
        ]

    def _note_translation_changes(self) -> None:
        saved = getattr(self, "_loaded_values", None)
        if saved is None:  # a new object: nothing was translated from an older French text
            return
        outdated = set(self.outdated_translations or [])
        for name in translator.get_options_for_model(type(self)).all_fields:
            french, english = (build_localized_fieldname(name, lang) for lang in (SOURCE_LANGUAGE, "en"))
            if english not in saved or french not in saved:  # loaded with only() / defer()
                continue
            if getattr(self, english) != saved[english]:
                outdated.discard(name)
            elif getattr(self, french) != saved[french] and getattr(self, english) and not self.minor_change:
                outdated.add(name)
        self.outdated_translations = sorted(outdated)

    @property
    def english_outdated(self) -> frozenset[str]:
        """Fields whose English text readers of the English page should know is behind."""
        if get_language() == SOURCE_LANGUAGE:
            return frozenset()
        return frozenset(self.outdated_translations or [])


class Platform(TranslatedContent):
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in addresses, e.g. “tiktok”."))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Platforms are listed by this number, smallest first.")
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guides:platform", args=[self.slug])


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Guide.Status.PUBLISHED)

    def to_review(self):
        """Published guides nobody has verified for too long, or with confirmed reports."""
        stale_before = timezone.localdate() - timedelta(days=settings.GUIDES_VERIFY_EVERY_DAYS)
        return (
            self.published()
            .filter(
                models.Q(last_verified_on__isnull=True)
                | models.Q(last_verified_on__lt=stale_before)
                | models.Q(reports__status=StepReport.Status.CONFIRMED)
            )
            .distinct()
        )

    def with_outdated_translations(self):
        return self.exclude(outdated_translations=[])


class Guide(TracksTranslations, TranslatedContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="guides", verbose_name=_("platform"))
    slug = models.SlugField(_("slug"), help_text=_("Used in the guide's address; unique per platform."))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences: what the guide achieves."))
    conclusion = models.TextField(_("conclusion"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated time (minutes)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    last_verified_on = models.DateField(
        _("last verified on"), null=True, blank=True, help_text=_("When someone last followed the guide in the app.")
    )
    verified_app_version = models.CharField(
        _("verified app version"), max_length=40, blank=True, help_text=_("The app version it was checked with.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["platform__position", "created_at"]
        constraints = [models.UniqueConstraint(fields=["platform", "slug"], name="guide_slug_unique_per_platform")]
        permissions = [("publish_guide", _("Can publish and archive guides"))]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:guide", args=[self.platform.slug, self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def mark_verified(self, app_version: str = "") -> None:
        self.last_verified_on = timezone.localdate()
        self.verified_app_version = app_version
        self.save(update_fields=["last_verified_on", "verified_app_version", "updated_at"])

    def close_step_gaps(self) -> None:
        """Renumber the steps 1..n after some were deleted, keeping their order."""
        save_in_order(self.steps.all(), ordered=list(self.steps.order_by("position")))

    def reset_progress(self, reader_key: str) -> None:
        StepCompletion.objects.filter(reader_key=reader_key, step__guide=self).delete()


class Ordered(models.Model):
    """A child kept at positions 1..n within its guide (see ``guides.ordering``)."""

    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position"]


class Prerequisite(Ordered, TranslatedContent):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="prerequisites", verbose_name=_("guide"))
    text = models.CharField(_("text"), max_length=300)

    class Meta(Ordered.Meta):
        constraints = [models.UniqueConstraint(fields=["guide", "position"], name="prerequisite_position_unique")]
        verbose_name = _("prerequisite")
        verbose_name_plural = _("before you start")

    def __str__(self):
        return self.text


class StepQuerySet(models.QuerySet):
    def with_outdated_translations(self):
        return self.exclude(outdated_translations=[])

    def with_open_report_readers(self):
        """Annotate how many distinct readers have an open report on each step."""
        return self.annotate(
            open_report_readers=models.Count(
                "reports__reader_key",
                filter=models.Q(reports__status__in=StepReport.OPEN_STATUSES),
                distinct=True,
            )
        )


class Step(Ordered, TracksTranslations, TranslatedContent):
    class Surface(models.TextChoices):
        APP = "app", _("In the app")
        WEBSITE = "website", _("On the website")
        EMAIL = "email", _("In your e-mail")
        ANYWHERE = "anywhere", _("Anywhere")

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="steps", verbose_name=_("guide"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Markdown: **bold**, *italics*, [link](https://…), lists, and `Label` for interface labels."),
    )
    surface = models.CharField(_("where it happens"), max_length=20, choices=Surface.choices, default=Surface.APP)
    image = models.ImageField(_("screenshot"), upload_to="steps/%Y/", blank=True)
    image_alt = models.CharField(
        _("screenshot description"),
        max_length=300,
        blank=True,
        help_text=_("What the screenshot shows, for people who cannot see it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StepQuerySet.as_manager()

    class Meta(Ordered.Meta):
        constraints = [models.UniqueConstraint(fields=["guide", "position"], name="step_position_unique")]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.guide.get_absolute_url()}#{self.anchor}"

    def clean(self):
        alt_field = build_localized_fieldname("image_alt", SOURCE_LANGUAGE)
        if self.image and not getattr(self, alt_field):
            raise ValidationError({alt_field: _("Describe the screenshot for people who cannot see it.")})

    @property
    def anchor(self) -> str:
        return f"step-{self.pk}"

    @property
    def body_html(self):
        return render_markdown(self.body)

    def mark_done(self, reader_key: str) -> None:
        StepCompletion.objects.get_or_create(reader_key=reader_key, step=self)

    def mark_not_done(self, reader_key: str) -> None:
        StepCompletion.objects.filter(reader_key=reader_key, step=self).delete()

    def has_open_report_from(self, reader_key: str | None) -> bool:
        return bool(reader_key) and self.reports.open().filter(reader_key=reader_key).exists()


class StepCompletion(models.Model):
    """A reader ticked a step off. Readers are anonymous: ``reader_key`` lives in their session."""

    reader_key = models.CharField(_("reader"), max_length=32, db_index=True)
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="completions", verbose_name=_("step"))
    created_at = models.DateTimeField(_("done at"), auto_now_add=True)

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
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)

    objects = StepReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "reader_key"],
                condition=models.Q(status__in=["new", "confirmed"]),
                name="one_open_report_per_reader_step",
            )
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


class RateLimitCounter(models.Model):
    """How often one client used one action in the current window (see ``guides.ratelimit``)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
