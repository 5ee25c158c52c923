"""Changes to a published guide that wait for a publisher (see ``guides.proposals``)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guides.models.content import Guide


class ProposalQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=Proposal.Status.WAITING)


class Proposal(models.Model):
    """What an editor without the publish permission changed in a published guide: the guide as
    it was (``base``) and as they left it (``proposed``), both as ``guides.proposals.snapshot``
    writes them. Readers see neither until a publisher approves it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")
        REPLACED = "replaced", _("Replaced by a newer proposal")

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("guide"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    base = models.JSONField(_("guide before"))
    proposed = models.JSONField(_("guide proposed"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("publisher's comment"), blank=True, max_length=2000)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")

    def __str__(self):
        return f"{self.guide} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("admin:guides_proposal_change", args=[self.pk])

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING
