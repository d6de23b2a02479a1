"""Object permissions on cases, as `rules` predicates built on people.access."""

import rules

from people import access
from people.models import Case


def _case_matches(filter_for, *, held_as: str = ""):
    def predicate(user, case) -> bool:
        if case is None:
            return False
        # Answered already if the case was read with this person's permissions.
        if held_as and (held := access.held_permission(user, case, held_as)) is not None:
            return held
        return Case.objects.filter(filter_for(user), pk=case.pk).exists()

    return predicate


rules.add_perm(
    "people.view_case",
    rules.predicate(_case_matches(access.case_visibility_filter), name="can_view_case"),
)
for name, (permission, filter_for) in access.CASE_PERMISSIONS.items():
    rules.add_perm(
        permission, rules.predicate(_case_matches(filter_for, held_as=name), name=f"can_{name}")
    )
