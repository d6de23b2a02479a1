from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup file into an empty, migrated database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            counts = backup_restore(options["path"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(counts.values())} rows into {len(counts)} tables; "
                "the counts match the backup."
            )
        )
