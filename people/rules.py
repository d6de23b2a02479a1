"""Object permissions on cases, as `rules` predicates built on people.access."""

import rules

from people import access
from people.models import Case


def _may_open(user, case) -> bool:
    if case is None:
        return False
    # Answered already if the case was read for this person (`case_get_visible`).
    if access.noted_may_open(user, case):
        return True
    return Case.objects.filter(access.case_visibility_filter(user), pk=case.pk).exists()


def _may(name: str):
    def predicate(user, case) -> bool:
        return access.may_on_cases_they_open(user)[name] and _may_open(user, case)

    return predicate


rules.add_perm("people.view_case", rules.predicate(_may_open, name="can_view_case"))
for name, (permission, _) in access.CASE_PERMISSIONS.items():
    rules.add_perm(permission, rules.predicate(_may(name), name=f"can_{name}"))
