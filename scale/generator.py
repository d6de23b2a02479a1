"""A large synthetic agency: the demo generator's families, spread over many years.

The demo agency (`demo.generator`) is a snapshot of the last two years. A county-sized agency
also carries its past: `generate_large_agency(children=200_000)` records families over
`years` (15 by default), most of them long closed, and about 7.5% of the children in cases
open today (about 15,000 of 200,000). Every family is built by the demo generator's own code
(household, allocations, maps with entries, danger statements, goals and scales), so the
records are as valid as the demo's. Maps are kept only for cases opened in the last five
years, since the agency took up Signs of Safety, and a closed case keeps its first and last
maps. Each batch of families then gets its statutory process history (`demo.process_demo`), and
the open cases their safety networks and plans, children's voices and timescale deadlines,
as the demo agency does.

Deterministic: one `random.Random(seed)` drives the families, others derived from the seed
drive the process history and the safety and voices steps, and every date counts back from
`today`. Fast: rows are written with bulk inserts, a batch of families at a time, in one
transaction (seed data has no audit trail and no record history); progress is drawn on stderr."""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Agency, Service
from demo import scenarios
from demo.generator import (
    EARLY_HELP_LABELS,
    GeneratedAgency,
    _AgencyBuilder,
    _days,
    demo_logins,
)
from demo.process_demo import _History
from demo.safety_demo import add_safety_work
from demo.voices_demo import add_voices_work
from people.models import Case
from practice.models import CategoryLabel
from safety.models import SafetyPlan
from timescales.services import deadlines_refresh_agency
from voices.models import VoiceRecord

LARGE_AGENCY_NAME = "Greater Fenwick County Council"
LARGE_AGENCY_CODE = "998"  # three digits, like a DfE local authority number (CIN census)
OPEN_SHARE = 0.075  # children in open cases, of all children ever recorded (15,000 of 200,000)
CHILDREN_PER_FAMILY = 2.05  # the demo generator's 1-4 children weighted 35/35/20/10
# Signs of Safety maps are kept for cases opened since the agency took up the practice, five
# years ago; older cases came over from the previous system with their statutory history only.
MAPPING_YEARS = 5
CLOSED_MAPS = 2  # a closed case keeps its first and last maps
FLUSH_EVERY = 1000  # families held in memory before their rows are written


class Progress:
    """A one-line progress bar on a terminal (stderr); plain lines when it is not a tty."""

    def __init__(self, total: int, stream=None):
        self.total, self.stream = total, stream if stream is not None else sys.stderr
        self.started = time.perf_counter()
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.last_line = 0.0

    def show(self, done: int, rows: int, stage: str = "") -> None:
        elapsed = time.perf_counter() - self.started
        share = min(1.0, done / self.total) if self.total else 1.0
        bar = "#" * int(share * 30)
        eta = f", about {elapsed / share - elapsed:.0f} s left" if 0 < share < 1 else ""
        line = (
            f"[{bar:<30}] {share:4.0%} {done:,} of {self.total:,} children, {rows:,} rows, "
            f"{elapsed:.0f} s{eta} {stage}"
        )
        if self.tty:
            self.stream.write("\r" + line.ljust(110))
        elif elapsed - self.last_line >= 10 or share == 1:  # a log line every 10 s at most
            self.stream.write(line + "\n")
            self.last_line = elapsed
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def generate_large_agency(
    *,
    children: int = 200_000,
    seed: int = 2026,
    years: int = 15,
    today: datetime.date | None = None,
    agency_name: str = LARGE_AGENCY_NAME,
    agency_code: str = LARGE_AGENCY_CODE,
    progress: bool = True,
    stream=None,
) -> GeneratedAgency:
    """Create one agency with about `children` children recorded over `years` up to `today`."""
    if children < 1:
        raise ValueError("An agency needs at least one child.")
    if years < 2:
        raise ValueError("A large agency's history covers two years at least.")
    builder = _LargeBuilder(
        random.Random(seed),
        today or timezone.localdate(),
        years=years,
        seed=seed,
        progress=Progress(children, stream) if progress else None,
    )
    with transaction.atomic():
        generated = builder.build_large(agency_name, agency_code, children)
    # Fresh planner statistics for the bulk-loaded tables: until autovacuum gets to them,
    # PostgreSQL plans for nearly empty tables (a case page took 0.6 s instead of 0.1 s). On
    # PostgreSQL, outside a transaction, VACUUM too: it marks the new pages all-visible, as a
    # running database's autovacuum would have, so index-only scans need not visit the table
    # and autovacuum does not then work through millions of rows while a benchmark runs.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
    return generated


