"""Where pages used to be, so that links to them keep working after an editor renames them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.models.content import Guide, Platform


class Address(models.Model):
    """A path a platform's or a guide's page has had, in one language (see ``guides.addresses``).

    Every address a page takes is kept: when its slug changes, the old one still names the
    page, and readers who follow it are sent on to where the page is now. A path may have
    named several pages in turn; the one that had it last wins."""

    path = models.CharField(_("path"), max_length=300, db_index=True)
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, null=True, related_name="+")
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, null=True, related_name="+")
    since = models.DateTimeField(_("since"), auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(platform__isnull=True) ^ models.Q(guide__isnull=True), name="address_names_one_page"
            ),
            models.UniqueConstraint(fields=["path", "platform"], name="address_unique_per_platform"),
            models.UniqueConstraint(fields=["path", "guide"], name="address_unique_per_guide"),
        ]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self):
        return self.path
