"""Counters behind readers' rate limits (see ``guides.ratelimit``)."""

from django.db import models


class RateLimitCounter(models.Model):
    """How often one client used one action in the current window (see ``guides.ratelimit``)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
