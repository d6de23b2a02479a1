"""Load the published statistics (DfE tables, ONS populations, statistical neighbours).

    manage.py load_published_statistics [DIR]

DIR defaults to settings.THREEFOLD_OUTCOMES_DATA. All or nothing: any problem (reported with
file, row and field) and nothing is written. Loading the same files again changes nothing; a
newer release of a table replaces the years it covers."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation.services import LoadFailed, statistics_load


def default_directory() -> Path:
    return Path(
        getattr(
            settings,
            "THREEFOLD_OUTCOMES_DATA",
            Path(settings.BASE_DIR).parent / "shared" / "data" / "outcomes",
        )
    )


class Command(BaseCommand):
    help = "Load DfE and ONS published statistics into the evaluation panel (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="Folder of published files.")

    def handle(self, *args, directory=None, **options):
        folder = Path(directory) if directory else default_directory()
        try:
            result = statistics_load(actor=None, directory=folder)
        except LoadFailed as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} problem(s) in {folder}; nothing was loaded."
            ) from None
        for name in result.loaded:
            self.stdout.write(f"Loaded {name}")
        for name in result.unchanged:
            self.stdout.write(f"Unchanged {name} (already loaded)")
        for note in result.notes:
            self.stdout.write(f"Skipped {note}")
        for warning in result.warnings:
            self.stdout.write(f"Warning: {warning}")
