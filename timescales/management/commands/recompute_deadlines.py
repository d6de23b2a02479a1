"""Rebuild every open case's deadlines from its process events: after loading data, after a
change to the bank-holiday calendar (a new `holidays` release), or to check nothing drifted."""

from django.core.management.base import BaseCommand

from agencies.commands import agencies_chosen
from timescales.services import deadlines_refresh_agency


class Command(BaseCommand):
    help = "Work out every open case's statutory deadlines again from its process events."

    def add_arguments(self, parser):
        parser.add_argument("--agency", metavar="CODE", help="Only this agency (its code).")

    def handle(self, *args, agency=None, **options):
        for each in agencies_chosen(agency):
            count = deadlines_refresh_agency(agency_id=each.pk)
            self.stdout.write(f"{each.code}: refreshed the deadlines of {count} cases.")
