"""What every router shares: the scope-checking auth of an operation, the case lookup that
applies the UI's access rules, and the audit of reads."""

from django.core.exceptions import PermissionDenied

from api.auth import ApiBearer
from api.errors import COMMON_ERRORS, WRITE_ERRORS
from core.audit import audit_record
from core.errors import RuleViolation
from people.models import Case, Person
from people.selectors import case_get_visible


def read(scope: str, summary: str, response) -> dict:
    """Keyword arguments for a read operation that needs `scope`."""
    return {
        "auth": ApiBearer(scope),
        "summary": summary,
        "description": f"Needs the `{scope}` scope.",
        "response": {200: response, **COMMON_ERRORS},
    }


def write(scope: str, summary: str, response, *, status: int = 200) -> dict:
    return {
        "auth": ApiBearer(scope),
        "summary": summary,
        "description": f"Needs the `{scope}` scope, and a user who may record on the case.",
        "response": {status: response, **WRITE_ERRORS},
    }


def case_for(request, case_id: int, *, recording: bool = False) -> Case:
    """The case, through the same selector as the case page: 404 outside the acting user's
    reach (so its existence is not revealed), 403 to a write they may not make."""
    case = case_get_visible(request.user, case_id=case_id)
    if recording and not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied("This client's user can read this case but not record on it.")
    return case


def audit_read(
    request, verb: str, *, count: int, target=None, case_id=None, ids=None, asked=None
) -> None:
    """Record a read like a page view: who (the user the client acts as; audit_record adds the
    client), what, and how many records. List reads record one event naming the records on the
    page; `asked`, what the client asked for where that is not a record (a month, a team)."""
    client = request.api_client
    changes = {"count": count, **(asked or {})}
    if ids is not None:
        changes["ids"] = list(ids)
    audit_record(
        actor=client.acting_user,
        verb=verb,
        target=target,
        agency_id=client.agency_id,
        case_id=case_id,
        changes=changes,
        ip_address=request.META.get("REMOTE_ADDR"),
    )


def children_of(case: Case, ids) -> list[Person]:
    ids = set(ids or [])
    if not ids:
        return []
    children = list(
        Person.objects.filter(pk__in=ids, memberships__case=case, kind=Person.Kind.CHILD).distinct()
    )
    if len(children) != len(ids):
        raise RuleViolation("Only children in this case can be named.")
    return children


def person_of(case: Case, person_id) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id, memberships__case=case).first()
    if person is None:
        raise RuleViolation("Only people in this case can be linked.")
    return person


def records_of(queryset, ids, message: str) -> list:
    ids = set(ids or [])
    if not ids:
        return []
    records = list(queryset.filter(pk__in=ids))
    if len(records) != len(ids):
        raise RuleViolation(message)
    return records
