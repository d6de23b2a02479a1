"""Server-side timings of Threefold's busiest pages on a synthetic agency.

    .venv/bin/python bench/run.py [--families 600] [--repeat 30]
    .venv/bin/python bench/run.py --large 200000 [--keepdb]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/threefold .venv/bin/python bench/run.py

Builds a throwaway test database (never the one `make run` uses; `--keepdb` keeps it and reuses
the agency already generated in it), generates an agency with the demo generator (or, with
`--large N`, a county-sized agency of N children over 15 years from `scale.generator`), then
requests each page through Django's test client as the person who would use it, and prints the
median and 95th percentile of the server time, the queries per request and the target from
docs/scale.md. Then it times the CIN census export and, if `bench/imports.py` is there, import
throughput. Figures depend on the machine: compare runs on the same one.
"""

import argparse
import datetime
import gc
import logging
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "threefold.settings")
# Pages are timed as the production server runs them: with DEBUG on, Django would also log
# every query and annotate every template node, a cost no user's request pays.
os.environ["DJANGO_DEBUG"] = "0"
# The cache as production has it, shared with the background worker (docs/measures.md).
os.environ.setdefault("THREEFOLD_CACHE", "database")

TODAY = datetime.date(2026, 11, 30)
CENSUS_YEAR = 2026  # 1 April 2025 to 31 March 2026, the last census year before TODAY
# Server-time targets for a large county on a 2-core machine, in ms (docs/scale.md).
TARGETS = {"case": 100, "list": 200, "dashboard": 2000, "census": 30000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=600)
    parser.add_argument(
        "--large", type=int, metavar="CHILDREN", help="a large agency of this many children"
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--keepdb", action="store_true", help="keep the test database and its agency for next time"
    )
    args = parser.parse_args()

    import django

    django.setup()
    logging.disable(logging.INFO)  # sign-ins in every round would drown the table
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keepdb
    )
    call_command("createcachetable", verbosity=0)
    try:
        run(args, connection)
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def agency_for(args):
    """The agency to measure: generated now, or (with --keepdb) the one generated last time."""
    from agencies.models import Agency
    from demo.generator import DEMO_AGENCY_CODE, generate_agency
    from scale.generator import LARGE_AGENCY_CODE, generate_large_agency

    code = LARGE_AGENCY_CODE if args.large else DEMO_AGENCY_CODE
    existing = Agency.objects.filter(code=code).first()
    if existing is not None and args.keepdb:
        return existing, "kept from an earlier run"
    if existing is not None:
        raise SystemExit(f"The test database already holds agency {code}: use --keepdb.")
    started = time.perf_counter()
    if args.large:
        agency = generate_large_agency(children=args.large, today=TODAY, seed=2026).agency
    else:
        agency = generate_agency(families=args.families, today=TODAY, seed=2026).agency
    return agency, f"generated in {time.perf_counter() - started:.0f} s"


