from django.core.management.base import BaseCommand

from core.backup import backup_write


class Command(BaseCommand):
    help = "Write the whole database to one compressed, checksummed backup file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the backup, e.g. threefold.json.gz")

    def handle(self, *args, **options):
        counts = backup_write(options["path"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(counts.values())} rows from {len(counts)} tables "
                f"to {options['path']}."
            )
        )
