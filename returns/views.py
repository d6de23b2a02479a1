"""The CIN census page: choose a year, see the counts and the validation report, download.

Only performance analysts and senior leaders of the agency (`selectors.READERS`); everyone else
is refused (403). Building and checking is a read; the download is audited
(`services.cin_census_export`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.rendering import render_page_or_partial
from returns import selectors, services
from returns.forms import CensusYearForm
from returns.spec import SPECS


def _analysts_only(request):
    if not selectors.may_produce_returns(request.user):
        raise PermissionDenied("Statutory returns are for performance analysts and senior leaders.")


def _year(request) -> tuple[CensusYearForm, int | None]:
    data = request.GET.copy()
    data.setdefault("year", str(max(SPECS)))
    form = CensusYearForm(data, auto_id="census-%s")
    return form, form.cleaned_data["year"] if form.is_valid() else None


@require_GET
def cin_census(request):
    _analysts_only(request)
    form, year = _year(request)
    result, problem = None, ""
    if year is not None:
        try:
            result = services.cin_census_prepare(agency=request.user.agency, year=year)
        except ValueError as error:
            problem = str(error)
    context = {"form": form, "year": year, "result": result, "problem": problem}
    status = 400 if form.errors else 200
    return render_page_or_partial(
        request, "returns/cin_census.html", context, partial="report", status=status
    )


@require_GET
def cin_census_download(request):
    _analysts_only(request)
    form, year = _year(request)
    # A file that cannot be built sends the person back to the page, which says why.
    if year is None:
        messages.error(request, "Choose a census year that Threefold knows.")
        return redirect("returns:cin_census")
    try:
        result = services.cin_census_export(
            actor=request.user,
            agency=request.user.agency,
            year=year,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('returns:cin_census')}?year={year}")
    response = HttpResponse(result.xml, content_type="application/xml")
    name = f"CIN_census_{result.census.lea}_{year}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
