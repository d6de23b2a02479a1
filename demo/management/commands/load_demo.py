import datetime

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from demo.generator import (
    DEMO_AGENCY_CODE,
    DEMO_AGENCY_NAME,
    DEMO_PASSWORD,
    demo_logins,
    generate_agency,
)
from demo.reset import reset_threefold_data


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date like 2026-04-01, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Load the synthetic demo agency, once, and print a login for every role. "
        "Run again to see the logins; use --reset to start again from empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Default: 2026.")
        parser.add_argument("--families", type=int, default=60, help="Default: 60.")
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="The day the case histories run up to (YYYY-MM-DD). Default: today.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete every agency, case, map and agency user, then generate afresh.",
        )

    def handle(self, *args, **options):
        if options["families"] < 1:
            raise CommandError("--families must be at least 1.")
        if options["reset"]:
            reset_threefold_data()
            self.stdout.write("Deleted every agency and its records.")
        agency = Agency.objects.filter(code=DEMO_AGENCY_CODE).first()
        if agency is not None:
            self.stdout.write("The demo agency is already loaded (run with --reset to rebuild it).")
            self.stdout.write("")
            logins = demo_logins(agency)
        else:
            generated = generate_agency(
                seed=options["seed"],
                families=options["families"],
                today=options["today"],
                agency_name=DEMO_AGENCY_NAME,
                agency_code=DEMO_AGENCY_CODE,
                stdout=self.stdout,
            )
            agency, logins = generated.agency, generated.logins
            self.stdout.write("")
        self._print_logins(agency, logins)

    def _print_logins(self, agency, logins):
        heading = ("Username", "Role", "Name")
        widths = [max(len(row[i]) for row in [heading, *logins]) for i in range(2)]

        def line(cells):
            return f"  {cells[0]:<{widths[0]}}  {cells[1]:<{widths[1]}}  {cells[2]}".rstrip()

        self.stdout.write(self.style.SUCCESS(f"Demo agency: {agency.name}"))
        self.stdout.write("")
        self.stdout.write(line(heading))
        self.stdout.write(line(["-" * widths[0], "-" * widths[1], "-" * 4]))
        for login in logins:
            self.stdout.write(line(login))
        self.stdout.write("")
        self.stdout.write(f"Password for every login: {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and sign in with any of these.")
