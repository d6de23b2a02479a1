"""The case audits counted by the depth measure D05 (see measures/catalogue.py), kept here so
the measures app reads audits through one place.

A unit is a completed audit (completed or moderated) of one of the viewer's cases, completed in
the calendar month of the day up to and including the day. Its grade is the one that counts:
the moderator's once moderated, else the auditor's (`CaseAudit.counted_grade`)."""

import datetime

from django.db.models import Q

from audits.models import GOOD_OR_BETTER, CaseAudit, Grade


def audit_units(cases, start: datetime.date, end: datetime.date):
    """The audits of the cases completed (or completed and moderated) from `start` to `end`."""
    return CaseAudit.objects.filter(
        case__in=cases.values("pk"),
        status__in=[CaseAudit.Status.COMPLETED, CaseAudit.Status.MODERATED],
        completed_on__gte=start,
        completed_on__lte=end,
    )


def audit_flags(day: datetime.date) -> tuple[dict, dict]:
    """No annotations; D05's numerator and denominator."""
    return {}, {"D05": (Q(counted_grade__gte=GOOD_OR_BETTER), Q(pk__isnull=False))}


def audit_drilldown_rows(units) -> list[dict]:
    """The audits behind a D05 figure, as rows of the measures drill-down."""
    rows = units.values(
        "case_id",
        "case__name",
        "case__reference",
        "case__team__name",
        "case__opened_on",
        "completed_on",
        "counted_grade",
        "status",
    ).order_by("completed_on", "case__name")
    return [
        {
            "case_id": r["case_id"],
            "case": r["case__name"],
            "reference": r["case__reference"],
            "team": r["case__team__name"],
            "opened_on": r["case__opened_on"],
            "detail": f"Completed {r['completed_on']:%d %b %Y}; "
            f"{Grade(r['counted_grade']).label.lower()}"
            + (" (moderated)" if r["status"] == CaseAudit.Status.MODERATED else ""),
        }
        for r in rows
    ]
