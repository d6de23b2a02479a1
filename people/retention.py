"""When closed cases come up for review under the agency's retention rules (configuration in
settings.RETENTION_RULES)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from agencies.models import Role
from people.models import Case, CaseMember, Person


@dataclass
class RetentionDue:
    case: Case
    review_on: datetime.date
    rule: str


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_review_date(case: Case) -> tuple[datetime.date | None, str]:
    rule_name = case.service if case.service in settings.RETENTION_RULES else "default"
    rule = settings.RETENTION_RULES[rule_name]
    births = [
        m.person.date_of_birth or m.person.expected_date_of_birth
        for m in case.child_memberships
        if m.person.date_of_birth or m.person.expected_date_of_birth
    ]
    if not births:
        return None, rule_name
    return _add_years(max(births), rule["until_age"]), rule_name


def retention_due(user, *, today: datetime.date) -> list[RetentionDue]:
    """Closed cases whose retention review falls within the notice period, soonest first.
    For administrators and senior leaders of the agency."""
    if user.role not in {Role.ADMINISTRATOR, Role.SENIOR_LEADER} or not user.agency_id:
        return []
    children = CaseMember.objects.filter(person__kind=Person.Kind.CHILD).select_related("person")
    cases = Case.objects.filter(agency_id=user.agency_id, status=Case.Status.CLOSED)
    cases = cases.select_related("team").prefetch_related(
        Prefetch("memberships", queryset=children, to_attr="child_memberships")
    )
    horizon = today + datetime.timedelta(days=settings.RETENTION_REVIEW_NOTICE_DAYS)
    due = []
    for case in cases:
        review_on, rule = retention_review_date(case)
        if review_on is not None and review_on <= horizon:
            due.append(RetentionDue(case, review_on, rule))
    return sorted(due, key=lambda item: item.review_on)
