"""Rebuild every open case's deadlines from its process events: after loading data, after a
change to the bank-holiday calendar (a new `holidays` release), or to check nothing drifted."""

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from timescales.services import deadlines_refresh_agency


class Command(BaseCommand):
    help = "Work out every open case's statutory deadlines again from its process events."

    def add_arguments(self, parser):
        parser.add_argument("--agency", metavar="CODE", help="Only this agency (its code).")

    def handle(self, *args, agency=None, **options):
        agencies = Agency.objects.order_by("code")
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies.exists():
                raise CommandError(f"No agency with code {agency!r}.")
        for each in agencies:
            count = deadlines_refresh_agency(agency_id=each.pk)
            self.stdout.write(f"{each.code}: refreshed the deadlines of {count} cases.")
