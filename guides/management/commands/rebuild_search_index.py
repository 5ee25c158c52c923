"""Rewrite what search reads from the guides: after changing GUIDES_SEARCH_LANGUAGES, or to
drop words no guide uses any more from the vocabulary typos are corrected against."""

from django.core.management.base import BaseCommand
from django.db import transaction

from guides.search import documents


class Command(BaseCommand):
    # Operators read this output: kept in English, like the log messages.
    help = "Rewrite the search documents of every published guide, and the search vocabulary."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = documents.rebuild()
        self.stdout.write(f"search documents written: {count}")