def run(args, connection) -> None:
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from agencies.models import Role, User
    from people.models import Allocation, Case, Person
    from practice.models import Map
    from safety.models import SafetyPlan

    reverse("casefile:caseload")  # load every app's views before a long generation, not after
    agency, how = agency_for(args)
    # The open case with the longest history: the most maps, then the longest open.
    busiest = (
        Case.objects.filter(agency=agency, status=Case.Status.OPEN)
        .annotate(n=Count("maps"))
        .order_by("-n", "opened_on", "pk")
        .first()
    )
    worker = Allocation.objects.get(case=busiest, ended_on__isnull=True).worker
    manager = User.objects.filter(team=worker.team, role=Role.TEAM_MANAGER).first()
    leader = User.objects.filter(agency=agency, role=Role.SENIOR_LEADER).order_by("pk").first()
    latest_map = Map.objects.filter(case=busiest, status="finalised").order_by("-number").first()
    plan = SafetyPlan.objects.filter(agency=agency).order_by("pk").first()
    plan_worker = Allocation.objects.get(case=plan.case, ended_on__isnull=True).worker
    child = (
        Person.objects.filter(memberships__case=busiest, kind=Person.Kind.CHILD)
        .exclude(date_of_birth=None)
        .order_by("pk")
        .first()
    )

    pages = [
        ("case page, longest history", "case", worker, _url("casefile:case_detail", busiest.pk)),
        ("caseload, social worker", "list", worker, reverse("casefile:caseload")),
        ("caseload, team manager, all", "list", manager, _url("casefile:caseload", q="show=all")),
        ("my work (timescales)", "list", worker, reverse("timescales:my_work")),
        ("team work (timescales)", "list", manager, reverse("timescales:team_work")),
    ]
    try:
        search = reverse("people:search")
    except NoReverseMatch:
        print("people:search is not there: search by name, identifier and birth date skipped.")
    else:
        born = f"{child.date_of_birth:%d/%m/%Y}"
        misspelt = child.family_name[:-1] + ("e" if child.family_name[-1] != "e" else "a")
        pages += [
            ("search: name", "list", manager, f"{search}?q={child.family_name}"),
            ("search: name, fuzzy", "list", manager, f"{search}?q={misspelt}"),
            ("search: case reference", "list", manager, f"{search}?q={busiest.reference}"),
            ("search: date of birth", "list", manager, f"{search}?q={born}"),
        ]
    pages += [
        ("measures dashboard, team", "dashboard", manager, reverse("measures:dashboard")),
        (
            "measures dashboard, agency by team",
            "dashboard",
            leader,
            _url("measures:dashboard", q="by=team"),
        ),
        (
            "measures dashboard, agency by worker",
            "dashboard",
            leader,
            _url("measures:dashboard", q="by=worker"),
        ),
        (
            "measures dashboard, agency",
            "dashboard",
            leader,
            _url("measures:dashboard", q="by=agency"),
        ),
        (
            "measures dashboard, one team by worker",
            "dashboard",
            leader,
            _url("measures:dashboard", q=f"by=worker&team={worker.team_id}"),
        ),
        ("measures trends, months kept", "dashboard", leader, reverse("measures:trends")),
        ("leaders' view, months kept", "dashboard", leader, reverse("implementation:leaders")),
        (
            "measures API, agency by worker",
            "dashboard",
            None,
            "/api/v1/measures?by=worker",
            api_headers(leader),
        ),
        (
            "map, latest version",
            "case",
            worker,
            _url("practice:map_detail", busiest.pk, latest_map.pk),
        ),
        ("safety network", "case", worker, _url("safety:network", busiest.pk)),
        ("safety plan", "case", plan_worker, _url("safety:plan_detail", plan.case_id, plan.pk)),
    ]
    people = Person.objects.filter(agency=agency)
    print(
        f"{connection.vendor}, agency {agency.code}: "
        f"{people.filter(kind=Person.Kind.CHILD).count():,} children, "
        f"{Case.objects.filter(agency=agency).count():,} cases "
        f"({Case.objects.filter(agency=agency, status='open').count():,} open), {how}; "
        f"the busiest case has {busiest.n} maps"
    )
    print(f"machine load average when starting: {os.getloadavg()[0]:.1f}")
    # "app cpu ms": the median CPU time of this (the Django) process per request, which a busy
    # machine does not inflate; the database's own time is not in it.
    print(
        f"{'page':38} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'target ms':>10} "
        f"{'app cpu ms':>8}"
    )
    # As each server worker does once loaded (threefold/wsgi.py): what is loaded by now, here
    # with whatever generating the agency left behind, stays out of full garbage collections.
    gc.collect()
    gc.freeze()
    for name, kind, user, url, *headers in pages:
        repeat = args.repeat if kind != "dashboard" else max(3, args.repeat // 3)
        median, p95, queries, cpu = time_page(connection, user, url, repeat, name, *headers)
        flag = "" if p95 <= TARGETS[kind] else "  over"
        print(
            f"{name:38} {median:10.1f} {p95:8.1f} {queries:8d} {TARGETS[kind]:10d} {cpu:8.1f}{flag}"
        )
    time_afresh(leader, "measures trends", "measures:trends")
    time_afresh(leader, "leaders' view", "implementation:leaders")
    time_afresh(manager, "trends, team", "measures:trends")
    time_afresh(manager, "leaders' view, team", "implementation:leaders")
    time_census(agency)
    time_imports()


def _url(name, *args, q=""):
    from django.urls import reverse

    return reverse(name, args=args) + (f"?{q}" if q else "")


def api_headers(user) -> dict:
    """A bearer token for a system acting as `user`, reading the measures: the client is made
    once and kept with the agency, a token issued for each run (lasting a day)."""
    from api import services
    from api.models import ApiClient, Scope

    name = "Bench measures system"
    client = ApiClient.objects.filter(agency_id=user.agency_id, name=name).first()
    if client is None:
        client = services.api_client_create(
            actor=user, name=name, acting_user=user, scopes=[Scope.MEASURES_READ]
        )
    _, secret = services.api_token_issue(actor=user, client=client, days=1)
    return {"Authorization": f"Bearer {secret}"}


def time_page(connection, user, url, repeat, name, headers=None):
    """Times `url` as `user` signed in, or, with `headers` (a bearer token), as an API client."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if headers is None:
        client.force_login(user)
    assert client.get(url, headers=headers).status_code == 200, (name, url)  # warm caches
    run_counts_waiting()  # the months that request left to the background worker, now kept
    # One request more counts the queries, so that the timed ones log none.
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200, (name, url)
    queries = len(captured)  # now: the next request starts a new query log
    timings, cpu = [], []
    for _ in range(repeat):
        begun, begun_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - begun) * 1000)
        cpu.append((time.process_time() - begun_cpu) * 1000)
        assert response.status_code == 200, (name, url, response.status_code)
    return (
        statistics.median(timings),
        percentile(timings, 0.95),
        queries,
        statistics.median(cpu),
    )


def time_afresh(reader, page, url_name) -> None:
    """A page of month-ends as its first reader finds it, nothing kept: once, as it may be slow.
    For a scope large enough that the background worker counts it (`measures.kept`), the page
    says so, and the worker's count is timed after it, run here."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    client = Client()
    client.force_login(reader)
    cache.clear()
    DBTaskResult.objects.all().delete()
    begun, begun_cpu = time.perf_counter(), time.process_time()
    response = client.get(reverse(url_name))
    took, cpu = (time.perf_counter() - begun) * 1000, (time.process_time() - begun_cpu) * 1000
    assert response.status_code == 200
    flag = "" if took <= TARGETS["dashboard"] else "  over"
    waiting = DBTaskResult.objects.exists()
    name = f"{page}, nothing kept" + ("" if waiting else " (once)")
    print(f"{name:38} {took:10.1f} {'':8} {'':8} {TARGETS['dashboard']:10d} {cpu:8.1f}{flag}")
    if waiting:  # the count the page asked the background worker for: no reader waits on it
        begun, begun_cpu = time.perf_counter(), time.process_time()
        run_counts_waiting()
        took, cpu = (time.perf_counter() - begun) * 1000, (time.process_time() - begun_cpu) * 1000
        name = "  counted by the background worker"
        print(f"{name:38} {took:10.1f} {'':8} {'':8} {'':>10} {cpu:8.1f}")


def run_counts_waiting() -> None:
    """Run here what the pages asked the background worker for (`manage.py db_worker`)."""
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.order_by("enqueued_at"):
        result.task_result.task.call(*result.args_kwargs["args"])
        result.delete()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def time_census(agency) -> None:
    from returns.services import cin_census_export

    begun = time.perf_counter()
    result = cin_census_export(actor=None, agency=agency, year=CENSUS_YEAR)
    took = (time.perf_counter() - begun) * 1000
    children = result.census.counts.get("children", "?")
    flag = "" if took <= TARGETS["census"] else "  over"
    print(
        f"{'CIN census export ' + str(CENSUS_YEAR):34} {took:10.0f} {'':8} {'':8} "
        f"{TARGETS['census']:10d}{flag}  ({children} children, {len(result.xml):,} bytes, "
        f"{len(result.failures)} validation failures)"
    )


def time_imports() -> None:
    """Import throughput, measured by bench/imports.py (its own command, its own throwaway
    database) when the import helper has written it."""
    path = Path(__file__).with_name("imports.py")
    if not path.exists():
        print("Import throughput: bench/imports.py is not there yet, skipped.")
        return
    print("Import throughput (bench/imports.py):", flush=True)
    env = dict(os.environ)
    if env.get("DATABASE_URL"):  # its own database, so it never drops the one measured here
        name = re.compile(r"/([^/?]+)(\?|$)")
        env["DATABASE_URL"] = name.sub(r"/\1_imports\2", env["DATABASE_URL"], count=1)
    subprocess.run([sys.executable, str(path)], env=env, check=False)  # noqa: S603 (our script)


if __name__ == "__main__":
    main()
