"""Check (--dry-run) or import one file from a legacy system, with a progress bar on stderr.

    manage.py legacy_import --agency 873 --kind referrals referrals.csv --dry-run
    manage.py legacy_import --agency 873 --kind referrals referrals.csv --source-system LCS

Prints the report (each problem with its row, column, value and reason) and exits 1 when the
file is refused or the run stopped, so a script can tell. The run is recorded and audited like
one from the web page."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency, Role, User
from imports.models import ImportKind, ImportRun
from imports.services import import_file_start, import_run_execute

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Check or import a CSV or XLSX file from an agency's legacy system."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--agency", required=True, help="The agency's code.")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--source-system", default="legacy", help="Whose IDs these are.")
        parser.add_argument(
            "--user",
            help="Who is importing: a username in the agency (recorded as the author of the "
            "process records). Default: the agency's first administrator.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--show", type=int, default=50, help="How many problems to print.")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency has the code {options['agency']}.")
        users = User.objects.filter(agency=agency, is_active=True)
        if options["user"]:
            actor = users.filter(username=options["user"]).first()
        else:
            actor = users.filter(role=Role.ADMINISTRATOR).order_by("username").first()
        if actor is None:
            raise CommandError("Name a user of that agency with --user.")
        run = import_file_start(
            actor=actor,
            agency=agency,
            kind=options["kind"],
            source_system=options["source_system"],
            path=options["file"],
            dry_run=options["dry_run"],
        )
        started = time.monotonic()
        run = import_run_execute(run_id=run.pk, on_progress=self._bar(started))
        sys.stderr.write("\n")
        self._report(run, options["show"], time.monotonic() - started)
        if run.state not in {ImportRun.State.CHECKED, ImportRun.State.IMPORTED}:
            raise CommandError(f"{run.get_state_display()}.", returncode=1)

    def _bar(self, started):
        def show(run: ImportRun):
            done, total = run.progress_value, run.progress_max
            rate = (run.rows_read + run.rows_written) / max(time.monotonic() - started, 1e-6)
            if total:
                filled = min(BAR_WIDTH, BAR_WIDTH * done // total)
                bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {100 * done // total:3d}%"
            else:
                bar = f"{done} rows"
            phase = {
                ImportRun.State.WRITING: "writing",
                ImportRun.State.WAITING: "waiting for another import of this kind",
            }.get(run.state, "checking")
            sys.stderr.write(
                f"\r{bar} {phase}: {run.rows_read} read, {run.rows_written} written, "
                f"{run.error_count} problems, {rate:,.0f} rows/s"
            )
            sys.stderr.flush()

        return show

    def _report(self, run: ImportRun, show: int, seconds: float):
        out = self.stdout
        out.write(f"{run.get_kind_display()} from {run.file_name}: {run.get_state_display()}")
        out.write(
            f"Rows read {run.rows_read}, without a problem {run.rows_valid}, problems "
            f"{run.error_count}; added {run.created_count}, updated {run.updated_count}, "
            f"already up to date {run.unchanged_count}. {seconds:.1f} s."
        )
        if run.failure:
            out.write(run.failure)
        for problem in run.errors[:show]:
            out.write(
                f"row {problem['row']}, {problem['field'] or '(file)'} = "
                f"{problem['value']!r}: {problem['reason']}"
            )
        if run.error_count > min(show, len(run.errors)):
            out.write(f"… and {run.error_count - min(show, len(run.errors))} more problems.")