class _LargeBuilder(_AgencyBuilder):
    def __init__(self, rng, today, *, years, seed, progress):
        super().__init__(rng, today, stdout=None)
        self.years, self.seed, self.progress = years, seed, progress
        self.process_rng = random.Random(f"scale-process-{seed}")
        self.children_made = 0
        self.mapping_from = today - _days(MAPPING_YEARS * 365)
        self.rows_written = 0

    def build_large(self, name: str, code: str, children: int) -> GeneratedAgency:
        self.agency = Agency.objects.create(name=name, code=code)
        self.suffix = f".{code.lower()}"
        # Teams and staff for the cases open today, not for every family ever recorded.
        open_families = max(1, round(children * OPEN_SHARE / CHILDREN_PER_FAMILY))
        self.open_share = open_families / max(open_families, children / CHILDREN_PER_FAMILY)
        self._teams(open_families)
        self._staff()
        CategoryLabel.objects.bulk_create(
            CategoryLabel(agency=self.agency, service=Service.EARLY_HELP, category=c, label=label)
            for c, label in EARLY_HELP_LABELS.items()
        )
        self.unborn_quota = max(1, open_families // 30)
        self.by_service = {
            service: [s for s in scenarios.SCENARIOS if service in s["services"]]
            for service in Service.values
        }
        self.next_worker = defaultdict(int)
        number = 0
        while self.children_made < children:
            self._family(number)
            number += 1
            if number % FLUSH_EVERY == 0:
                self._flush()
        self._flush()
        for stage, step in [
            ("safety networks and plans", add_safety_work),
            ("children's voices", add_voices_work),
        ]:
            self._show(stage)
            rng = random.Random(f"scale-{stage}-{self.seed}")
            step(agency=self.agency, rng=rng, today=self.today)
        self._show("timescales")
        deadlines_refresh_agency(agency_id=self.agency.pk, today=self.today)
        self.counts["safety plans"] = SafetyPlan.objects.filter(agency=self.agency).count()
        self.counts["voice records"] = VoiceRecord.objects.filter(agency=self.agency).count()
        self.counts["children"] = self.children_made
        self._show("done")
        if self.progress is not None:
            self.progress.finish()
        return GeneratedAgency(
            agency=self.agency, logins=demo_logins(self.agency), counts=dict(self.counts)
        )

    def _show(self, stage: str) -> None:
        if self.progress is not None:
            self.progress.show(self.children_made, self.rows_written, stage)

    def _flush(self) -> None:
        cases = list(self.rows.cases)
        before = sum(self.counts.values())
        self.rows.write(self.counts)
        # The statutory process of this batch of families, written straight after them.
        history = _History(self.agency, self.process_rng, self.today, cases)
        history.write()
        process_rows = sum(len(rows) for rows in history.rows.values())
        self.counts["process records"] += process_rows
        self.rows_written += sum(self.counts.values()) - before
        self._show("families")

    def _family(self, number: int) -> None:
        """A family whose case opened at any time in the last `years`; most are long closed."""
        rng = self.rng
        team = self.teams[number % len(self.teams)]
        scenario = rng.choice(self.by_service[team.service])
        closed = rng.random() >= self.open_share
        if closed:
            opened_on = self.today - _days(rng.randint(240, self.years * 365))
            closed_on = min(
                opened_on + _days(rng.randint(60, 540)), self.today - _days(rng.randint(7, 40))
            )
        else:
            opened_on = self.today - _days(rng.randint(21, 730))
            closed_on = None
        case = Case(
            agency=self.agency,
            reference=f"FC-{number + 1:07d}",
            team=team,
            service=team.service,
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            opened_on=opened_on,
            closed_on=closed_on,
        )
        self.rows.cases.append(case)
        # Unborn babies are expected after today: only in the cases open today.
        self.unborn_left = 0 if closed else self.unborn_quota
        family = self._household(case, scenario, team)
        if not closed:
            self.unborn_quota = self.unborn_left
        self.children_made += len(family.children) + (family.unborn is not None)
        case.name = f"{family.focus.family_name} family"
        allocations = self._allocations(case, team)
        if opened_on >= self.mapping_from:
            self._maps(family, allocations)

    def _map_dates(self, case: Case) -> list[datetime.date]:
        dates = super()._map_dates(case)
        if case.closed_on is not None and len(dates) > CLOSED_MAPS:
            return [dates[0], dates[-1]]
        return dates

    def _born(self, age_from: int, age_to: int, case: Case) -> datetime.date:
        """Under 18 when the case opened; children of long-closed cases may be adults today."""
        if case.closed_on is None:
            return super()._born(age_from, age_to, case)
        youngest = max(30, age_from * 365)
        oldest = min(age_to * 365 + 364, 17 * 365 + 300)
        return case.opened_on - _days(self.rng.randint(youngest, max(youngest, oldest)))
