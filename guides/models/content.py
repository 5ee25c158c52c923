"""Platforms, their guides, and each guide's prerequisites and ordered steps.

Text fields marked as translated in ``translation.py`` get ``_fr`` and ``_en`` columns from
django-modeltranslation; French is the source language.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, get_language

from guides.app_versions import major
from guides.markdown import render_markdown
from guides.ordering import lock, save_in_order

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


class TracksChanges(models.Model):
    """Tells a change readers should hear of from a minor one.

    Editors flag a typo fix as minor by setting ``minor_change`` on the instance before saving.
    An object loaded from the database remembers what it held, so that a save changing nothing
    readers see (the admin saves a form even when nobody touched it) is no change either; after
    a save, ``changed_for_readers`` says which it was."""

    minor_change = False
    shown_fields: tuple[str, ...] = ()  # what readers see of it besides its translated fields
    changed_for_readers = False
    changed_content = False  # what readers see changed, by a minor edit or not

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.changed_content = self._differs_from_stored()
        self.changed_for_readers = self.changed_content and not self.minor_change
        super().save(*args, **kwargs)
        deferred = self.get_deferred_fields()
        self._loaded_values = {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.attname not in deferred
        }

    @classmethod
    def from_db(cls, db, field_names, values):
        # Keep what the database held (cheap: pages load many steps, few are saved).
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def _changes_what_readers_see(self) -> bool:
        return not self.minor_change and self._differs_from_stored()

    def _differs_from_stored(self) -> bool:
        saved = getattr(self, "_loaded_values", None)
        if saved is None:  # a new object
            return True
        translated = translator.get_options_for_model(type(self)).all_fields
        names = [build_localized_fieldname(name, code) for name in translated for code in language_codes()]
        return any(
            name in saved and not _same(getattr(self, name), saved[name]) for name in [*names, *self.shown_fields]
        )


def _same(value: object, stored: object) -> bool:
    # An empty translation is stored as None or "" depending on how the row was written.
    return (value if value is not None else "") == (stored if stored is not None else "")


class TracksTranslations(TracksChanges):
    """Marks an English field out of date when its French source changes after it.

    A French edit flagged as minor (a typo, see ``TracksChanges``) leaves translations as they
    are. Saving an English field clears its mark.
    """

    outdated_translations = models.JSONField(
        _("translations to update"),
        default=list,
        blank=True,
        help_text=_("Fields whose English text is older than a change of the French original."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._note_translation_changes()
        super().save(*args, **kwargs)

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


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class HasSlugs(models.Model):
    """A slug per language (``slug`` is translated), each filled when left empty.

    Every language's slug is set, so that addresses read in their language and lookups by slug
    need no fallback: an empty one takes the slug of the title in that language, or else the
    source language's slug. Filled in ``clean()``, so that a clash shows on the form, and again
    in ``save()`` for code that saves without cleaning."""

    slug_source = "title"  # the translated field a missing slug is made from
    slug_scope: tuple[str, ...] = ()  # the fields within whose values a slug is unique
    slug_taken_message = _("Another page already has this address in %(language)s.")
    reserved_slugs: frozenset[str] = frozenset()  # addresses of the site's own pages at this level

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_slugs()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.fill_slugs()
        names = dict(settings.LANGUAGES)
        refused = {}
        for code in language_codes():
            field = build_localized_fieldname("slug", code)
            if getattr(self, field) in self.reserved_slugs:
                refused[field] = _("The site uses this address for a page of its own: choose another.")
            elif self._slug_taken(field, getattr(self, field)):
                refused[field] = self.slug_taken_message % {"language": names[code]}
        if refused:
            raise ValidationError(refused)

    def fill_slugs(self) -> None:
        """Give each language without a slug the slug of its title, or the source language's
        slug when that one is taken (a query, only for a slug still empty)."""
        for code in [SOURCE_LANGUAGE, *language_codes()]:
            field = build_localized_fieldname("slug", code)
            if getattr(self, field):
                continue
            title = getattr(self, build_localized_fieldname(self.slug_source, code)) or ""
            source = getattr(self, build_localized_fieldname("slug", SOURCE_LANGUAGE)) or ""
            candidates = [slug for slug in (_slug_of(title), source) if slug]
            free = [slug for slug in candidates if not self._slug_taken(field, slug)]
            setattr(self, field, next(iter(free or candidates), ""))

    def _slug_taken(self, field: str, slug: str) -> bool:
        scope = {name: getattr(self, name) for name in self.slug_scope}
        return type(self)._base_manager.filter(**scope, **{field: slug}).exclude(pk=self.pk).exists()

    @classmethod
    def slug_constraints(cls, name: str, *scope: str) -> list[models.UniqueConstraint]:
        """One slug per ``scope`` and language: an address names one page in each language."""
        return [
            models.UniqueConstraint(
                fields=[*scope, build_localized_fieldname("slug", code)], name=f"{name}_slug_{code}_unique"
            )
            for code in language_codes()
        ]


def _slug_of(title: str, max_length: int = 50) -> str:
    slug = slugify(title)
    if len(slug) <= max_length:
        return slug
    return slug[: max_length + 1].rsplit("-", 1)[0][:max_length]


class Platform(HasSlugs, TranslatedContent):
    slug = models.SlugField(_("slug"), help_text=_("Used in addresses, e.g. “tiktok”."))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Platforms are listed by this number, smallest first.")
    )
    current_app_version = models.CharField(
        _("current app version"),
        max_length=40,
        blank=True,
        help_text=_(
            "The app's latest version. Guides checked with an older major version become due for verification."
        ),
    )
    current_major = models.PositiveIntegerField(_("current major version"), null=True, blank=True, editable=False)

    slug_source = "name"
    reserved_slugs = frozenset({"search"})  # /<lang>/search/ (guides.urls)
    slug_taken_message = _("Another platform already has this address in %(language)s.")

    class Meta:
        ordering = ["position", "slug"]
        constraints = HasSlugs.slug_constraints("platform")
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.current_major = major(self.current_app_version)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "current_major"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("guides:platform", args=[self.slug])


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Guide.Status.PUBLISHED)

    def to_review(self):
        """Published guides nobody has verified for too long, with confirmed reports, checked
        with an older major version of the app than the platform's current one, or that readers
        who finished them said did not work (a soft report each)."""
        from guides.models.feedback import StepReport  # which refers to this module's models

        stale_before = timezone.localdate() - timedelta(days=settings.GUIDES_VERIFY_EVERY_DAYS)
        # Readers who finished the guide since it last changed and said it did not work.
        since_change = Coalesce(models.F("changed_at"), models.F("published_at"), models.F("created_at"))
        failed = models.Count(
            "confirmations",
            filter=models.Q(confirmations__worked=False, confirmations__created_at__gte=since_change),
            distinct=True,
        )
        return (
            self.published()
            .annotate(failed_confirmations=failed)
            .filter(
                models.Q(last_verified_on__isnull=True)
                | models.Q(last_verified_on__lt=stale_before)
                | models.Q(reports__status=StepReport.Status.CONFIRMED)
                | models.Q(verified_major__lt=models.F("platform__current_major"))
                | models.Q(failed_confirmations__gte=settings.GUIDES_REPORT_NOTICE_READERS)
            )
            .distinct()
        )

    def with_outdated_translations(self):
        return self.exclude(outdated_translations=[])


class Guide(HasSlugs, TracksTranslations, TranslatedContent):
    slug_scope = ("platform_id",)
    slug_taken_message = _("Another guide of this platform already has this address in %(language)s.")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Waiting for approval")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="guides", verbose_name=_("platform"))
    slug = models.SlugField(
        _("slug"), help_text=_("Used in the guide's address in this language; unique per platform.")
    )
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
    verified_major = models.PositiveIntegerField(_("verified major version"), null=True, blank=True, editable=False)
    related_guides = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="related_from",
        verbose_name=_("related guides"),
        help_text=_(
            "Shown at the end of the guide, once published. Without any, readers see other guides of the same platform."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False, help_text=_("When readers could first see it.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("submitted for approval by"),
    )
    changed_at = models.DateTimeField(
        _("last changed for readers"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Its last change other than a minor one, or of its steps and prerequisites."),
    )

    objects = GuideQuerySet.as_manager()

    shown_fields = ("status", "platform_id", "estimated_minutes")

    class Meta:
        ordering = ["platform__position", "created_at"]
        constraints = HasSlugs.slug_constraints("guide", "platform")
        permissions = [("publish_guide", _("Can publish and archive guides"))]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        dated = self._date_the_change()
        self.verified_major = major(self.verified_app_version)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *dated, "verified_major"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("guides:guide", args=[self.platform.slug, self.slug])

    def _date_the_change(self) -> list[str]:
        """Date a first publication, or a change readers should hear of: the fields it set."""
        now = timezone.now()
        if self.is_published and self.published_at is None:
            self.published_at = self.changed_at = now
            return ["published_at", "changed_at"]
        if self._changes_what_readers_see():
            self.changed_at = now
            return ["changed_at"]
        return []

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def app_moved_on(self) -> bool:
        """Whether the app's major version is past the one the guide was checked with."""
        current = self.platform.current_major
        return bool(self.verified_major and current and self.verified_major < current)

    @property
    def last_changed(self) -> datetime:
        """When readers last saw it change: what the feed and the sitemap date it by."""
        return self.changed_at or self.published_at or self.updated_at

    def mark_verified(self, app_version: str = "") -> None:
        self.last_verified_on = timezone.localdate()
        self.verified_app_version = app_version
        self.save(update_fields=["last_verified_on", "verified_app_version", "updated_at"])

    @transaction.atomic
    def close_step_gaps(self) -> None:
        """Renumber the steps 1..n after some were deleted, keeping their order."""
        lock(self)
        save_in_order(self.steps.all(), ordered=list(self.steps.order_by("position")))


class Ordered(models.Model):
    """A child kept at positions 1..n within its guide (see ``guides.ordering``)."""

    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position"]


class Prerequisite(Ordered, TracksChanges, TranslatedContent):
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
        from guides.models.feedback import StepReport  # which refers to this module's models

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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StepQuerySet.as_manager()

    shown_fields = ("surface",)

    class Meta(Ordered.Meta):
        constraints = [models.UniqueConstraint(fields=["guide", "position"], name="step_position_unique")]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.guide.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"step-{self.pk}"

    @property
    def body_html(self):
        return render_markdown(self.body)

    def has_open_report_from(self, reader_key: str | None) -> bool:
        return bool(reader_key) and self.reports.open().filter(reader_key=reader_key).exists()
