"""The version of what readers see: one number, read by every cached page, raised by every change.

Saving or deleting a platform, guide, prerequisite or step raises it (signals, connected in
``apps.py``), so do the few writes that bypass signals (positions renumbered, reports triaged),
and a reader's report when it makes a step's notice appear. It is raised in the transaction of
the change: a page rendered before the change is committed is keyed by the old number, one
rendered after by the new one, on every process and host.
"""

from django.db import connection
from django.db.models import F

from guides.models import ContentVersion

_READ = f"SELECT number FROM {ContentVersion._meta.db_table} WHERE id = 1"  # noqa: S608 - no input in it


def current() -> int:
    """The number now; one query, the cheapest there is (every cached page pays it)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        row = cursor.fetchone()
    return row[0] if row else 0


def bump(**kwargs) -> None:
    """Raise the number (also a signal receiver, hence ``kwargs``)."""
    if not ContentVersion.objects.filter(pk=1).update(number=F("number") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": 2})
