from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from returns.services import cin_census_export
from returns.spec import SPECS


class Command(BaseCommand):
    help = (
        "Write an agency's children in need census XML for a census year, and print its counts "
        "and validation failures. Audited like a download from the page (no user)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's code, e.g. 999.")
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="The year the census ends: 2026 is 1 April 2025 to 31 March 2026.",
        )
        parser.add_argument("--out", required=True, help="Where to write the XML file.")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}.")
        if options["year"] not in SPECS:
            years = ", ".join(str(y) for y in SPECS)
            raise CommandError(f"No CIN census specification for {options['year']}: use {years}.")
        try:
            result = cin_census_export(actor=None, agency=agency, year=options["year"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        Path(options["out"]).write_bytes(result.xml)
        self.stdout.write(f"Wrote {options['out']} ({result.census.spec.label}).")
        for key, value in result.census.counts.items():
            self.stdout.write(f"  {key.replace('_', ' ')}: {value}")
        if not result.schema_checked:
            self.stdout.write("Schema not checked: the statutory data folder is not installed.")
        self.stdout.write(f"Failures: {len(result.failures)}")
        for failure in result.failures:
            who = (
                f"{failure.child.name} (LA child ID {failure.child.la_child_id})"
                if failure.child
                else "the return"
            )
            self.stdout.write(f"  {failure.rule}  {who}: {failure.message}")
