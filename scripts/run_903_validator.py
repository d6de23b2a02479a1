"""Run the independent SSDA903 validator (data-to-insight csc-validator-be-903, import name
lac_validator) on a folder of 903 CSVs written by `manage.py ssda903`.

Not part of Threefold: run it with the validator's own environment (its pandas and numpy pins
clash with Threefold's), see docs/returns.md:

    python3 -m venv /tmp/lacval && /tmp/lacval/bin/pip install csc-validator-be-903 pytest
    /tmp/lacval/bin/python scripts/run_903_validator.py DIR 2026 lac2025_26 E09000027

Its `run-offline` command hard-codes the 2023 collection year, so this drives its Python API.
Prints the rules run and every issue (child, table, rule); exits 1 when there are issues.
"""

import importlib
import logging
import sys
from pathlib import Path

logging.disable(logging.CRITICAL)

from lac_validator import lac_validator  # noqa: E402
from lac_validator.report import Report  # noqa: E402
from lac_validator.utils import process_uploaded_files  # noqa: E402


def main(folder: str, year: str, ruleset: str, local_authority: str) -> int:
    paths = [str(path) for path in sorted(Path(folder).glob("*.csv"))]
    files = process_uploaded_files({"This year": paths})
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": year, "localAuthority": local_authority},
        files=files,
        registry=registry,
    )
    print("tables read:", ", ".join(sorted(validator.dfs)))
    print(
        f"rules run: {len(validator.dones)}; skipped (tables missing): {len(validator.skips)}; "
        f"failed to run: {len(validator.fails)} {validator.fails}"
    )
    report = Report(validator.ds_results, registry)
    try:
        issues = lac_validator.create_issue_df(report.report, report.error_report)
    except ValueError:  # "No objects to concatenate": the validator's way of saying none
        print("issues: 0")
        return 0
    issues = issues.drop_duplicates(["child_id", "tables_affected", "rule_code", "row_id"])
    print(f"issues: {len(issues)}")
    print(issues[["child_id", "tables_affected", "row_id", "rule_code"]].to_string(index=False))
    return 1 if len(issues) else 0


if __name__ == "__main__":
    folder, year, ruleset, *rest = sys.argv[1:]
    sys.exit(main(folder, year, ruleset, rest[0] if rest else "E09000027"))
