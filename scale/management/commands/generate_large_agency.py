import datetime
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from scale.generator import LARGE_AGENCY_CODE, LARGE_AGENCY_NAME, generate_large_agency


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date like 2026-04-01, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Generate a large synthetic agency (default: a large county, 200,000 children over "
        "15 years, about 15,000 in open cases) for benchmarks and load tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=200_000, help="Default: 200000.")
        parser.add_argument("--seed", type=int, default=2026, help="Default: 2026.")
        parser.add_argument("--years", type=int, default=15, help="Default: 15.")
        parser.add_argument("--code", default=LARGE_AGENCY_CODE, help="Agency code (unique).")
        parser.add_argument("--name", default=LARGE_AGENCY_NAME, help="Agency name.")
        parser.add_argument(
            "--today", type=_date, default=None, help="Histories run up to this day (YYYY-MM-DD)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        if Agency.objects.filter(code=options["code"]).exists():
            raise CommandError(
                f"An agency with code {options['code']!r} already exists: pick another --code."
            )
        if options["children"] < 1 or options["years"] < 2:
            raise CommandError("--children must be 1 or more and --years 2 or more.")
        started = time.perf_counter()
        generated = generate_large_agency(
            children=options["children"],
            seed=options["seed"],
            years=options["years"],
            today=options["today"],
            agency_name=options["name"],
            agency_code=options["code"],
            progress=not options["no_progress"],
            stream=sys.stderr,
        )
        minutes = (time.perf_counter() - started) / 60
        rows = sum(n for key, n in generated.counts.items() if key != "children")
        self.stdout.write(
            f"Generated {generated.agency.name} ({generated.agency.code}) in {minutes:.1f} min: "
            f"{generated.counts['children']:,} children, {generated.counts['cases']:,} cases, "
            f"{rows:,} rows counted."
        )
        for key in sorted(generated.counts):
            self.stdout.write(f"  {key}: {generated.counts[key]:,}")
        first = generated.logins[0] if generated.logins else None
        if first is not None:
            self.stdout.write(f"Logins as in the demo, e.g. {first.username} ({first.role}).")
