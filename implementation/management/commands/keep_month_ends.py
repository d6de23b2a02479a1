"""Count the trends' and the leaders' view's finished months ahead of their readers: run it on a
schedule, more often than THREEFOLD_MEASURES_TREND_KEPT_HOURS (every six hours with the default
twelve), with a cache the server processes share (THREEFOLD_CACHE=database, production's
default). docs/measures.md, "Finished months are kept"."""

from django.core.management.base import BaseCommand, CommandError

from agencies.commands import agencies_chosen
from implementation.figures import month_ends_count_ahead
from measures.catalogue import trend_kept_hours


class Command(BaseCommand):
    help = "Count the finished months of the trends and the leaders' view ahead, and keep them."

    def add_arguments(self, parser):
        parser.add_argument("--agency", metavar="CODE", help="Only this agency (its code).")
        parser.add_argument(
            "--teams",
            action="store_true",
            help="Each team manager's team as well as the agency (on a county, some 40 minutes).",
        )

    def handle(self, *args, agency=None, teams=False, **options):
        if not trend_kept_hours():
            raise CommandError(
                "Finished months are not kept (THREEFOLD_MEASURES_TREND_KEPT_HOURS is 0)."
            )
        for each in agencies_chosen(agency):
            total, scopes = 0.0, 0
            for counted in month_ends_count_ahead(each, teams=teams):
                total, scopes = total + counted["seconds"], scopes + 1
                self.stdout.write(
                    f"{each.code}: {counted['page']}, {counted['whose']}: "
                    f"{counted['seconds']:.1f} s"
                )
            self.stdout.write(f"{each.code}: {scopes} scopes counted ahead in {total:.1f} s.")
