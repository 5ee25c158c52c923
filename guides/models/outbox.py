"""E-mails waiting to be sent, and those sent or given up (kept a while for operators, without
their recipients: an address stays here only while its message waits)."""

from django.core.mail import EmailMessage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def waiting(self):
        """Neither sent nor given up."""
        return self.filter(next_attempt_at__isnull=False)

    def due(self):
        return self.filter(next_attempt_at__lte=timezone.now())

    def done(self):
        """Sent, or given up after the last attempt."""
        return self.filter(next_attempt_at__isnull=True)


class OutboxMessage(models.Model):
    """One plain-text e-mail. Its recipients are emptied once it is sent or given up."""

    to = models.JSONField(_("to"), default=list, blank=True)
    bcc = models.JSONField(_("blind copies to"), default=list, blank=True)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        default=timezone.now,
        db_index=True,
        help_text=_("Empty once the message is sent or given up."),
    )
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return self.subject

    def email(self) -> EmailMessage:
        return EmailMessage(self.subject, self.body, to=self.to, bcc=self.bcc)
