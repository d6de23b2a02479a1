import datetime

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.models import Agency, Team, User
from demo.generator import DEMO_PASSWORD, DemoLogin, generate_agency

# Emptied in this order by --reset: children before the records they point to.
RESET_ORDER = [
    ("core", "AuditEvent"),
    ("core", "AuditChainHead"),
    ("practice", "ScaleJudgement"),
    ("practice", "SafetyGoal"),
    ("practice", "DangerStatement"),
    ("practice", "MapEntry"),
    ("practice", "MapParticipant"),
    ("practice", "Map"),
    ("practice", "CategoryLabel"),
    ("people", "Allocation"),
    ("people", "Relationship"),
    ("people", "CaseMember"),
    ("people", "Case"),
    ("people", "Person"),
]


class Command(BaseCommand):
    help = "Load the synthetic demo agency (once) and print a login for every role."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--families", type=int, default=60)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Date the history runs up to (YYYY-MM-DD); default today.",
        )
        parser.add_argument("--code", default="999", help="Agency code of the demo agency.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every agency's records first, then generate afresh.",
        )

    def handle(self, *args, **options):
        if options["families"] < 1:
            raise CommandError("--families must be at least 1.")
        if options["reset"]:
            self._reset()
        existing = Agency.objects.filter(code=options["code"]).first()
        if existing is not None:
            self.stdout.write(f"The demo agency {existing} is already loaded.")
            logins = [
                DemoLogin(u.username, u.get_role_display(), u.get_full_name())
                for u in User.objects.filter(agency=existing).order_by("pk")
            ]
        else:
            generated = generate_agency(
                seed=options["seed"],
                families=options["families"],
                today=options["today"],
                agency_code=options["code"],
            )
            existing, logins = generated.agency, generated.logins
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the demo agency {existing} with {existing.cases.count()} families."
                )
            )
        self._print_logins(existing, logins)

    @transaction.atomic
    def _reset(self):
        # Versions point at the version they update (protected), so unlink them first.
        apps.get_model("practice", "Map").objects.update(based_on=None)
        for app_label, model_name in RESET_ORDER:
            model = apps.get_model(app_label, model_name)
            model.objects.all().delete()
            history = getattr(model, "history", None)
            if history is not None:
                history.model.objects.all().delete()
        User.objects.exclude(agency=None).delete()
        Team.objects.all().delete()
        Agency.objects.all().delete()
        self.stdout.write("Removed every agency and its records.")

    def _print_logins(self, agency, logins):
        width = max(len(login.username) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"Demo logins for {agency} (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role} – {login.name}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and sign in with any of these.")
