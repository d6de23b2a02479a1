import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from returns.services import annex_a_export


class Command(BaseCommand):
    help = (
        "Write an agency's Ofsted Annex A workbook (lists 1 to 11) for the months before a "
        "reference date, and print the rows in each list. Audited like a download (no user)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's code, e.g. 999.")
        parser.add_argument(
            "--reference-date",
            type=datetime.date.fromisoformat,
            required=True,
            help="YYYY-MM-DD: usually the day Ofsted's notification arrives.",
        )
        parser.add_argument("--months", type=int, choices=[6, 12], default=6)
        parser.add_argument("--out", required=True, help="The .xlsx file to write.")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}.")
        annex, workbook = annex_a_export(
            actor=None,
            agency=agency,
            reference_date=options["reference_date"],
            months=options["months"],
        )
        out = Path(options["out"])
        out.write_bytes(workbook)
        period = annex.period
        self.stdout.write(
            f"Wrote {out}: {period.start:%d/%m/%Y} to {period.reference_date:%d/%m/%Y}."
        )
        for number, count in annex.counts.items():
            self.stdout.write(f"  List {number}: {count} rows")
