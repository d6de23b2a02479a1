from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from people import selectors, services
from people.forms import AllocationForm


def case_allocate(request, case_id):
    case = selectors.case_get_visible(request.user, case_id=case_id)
    if not request.user.has_perm("people.manage_case", case):
        raise PermissionDenied("Only the team's manager allocates its cases.")
    workers = selectors.workers_allocatable_for(case)
    form = AllocationForm(
        request.POST or None, workers=workers, initial={"started_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.case_allocate(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, f"{case.name} is now allocated to {allocation.worker}.")
            return redirect("casefile:case_detail", case_id=case.pk)
    context = {
        "case": case,
        "form": form,
        "current": selectors.allocation_current(case),
        "allocations": selectors.allocation_history(case),
    }
    return render(request, "people/case_allocate.html", context)
