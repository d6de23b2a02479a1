"""Load test: concurrent social workers against Threefold under gunicorn on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/threefold_load .venv/bin/python bench/load.py \
        [--users 50] [--duration 300] [--children 20000] [--think 1.0] [--workers 4 --threads 4]

Migrates the database named by DATABASE_URL and, unless it already holds one, generates a large
synthetic agency there (`scale.generator`, `--children`). Gives each of the `--users` social
workers with the most open cases a draft map to edit, starts gunicorn on loopback with DEBUG
off, and runs that many simulated workers at once for `--duration` seconds. Each signs in once
(the login form with its CSRF token; the starts spread over `--ramp` seconds), then over and
over: opens the caseload, opens one of their cases, and every third round opens the draft map
and adds an entry to it through the htmx endpoint (with the CSRF token), pausing about
`--think` seconds between requests as a person would. Prints requests, errors and median/p95
per kind, and exits non-zero on any error. The synthetic passwords are the demo's. Never point
it at a database with real data.
"""

import argparse
import collections
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "threefold.settings")

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENTRY_CATEGORIES = ["existing_strength", "next_step", "grey_area", "complicating_factor"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconds (default 300)")
    parser.add_argument("--children", type=int, default=20_000, help="if an agency is needed")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause, seconds")
    parser.add_argument("--ramp", type=float, default=30.0, help="starts spread, seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database kept for load tests.")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    plan = prepare(args)
    static_root = tempfile.mkdtemp(prefix="threefold-static-")
    env = os.environ | {"DJANGO_DEBUG": "0", "DJANGO_STATIC_ROOT": static_root}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "threefold.wsgi",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--worker-class=gthread",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(base)
        results = swarm(base, plan, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, args)


def prepare(args) -> list[dict]:
    """The agency, and for each simulated worker: username, open cases and a draft map."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from agencies.models import Agency, Role, User
    from people.models import Case
    from practice.models import Map, MeetingPurpose
    from practice.services import map_start
    from scale.generator import LARGE_AGENCY_CODE, generate_large_agency

    agency = Agency.objects.filter(code=LARGE_AGENCY_CODE).first()
    if agency is None:
        print(f"Generating a large agency of {args.children:,} children first...")
        agency = generate_large_agency(children=args.children).agency
    open_allocated = Q(allocations__ended_on__isnull=True, allocations__case__status="open")
    workers = list(
        User.objects.filter(agency=agency, role=Role.SOCIAL_WORKER, is_active=True)
        .annotate(n=Count("allocations", filter=open_allocated))
        .order_by("-n", "pk")[: args.users]
    )
    if len(workers) < args.users:
        raise SystemExit(f"The agency has only {len(workers)} social workers.")
    plan = []
    for worker in workers:
        cases = list(
            Case.objects.filter(
                allocations__worker=worker, allocations__ended_on__isnull=True, status="open"
            ).values_list("pk", flat=True)
        )
        draft = Map.objects.filter(case_id__in=cases, status=Map.Status.DRAFT).first()
        if draft is None:
            case = Case.objects.get(pk=cases[0])
            draft = map_start(
                actor=worker,
                case=case,
                purpose=MeetingPurpose.MAPPING,
                held_on=timezone.localdate(),
            )
        plan.append({"username": worker.username, "cases": cases, "draft": draft})
    return plan


def wait_for(base: str) -> None:
    for _ in range(120):
        try:
            requests.get(f"{base}/accounts/login/", timeout=30)
            return
        except requests.RequestException:  # not listening yet, or still starting
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start.")


def swarm(base: str, plan: list[dict], args) -> dict:
    results = collections.defaultdict(list)  # kind -> [(ms, ok)]
    lock = threading.Lock()
    stop_at = time.monotonic() + args.duration
    threads = [
        threading.Thread(target=social_worker, args=(base, person, args, stop_at, results, lock))
        for person in plan
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def social_worker(base, person, args, stop_at, results, lock) -> None:
    from demo.generator import DEMO_PASSWORD

    rng = random.Random(person["username"])
    session = requests.Session()
    draft = person["draft"]
    map_url = f"{base}/cases/{draft.case_id}/maps/{draft.pk}/"

    def call(kind, method, url, **kwargs):
        begun = time.perf_counter()
        try:
            response = session.request(method, url, timeout=60, allow_redirects=False, **kwargs)
            ok = response.status_code in (200, 302) and not (
                response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
            )
        except requests.RequestException:
            response, ok = None, False
        with lock:
            results[kind].append(((time.perf_counter() - begun) * 1000, ok))
        return response

    def pause():
        time.sleep(rng.uniform(0.5, 1.5) * args.think)

    # People do not all sign in in the same second: starts are spread over --ramp seconds.
    time.sleep(rng.uniform(0, args.ramp))
    signed_in = False
    while not signed_in and time.monotonic() < stop_at:
        login = call("sign in: form", "GET", f"{base}/accounts/login/")
        found = CSRF_INPUT.search(login.text) if login is not None else None
        if found is None:  # counted as an error above; try again as a person would
            pause()
            continue
        response = call(
            "sign in: post",
            "POST",
            f"{base}/accounts/login/",
            data={
                "username": person["username"],
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": found[1],
            },
            headers={"Referer": f"{base}/accounts/login/"},
        )
        signed_in = response is not None and response.status_code == 302
    rounds = 0
    while time.monotonic() < stop_at:
        call("caseload", "GET", f"{base}/")
        pause()
        call("case page", "GET", f"{base}/cases/{rng.choice(person['cases'])}/")
        pause()
        rounds += 1
        if rounds % 3 == 0:
            page = call("map page", "GET", map_url)
            pause()
            token = session.cookies.get("csrftoken", "")
            if page is not None and token:
                category = rng.choice(ENTRY_CATEGORIES)
                call(
                    "map: add entry (htmx)",
                    "POST",
                    f"{map_url}entries/",
                    data={"category": category, "text": f"Load test note {rounds}."},
                    headers={
                        "HX-Request": "true",
                        "X-CSRFToken": token,
                        "Referer": map_url,
                    },
                )
                pause()


def report(results: dict, args) -> None:
    total = sum(len(v) for v in results.values())
    errors = sum(1 for v in results.values() for _, ok in v if not ok)
    print(
        f"{args.users} social workers for {args.duration} s against gunicorn "
        f"({args.workers} workers x {args.threads} threads) on PostgreSQL, loopback; "
        f"think time about {args.think} s, starts spread over {args.ramp:.0f} s"
    )
    print(f"{'kind':26} {'requests':>9} {'errors':>7} {'median ms':>10} {'p95 ms':>8}")
    for kind, rows in results.items():
        times = sorted(ms for ms, _ in rows)
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        bad = sum(1 for _, ok in rows if not ok)
        print(f"{kind:26} {len(rows):9d} {bad:7d} {statistics.median(times):10.1f} {p95:8.1f}")
    every = sorted(ms for v in results.values() for ms, _ in v)
    p95 = every[max(0, round(0.95 * len(every)) - 1)]
    print(
        f"{'all':26} {total:9d} {errors:7d} {statistics.median(every):10.1f} {p95:8.1f}"
        f"   ({total / args.duration:.1f} requests a second)"
    )
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
