"""Writes for the statutory returns: producing an export (CIN census, SSDA903, Annex A) is
audited (who, which period, how many children and records), in the same transaction as the audit
event."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from returns import selectors
from returns.annex_a import AnnexA, AnnexPeriod, annex_a_workbook, build_annex_a
from returns.cin_census import Census, build_census, census_xml
from returns.spec import lac_spec_for, spec_for
from returns.ssda903 import LacReturn, build_return, csv_files, zip_bytes
from returns.ssda903_checks import validate_return
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


# SSDA903 (children looked after) -----------------------------------------------------------

SSDA903_EXPORTED = "returns.ssda903_exported"


@dataclass
class LacResult:
    lac: LacReturn
    files: dict[str, bytes]
    failures: list[Failure]

    @property
    def zip(self) -> bytes:
        return zip_bytes(self.files)


def ssda903_prepare(*, agency, year: int) -> LacResult:
    """Build and check the SSDA903 return for the year ending March `year` (reads only)."""
    spec = lac_spec_for(year)
    lac = build_return(spec=spec, records=selectors.looked_after_records(agency=agency, spec=spec))
    return LacResult(lac, csv_files(lac), validate_return(lac))


def ssda903_export(*, actor, agency, year: int, ip_address: str | None = None) -> LacResult:
    """The return to download, with its audit event: who, the year, how many records."""
    with transaction.atomic():
        result = ssda903_prepare(agency=agency, year=year)
        audit_record(
            actor=actor,
            verb=SSDA903_EXPORTED,
            agency_id=agency.pk,
            changes={
                "year": year,
                "children": len(result.lac.children),
                "records": result.lac.counts,
                "failures": len(result.failures),
            },
            ip_address=ip_address,
        )
    return result


# Ofsted Annex A -------------------------------------------------------------------------------

ANNEX_A_EXPORTED = "returns.annex_a_exported"


def annex_a_prepare(*, agency, reference_date, months: int = 6) -> AnnexA:
    """Build Ofsted's Annex A lists for the months before `reference_date` (reads only)."""
    period = AnnexPeriod(reference_date=reference_date, months=months)
    return build_annex_a(
        records=selectors.annex_a_records(agency=agency, period=period), period=period
    )


def annex_a_export(
    *, actor, agency, reference_date, months: int = 6, ip_address: str | None = None
) -> tuple[AnnexA, bytes]:
    """The workbook to download, with its audit event: who, the period, the rows in each list."""
    with transaction.atomic():
        annex = annex_a_prepare(agency=agency, reference_date=reference_date, months=months)
        workbook = annex_a_workbook(annex, agency_name=agency.name)
        audit_record(
            actor=actor,
            verb=ANNEX_A_EXPORTED,
            agency_id=agency.pk,
            changes={
                "reference_date": reference_date,
                "months": months,
                "rows": {f"list_{n}": count for n, count in annex.counts.items()},
            },
            ip_address=ip_address,
        )
    return annex, workbook
