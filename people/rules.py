"""Object permissions on cases, as `rules` predicates built on people.access."""

import rules

from people import access
from people.models import Case


def _case_matches(filter_for):
    def predicate(user, case) -> bool:
        if case is None:
            return False
        return Case.objects.filter(filter_for(user), pk=case.pk).exists()

    return predicate


can_view_case = rules.predicate(_case_matches(access.case_visibility_filter), name="can_view_case")
can_record_on_case = rules.predicate(
    _case_matches(access.case_recording_filter), name="can_record_on_case"
)
can_manage_case = rules.predicate(
    _case_matches(access.case_management_filter), name="can_manage_case"
)

can_read_access_report = rules.predicate(
    _case_matches(access.case_access_report_filter), name="can_read_access_report"
)

rules.add_perm("people.view_case", can_view_case)
rules.add_perm("people.read_access_report", can_read_access_report)
rules.add_perm("people.record_on_case", can_record_on_case)
rules.add_perm("people.manage_case", can_manage_case)
