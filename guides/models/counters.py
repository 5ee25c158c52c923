"""Counters: readers' rate limits (see ``guides.ratelimit``), and the version of what readers see
(see ``guides.content_version``)."""

from django.db import models


class RateLimitCounter(models.Model):
    """How often one client used one action in the current window (see ``guides.ratelimit``)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


class ContentVersion(models.Model):
    """One row whose number changes with every change readers would see. Cached pages are keyed
    by it: a change shows on the very next request, on every process and host, without telling
    any cache. It lives in the database, the one store every process shares on any set-up, and
    changes in the transaction of the change itself (see ``guides.content_version``)."""

    number = models.PositiveBigIntegerField(default=1)

    def __str__(self):
        return str(self.number)
