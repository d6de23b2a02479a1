from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from returns.services import ssda903_export
from returns.spec import LAC_SPECS


class Command(BaseCommand):
    help = (
        "Write an agency's SSDA903 children looked after return (one CSV per table) for a "
        "collection year into a folder, and print its counts and problems. Audited like a "
        "download from the page (no user)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's code, e.g. 999.")
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="The year the collection ends: 2026 is 1 April 2025 to 31 March 2026.",
        )
        parser.add_argument("--out", required=True, help="The folder to write the CSV files to.")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}.")
        if options["year"] not in LAC_SPECS:
            years = ", ".join(str(y) for y in LAC_SPECS)
            raise CommandError(f"No SSDA903 specification for {options['year']}: use {years}.")
        result = ssda903_export(actor=None, agency=agency, year=options["year"])
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        for name, content in result.files.items():
            (out / name).write_bytes(content)
        self.stdout.write(f"Wrote {len(result.files)} files to {out} ({result.lac.spec.label}).")
        self.stdout.write(f"  children: {len(result.lac.children)}")
        for table, count in result.lac.counts.items():
            self.stdout.write(f"  {table.replace('_', ' ')}: {count}")
        self.stdout.write(f"Problems: {len(result.failures)}")
        for failure in result.failures:
            who = f"{failure.child.name} (LA child ID {failure.child.la_child_id})"
            self.stdout.write(f"  {failure.rule}  {who}: {failure.message}")
