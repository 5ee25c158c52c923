"""The version of what readers see: one number, read by every cached page, changed by every change.

Saving or deleting a platform, guide, prerequisite or step changes it (signals, connected in
``apps.py``), so do the few writes that bypass signals (reports triaged) and a reader's report
when it makes a step's notice appear. It changes in the transaction of the change: a page
rendered before the change is committed is keyed by the old number, one rendered after by the
new one, on every process and host.

Each new number is drawn at random rather than counted up: a number then names one state of the
content for good. A database restored from a backup brings back a number together with the
content it named, so pages cached under it are still right; a counter would hand out old numbers
again for new content.
"""

import secrets

from django.db import connection

from guides.models import ContentVersion

_READ = f"SELECT number FROM {ContentVersion._meta.db_table} WHERE id = 1"  # noqa: S608 - no input in it


def current() -> int:
    """The number now; one query, the cheapest there is (every cached page pays it)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_on_relation_change(action: str, **kwargs) -> None:
    """Change the number once a many-to-many relation readers see (related guides) has changed."""
    if action.startswith("post_"):
        bump()


def bump(**kwargs) -> None:
    """Change the number (also a signal receiver, hence ``kwargs``)."""
    number = secrets.randbits(63)
    if not ContentVersion.objects.filter(pk=1).update(number=number):
        ContentVersion.objects.update_or_create(pk=1, defaults={"number": number})
