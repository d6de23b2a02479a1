"""Import speed and memory on a synthetic legacy file.

    .venv/bin/python bench/imports.py --rows 100000
    .venv/bin/python bench/imports.py --rows 1000000
    .venv/bin/python bench/imports.py --rows 100000 --kind referrals
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/threefold .venv/bin/python bench/imports.py

Builds a throwaway test database (on SQLite a file in a temporary folder, never the one
`make run` uses), an agency with a team and an administrator, writes N synthetic rows to a CSV
(people; or, with --kind referrals, N children, one case each and one referral each, importing
the people and cases first), imports the file through the same service as the web page and
the command, and prints rows per second for the people file's check (a dry run, as the web
page does first) and for each import (each row read once, checked and written), and the
process's peak resident memory, with the memory sampled as the rows go by, to show it stays
flat. Figures depend on the machine: compare runs on the same one.
"""

import argparse
import csv
import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "threefold.settings")


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_people(path: Path, rows: int) -> None:
    born = datetime.date(2010, 1, 1)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["LAchildID", "PersonType", "GivenName", "FamilyName", "PersonBirthDate", "Sex",
             "Ethnicity", "Disabilities", "UPN"]
        )  # fmt: skip
        for n in range(rows):
            writer.writerow(
                [f"P{n}", "child", f"Child{n % 997}", f"Family{n % 4999}",
                 (born + datetime.timedelta(days=n % 5000)).isoformat(), "MFU"[n % 3],
                 "WBRI", "NONE", ""]
            )  # fmt: skip


def write_cases(path: Path, rows: int) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["CaseID", "CaseReference", "CaseName", "Team", "Service", "CaseOpenedDate",
             "LAchildID"]
        )  # fmt: skip
        for n in range(rows):
            writer.writerow(
                [f"K{n}", f"LEG-{n}", f"Family{n}", "Bench team", "children_in_need",
                 "2024-04-01", f"P{n}"]
            )  # fmt: skip


def write_referrals(path: Path, rows: int) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["ReferralID", "CaseID", "LAchildID", "CINreferralDate", "ReferralSource",
             "PrimaryNeedCode", "ReferralDecision", "ReferralDecisionDate"]
        )  # fmt: skip
        for n in range(rows):
            writer.writerow(
                [f"R{n}", f"K{n}", f"P{n}", "2024-04-02", "6", "N1", "no_further_action",
                 "2024-04-03"]
            )  # fmt: skip


def timed_import(*, kind, path, admin, label, dry_run=False):
    from imports.services import import_file_start, import_run_execute

    started, samples = time.perf_counter(), []

    def progress(run):
        samples.append((run.rows_read, rss_mib()))

    run = import_file_start(
        actor=admin, agency=admin.agency, kind=kind, source_system="BENCH", path=path,
        dry_run=dry_run,
    )  # fmt: skip
    run = import_run_execute(run_id=run.pk, on_progress=progress)
    end = time.perf_counter()
    if run.state != ("checked" if dry_run else "imported"):
        raise SystemExit(f"{label}: {run.state} {run.errors[:3]} {run.failure}")
    whole = end - started
    n = run.rows_read
    picks = [samples[int(i * (len(samples) - 1) / 4)] for i in range(5)] if samples else []
    print(
        f"{label}: {n:,} rows in {whole:.1f} s = {n / whole:,.0f} rows/s end to end "
        + ("(checked, nothing written)" if dry_run else "(each row read once, checked and written)")
    )
    print(
        "  memory as the rows go by (rows handled, RSS MiB): "
        + ", ".join(f"{done:,}: {mib:.0f}" for done, mib in picks)
    )
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kind", choices=["people", "referrals"], default="people")
    args = parser.parse_args()

    import django

    scratch = tempfile.TemporaryDirectory(prefix="threefold-bench-imports-")
    django.setup()
    import logging

    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    logging.disable(logging.WARNING)
    setup_test_environment()
    settings.DEBUG = False  # no query log
    settings.THREEFOLD_UPLOAD_ROOT = Path(scratch.name) / "uploads"
    if connection.vendor == "sqlite":
        # A file, not memory: the database must not count as the importer's memory.
        connection.settings_dict["TEST"]["NAME"] = str(Path(scratch.name) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from agencies.models import Agency, Role, Team, User

        agency = Agency.objects.create(name="Bench Borough", code="B01")
        Team.objects.create(agency=agency, name="Bench team", service="children_in_need")
        admin = User.objects.create(username="bench.admin", agency=agency, role=Role.ADMINISTRATOR)
        folder = Path(scratch.name)
        print(
            f"Threefold import bench: {args.rows:,} {args.kind} rows, {connection.vendor}, "
            f"{os.cpu_count()} CPUs; RSS before {rss_mib():.0f} MiB"
        )
        started = time.perf_counter()
        write_people(folder / "people.csv", args.rows)
        if args.kind == "referrals":
            write_cases(folder / "cases.csv", args.rows)
            write_referrals(folder / "referrals.csv", args.rows)
        print(f"  files written in {time.perf_counter() - started:.1f} s")
        people = folder / "people.csv"
        timed_import(kind="people", path=people, admin=admin, label="people, check", dry_run=True)
        timed_import(kind="people", path=people, admin=admin, label="people")
        if args.kind == "referrals":
            timed_import(kind="cases", path=folder / "cases.csv", admin=admin, label="cases")
            timed_import(
                kind="referrals", path=folder / "referrals.csv", admin=admin, label="referrals"
            )
        print(f"Peak RSS of the whole process: {peak_mib():.0f} MiB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        scratch.cleanup()


if __name__ == "__main__":
    main()
