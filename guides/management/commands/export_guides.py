from django.core.management.base import BaseCommand, CommandError
from modeltranslation.utils import build_localized_fieldname

from guides import transfer
from guides.models import SOURCE_LANGUAGE, Guide


class Command(BaseCommand):
    help = "Write guides, with every language, their steps, variants and screenshots, as JSON (readers' data never)."

    def add_arguments(self, parser):
        parser.add_argument("--platform", help="Only this platform's guides (its address in the source language).")
        parser.add_argument("--guide", help="Only the guide at this address (in the source language).")

    def handle(self, *args, platform=None, guide=None, **options):
        guides = Guide.objects.all()
        if platform:
            guides = guides.filter(**{build_localized_fieldname("platform__slug", SOURCE_LANGUAGE): platform})
        if guide:
            guides = guides.filter(**{build_localized_fieldname("slug", SOURCE_LANGUAGE): guide})
        if not guides.exists():
            raise CommandError("No guide matches.")
        self.stdout.write(transfer.dumps(transfer.export(guides)))
