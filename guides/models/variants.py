"""What differs between readers' devices and languages within one step: its text on Android, on
an iPhone or on the website (``StepVariant``), and its screenshots (``Screenshot``), one per
language and, where the screens differ, per device."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guides import screenshots
from guides.markdown import render_markdown
from guides.models.content import Step, TracksTranslations, TranslatedContent


class Device(models.TextChoices):
    """Where a reader follows a guide, as far as its steps can differ."""

    ANDROID = "android", _("Android")
    IOS = "ios", _("iPhone")
    WEB = "web", _("Website")


class StepVariant(TracksTranslations, TranslatedContent):
    """A step as it reads on one device, in place of the step's common text."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="variants", verbose_name=_("step"))
    device = models.CharField(_("device"), max_length=20, choices=Device.choices)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Leave empty to keep the step's own title.")
    )
    body = models.TextField(
        _("body"), help_text=_("What readers on this device do, in place of the step's common text.")
    )

    shown_fields = ("device",)

    class Meta:
        ordering = ["step", "device"]
        constraints = [models.UniqueConstraint(fields=["step", "device"], name="one_variant_per_step_device")]
        verbose_name = _("device variant")
        verbose_name_plural = _("device variants")

    def __str__(self):
        return f"{self.step} ({self.get_device_display()})"

    @property
    def body_html(self):
        return render_markdown(self.body)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.changed_for_readers:
            touch(self.step_id)


def touch(step_id: int) -> None:
    """A step's variant or screenshot changed: so did the step, for readers who marked it done."""
    Step.objects.filter(pk=step_id).update(updated_at=timezone.now())


class Screenshot(models.Model):
    """A screenshot of a step in one language, of its common text or of one device's variant.

    Uploads are checked and re-encoded without their metadata, with smaller copies for phones
    (``guides.screenshots``)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="screenshots", verbose_name=_("step"))
    device = models.CharField(
        _("device"),
        max_length=20,
        choices=Device.choices,
        blank=True,
        help_text=_("Leave empty for the screenshot of the step's common text."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    image = models.ImageField(
        _("image"),
        upload_to="screenshots/",
        validators=[screenshots.validate],
        help_text=_("PNG, JPEG or WebP. Location and camera details are removed on upload."),
    )
    # Set from the pixels when an upload is prepared, never read back from the file: a file gone
    # missing costs its picture, not the step's admin page.
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    renditions = models.JSONField(_("smaller copies"), default=list, blank=True, editable=False)
    alt = models.CharField(
        _("description"), max_length=300, help_text=_("What the screenshot shows, for people who cannot see it.")
    )

    class Meta:
        ordering = ["step", "device", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "device", "language"], name="one_screenshot_per_step_device_language"
            )
        ]
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")

    def __str__(self):
        return self.alt

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            screenshots.prepare(self)
        super().save(*args, **kwargs)
        touch(self.step_id)

    @property
    def sources(self) -> screenshots.Sources:
        return screenshots.sources(self)
