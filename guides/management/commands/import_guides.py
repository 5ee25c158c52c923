from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guides import transfer


class Command(BaseCommand):
    help = (
        "Read guides from a file written by export_guides: all checked first, nothing written unless the whole "
        "file is valid; guides known by platform and address are updated, others created, as drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what would change.")
        parser.add_argument("--keep-status", action="store_true", help="Keep the guides' status (publish them).")

    def handle(self, *args, file: Path, dry_run=False, keep_status=False, **options):
        try:
            if file.stat().st_size > transfer.max_bytes():
                raise transfer.ImportRefused([f"{file} is larger than the import limit."])
            data = transfer.load(file.read_bytes())
            plan = transfer.import_guides(data, keep_status=keep_status, dry_run=dry_run)
        except OSError as error:
            raise CommandError(str(error)) from error
        except transfer.ImportRefused as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.errors)) from error
        verb = "Would create" if dry_run else "Created"
        for platform in plan.platforms_created:
            self.stdout.write(f"{verb} platform {platform}")
        for guide in plan.created:
            self.stdout.write(f"{verb} guide {guide}")
        for guide in plan.updated:
            self.stdout.write(f"{'Would update' if dry_run else 'Updated'} guide {guide}")
