"""Cases, their allocations and the people in them."""

from ninja import Query, Router

from api import selectors
from api.models import Scope
from api.pagination import paginate
from api.routers.common import audit_read, case_for, read
from api.schemas import (
    AllocationOut,
    CaseListParams,
    CaseOut,
    CasePage,
    CasePeopleOut,
    Id,
    ListParams,
    PersonPage,
)
from people.selectors import allocation_history, case_people

router = Router(tags=["cases"])


@router.get("/cases", **read(Scope.CASES_READ, "List cases", CasePage))
def case_list(request, params: Query[CaseListParams]):
    """The cases the client's user may open, by family name. `search` matches a family or
    person's name or the exact reference; `status` is open (the default), closed or all."""
    cases = selectors.api_case_list(
        request.user,
        search=params.search,
        status=params.status,
        updated_since=params.updated_since,
    )
    result = paginate(cases, params)
    audit_read(
        request,
        "api.cases_listed",
        count=len(result["results"]),
        ids=[c.pk for c in result["results"]],
    )
    return result


@router.get("/cases/{case_id}", **read(Scope.CASES_READ, "Read a case", CaseOut))
def case_detail(request, case_id: Id):
    case = case_for(request, case_id)
    audit_read(request, "api.case_read", count=1, target=case, case_id=case.pk)
    return case


@router.get(
    "/cases/{case_id}/allocations",
    **read(Scope.CASES_READ, "List a case's allocations, newest first", list[AllocationOut]),
)
def allocation_list(request, case_id: Id):
    case = case_for(request, case_id)
    allocations = list(allocation_history(case))
    audit_read(
        request, "api.allocations_read", count=len(allocations), target=case, case_id=case.pk
    )
    return allocations


@router.get(
    "/cases/{case_id}/people",
    **read(Scope.PEOPLE_READ, "The children and adults in a case", CasePeopleOut),
)
def case_people_detail(request, case_id: Id):
    case = case_for(request, case_id)
    people = case_people(case)
    count = len(people["children"]) + len(people["adults"])
    audit_read(request, "api.people_read", count=count, target=case, case_id=case.pk)
    return people


@router.get("/people", **read(Scope.PEOPLE_READ, "List people in visible cases", PersonPage))
def people_list(request, params: Query[ListParams]):
    """Everyone in a case the client's user may open, by id: for keeping another system's
    copy of the people in step (use `updated_since`)."""
    people = selectors.api_people_list(request.user, updated_since=params.updated_since)
    result = paginate(people, params)
    audit_read(
        request,
        "api.people_listed",
        count=len(result["results"]),
        ids=[p.pk for p in result["results"]],
    )
    return result
