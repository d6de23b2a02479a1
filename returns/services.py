"""Writes for the statutory returns: producing an export is audited (who, which year, how
many children), in the same transaction as the audit event."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from returns import selectors
from returns.cin_census import Census, build_census, census_xml
from returns.spec import spec_for
from returns.validation import Failure, validate_rules, validate_schema

EXPORTED = "returns.cin_census_exported"


@dataclass
class CensusResult:
    census: Census
    xml: bytes
    schema_failures: list[Failure]
    rule_failures: list[Failure]
    schema_checked: bool

    @property
    def failures(self) -> list[Failure]:
        return self.schema_failures + self.rule_failures


def lea_for(agency) -> str:
    code = (agency.code or "").strip()
    if len(code) != 3 or not code.isdigit():
        raise ValueError(
            f"The agency's code {code!r} is not a three-digit DfE local authority number."
        )
    return code


def cin_census_prepare(*, agency, year: int) -> CensusResult:
    """Build and check the census for the year ending March `year` (reads only)."""
    spec = spec_for(year)
    census = build_census(
        spec=spec, lea=lea_for(agency), records=selectors.census_records(agency=agency, spec=spec)
    )
    xml = census_xml(census, created_at=timezone.now())
    try:
        schema_failures, checked = validate_schema(xml, spec, census), True
    except FileNotFoundError:
        schema_failures, checked = [], False
    return CensusResult(census, xml, schema_failures, validate_rules(census), checked)


def cin_census_export(*, actor, agency, year: int, ip_address: str | None = None) -> CensusResult:
    """The census to download, with its audit event: who, the year, how many children."""
    with transaction.atomic():
        result = cin_census_prepare(agency=agency, year=year)
        audit_record(
            actor=actor,
            verb=EXPORTED,
            agency_id=agency.pk,
            changes={
                "year": year,
                "children": len(result.census.children),
                "episodes": result.census.counts["episodes"],
                "failures": len(result.failures),
            },
            ip_address=ip_address,
        )
    return result
