from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Recompute the audit log's hash chains and report any event changed or removed."

    def handle(self, *args, **options):
        checked, problems = audit_chain_verify()
        for problem in problems:
            self.stderr.write(f"Chain {problem.chain}, event {problem.sequence}: {problem.problem}")
        if problems:
            raise CommandError(
                f"The audit log has been tampered with: {len(problems)} problem(s) "
                f"in {checked} events."
            )
        self.stdout.write(self.style.SUCCESS(f"The audit log is intact: {checked} events checked."))
