"""Server-side timings of Threefold's busiest pages on a synthetic agency.

    .venv/bin/python bench/run.py [--families 600] [--repeat 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/threefold .venv/bin/python bench/run.py

Builds a throwaway test database (never the one `make run` uses), generates an agency with the
demo generator, then requests each page through Django's test client as the person who would
use it, and prints the median and 95th percentile of the server time and the queries per
request. Figures depend on the machine: compare runs on the same one.
"""

import argparse
import datetime
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "threefold.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    logging.disable(logging.INFO)  # sign-ins in every round would drown the table
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args, CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args, CaptureQueriesContext, connection) -> None:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from agencies.models import User
    from demo.generator import generate_agency
    from people.models import Allocation, Case
    from practice.models import Map
    from safety.models import SafetyPlan

    started = time.perf_counter()
    generated = generate_agency(
        families=args.families, today=datetime.date(2026, 11, 30), seed=2026
    )
    built = time.perf_counter() - started
    agency = generated.agency
    busiest = (
        Case.objects.filter(agency=agency).annotate(n=Count("maps")).order_by("-n", "pk").first()
    )
    worker = Allocation.objects.get(case=busiest, ended_on__isnull=True).worker
    manager = User.objects.filter(team=worker.team, role="team_manager").first()
    latest_map = Map.objects.filter(case=busiest, status="finalised").order_by("-number").first()
    plan = SafetyPlan.objects.filter(case__agency=agency).order_by("pk").first()
    plan_worker = Allocation.objects.get(case=plan.case, ended_on__isnull=True).worker

    pages = [
        ("case page, busiest family", worker, reverse("casefile:case_detail", args=[busiest.pk])),
        ("caseload, social worker", worker, reverse("casefile:caseload")),
        ("caseload, team manager, all", manager, reverse("casefile:caseload") + "?show=all"),
        ("search by name", manager, reverse("casefile:caseload") + "?show=all&q=smith"),
        (
            "map, latest version",
            worker,
            reverse("practice:map_detail", args=[busiest.pk, latest_map.pk]),
        ),
        ("safety network", worker, reverse("safety:network", args=[busiest.pk])),
        (
            "safety plan",
            plan_worker,
            reverse("safety:plan_detail", args=[plan.case_id, plan.pk]),
        ),
        (
            "map for the family (PDF)",
            worker,
            reverse("documents:map_pdf", args=[busiest.pk, latest_map.pk]),
        ),
    ]
    print(
        f"{connection.vendor}, {Case.objects.filter(agency=agency).count()} families "
        f"(generated in {built:.1f} s), {args.repeat} requests per page"
    )
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, user, url in pages:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, (name, url)  # warm caches
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                begun = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 200, (name, url, response.status_code)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        print(f"{name:34} {statistics.median(timings):10.1f} {p95:8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
