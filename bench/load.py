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
per kind; then every failed request (its kind, the status, or the exception for a timeout or a
dropped connection, and the start of the body of a server error) and a count of failures by
kind and status; and exits non-zero on any error. gunicorn (which reads the project's
gunicorn.conf.py) writes its output, with Django's tracebacks, to a file named at the end, and
any line logged there at ERROR or CRITICAL is shown and counts as an error too. The synthetic
passwords are the demo's. Never point it at a database with real data.
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
# gunicorn's own lines ("[CRITICAL] WORKER TIMEOUT") and Django's (settings.LOGGING's format).
SERVER_PROBLEM = re.compile(r"\[(ERROR|CRITICAL)\]|^\S+ \S+ (ERROR|CRITICAL) ")
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
    # Django logs each server error with its traceback to stderr (settings.LOGGING), and
    # gunicorn its worker timeouts and restarts: kept, so a failure can be traced to its cause.
    server_log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open while gunicorn runs)
        mode="w", prefix="threefold-load-gunicorn-", suffix=".log", delete=False
    )
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
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(base)
        results, failures = swarm(base, plan, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
    report(results, failures, args, server_log.name)


def prepare(args) -> list[dict]:
    """The agency, and for each simulated worker: username, open cases and a draft map."""
    from axes.utils import reset as axes_reset
    from django.db.models import Count, Q
    from django.utils import timezone

    from agencies.models import Agency, Role, User
    from demo.generator import DEMO_PASSWORD
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
        # bench/run.py stores its agency's passwords with the fast test hasher, which the server
        # does not know, and a failed run leaves lockouts: without this, every sign-in gets 429.
        if not worker.check_password(DEMO_PASSWORD):
            worker.set_password(DEMO_PASSWORD)
            worker.save(update_fields=["password"])
        axes_reset(username=worker.username)
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


def swarm(base: str, plan: list[dict], args) -> tuple[dict, list[dict]]:
    results = collections.defaultdict(list)  # kind -> [(ms, ok)]
    failures = []  # one dict for each failed request, in the order they ended
    lock = threading.Lock()
    stop_at = time.monotonic() + args.duration
    threads = [
        threading.Thread(
            target=social_worker, args=(base, person, args, stop_at, results, failures, lock)
        )
        for person in plan
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, failures


def failure_of(response, error) -> dict | None:
    """What went wrong with a request, or None if it did what a person expects."""
    if error is not None:
        return {"status": type(error).__name__, "detail": str(error)[:300]}
    if response.status_code == 200:
        return None
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/accounts/login/" not in location:
        return None
    if response.status_code == 302:
        return {"status": "302 to sign-in", "detail": location}
    failure = {"status": str(response.status_code), "detail": location}
    if response.status_code >= 500:
        # With DEBUG off the page is the plain error page; the traceback is in the server log.
        lines = [line.strip() for line in response.text.splitlines() if line.strip()]
        failure["detail"] = " | ".join(lines[:8])[:600]
    return failure


def social_worker(base, person, args, stop_at, results, failures, lock) -> None:
    from demo.generator import DEMO_PASSWORD

    rng = random.Random(person["username"])
    session = requests.Session()
    draft = person["draft"]
    map_url = f"{base}/cases/{draft.case_id}/maps/{draft.pk}/"

    last_answer = [None]  # when this person's previous request ended

    def call(kind, method, url, **kwargs):
        begun, when = time.perf_counter(), time.strftime("%H:%M:%S", time.gmtime())
        response = error = None
        try:
            response = session.request(method, url, timeout=60, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            error = exc
        failure = failure_of(response, error)
        ms = (time.perf_counter() - begun) * 1000
        with lock:
            results[kind].append((ms, failure is None))
            if failure is not None:
                path = url.removeprefix(base)
                failures.append({"kind": kind, "at": when, "ms": ms, "request": f"{method} {path}"})
                failures[-1].update(failure, user=person["username"])
                if error is not None and last_answer[0] is not None:
                    # How long the connection sat idle: a reset after a pause is keep-alive's.
                    failures[-1]["detail"] += f" ({begun - last_answer[0]:.2f} s after the last)"
        last_answer[0] = time.perf_counter()
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


def report(results: dict, failures: list[dict], args, server_log: str) -> None:
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
    if failures:
        print("\nFailed requests (times UTC, when each was sent):")
        for f in failures:
            print(
                f"  {f['at']} {f['kind']}: {f['request']} as {f['user']} -> {f['status']} "
                f"after {f['ms']:.0f} ms"
            )
            if f["detail"]:
                print(f"      {f['detail']}")
        print(f"\n{'kind':26} {'status':28} {'errors':>7}")
        counts = collections.Counter((f["kind"], f["status"]) for f in failures)
        for (kind, status), n in sorted(counts.items()):
            print(f"{kind:26} {status:28} {n:7d}")
    # Problems a client may not see (an error after the response went, a worker restarted).
    logged = [
        line.rstrip()
        for line in Path(server_log).read_text(errors="replace").splitlines()
        if SERVER_PROBLEM.search(line)
    ]
    print(f"\ngunicorn's log, with any server tracebacks: {server_log}")
    print(f"{len(logged)} lines logged at ERROR or CRITICAL there")
    for line in logged[:20]:
        print(f"  {line[:300]}")
    if errors or logged:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
