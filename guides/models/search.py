"""What search reads: published guides broken into documents per language, the words they use
(to correct typos against), and the searches that found nothing (for editors).

The documents are derived data, rebuilt from the guides whenever they change (see
``guides.search.documents``); each database adds its own index over them in the migration that
creates them: FTS5 on SQLite, a weighted ``tsvector`` with a GIN index on PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guides.models.content import Guide, Step


class SearchDocument(models.Model):
    """A published guide as a reader of one language sees it: the whole guide in one document,
    which ranks guides, and each of its parts, which show where a guide matches: the guide
    itself (title, platform, summary, prerequisites, conclusion) and each of its steps."""

    WHOLE, GUIDE, STEP = "whole", "guide", "step"  # scopes: the whole guide, or one of its parts

    language = models.CharField(max_length=10)
    scope = models.CharField(max_length=5)
    # Before the texts: the columns read for every match stay on the row's first page.
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, null=True, related_name="+")
    # What results show, as the page shows it (French where the language's text is missing).
    url = models.CharField(max_length=400)  # the guide's page; a step adds its anchor
    platform_name = models.CharField(max_length=100, blank=True)
    title = models.TextField()
    labels = models.TextField(blank=True)  # interface labels, `Label` in Markdown
    body = models.TextField(blank=True)  # plain text
    title_language = models.CharField(max_length=10)
    body_language = models.CharField(max_length=10)
    # How the texts above are indexed: the SQLite index reads the terms; PostgreSQL makes its
    # own vector from the texts with this text search configuration.
    search_config = models.CharField(max_length=40)
    title_terms = models.TextField(blank=True)
    labels_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["guide", "language"])]

    def __str__(self):
        return f"{self.language}: {self.title}"

    @property
    def anchor_url(self) -> str:
        return f"{self.url}#step-{self.step_id}" if self.step_id else self.url


class SearchWord(models.Model):
    """A word some published text uses, folded (no case, no accents): typos are corrected
    towards these."""

    language = models.CharField(max_length=10)
    word = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["language", "word"], name="search_word_unique")]

    def __str__(self):
        return self.word


class MissedSearch(models.Model):
    """How many times readers of one language searched for this, on one day, and found nothing.

    Only the folded text is kept, never who searched."""

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    query = models.CharField(_("search"), max_length=100)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("searches"), default=0)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("handled by")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "query", "day"], name="missed_search_unique_per_day")
        ]
        indexes = [models.Index(fields=["day"])]
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")

    def __str__(self):
        return self.query
