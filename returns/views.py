"""The CIN census, SSDA903 and Ofsted Annex A pages: choose a period, see the counts and the
validation report, download.

Only performance analysts and senior leaders of the agency (`selectors.READERS`); everyone else
is refused (403). Building and checking is a read; the download is audited
(`services.cin_census_export`, `services.ssda903_export`, `services.annex_a_export`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.rendering import render_page_or_partial
from returns import selectors, services
from returns.annex_a import LISTS
from returns.forms import AnnexAPeriodForm, CensusYearForm, LacYearForm
from returns.spec import LAC_SPECS, SPECS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


# SSDA903 (children looked after) -----------------------------------------------------------


def _lac_year(request) -> tuple[LacYearForm, int | None]:
    data = request.GET.copy()
    data.setdefault("year", str(max(LAC_SPECS)))
    form = LacYearForm(data, auto_id="lac-%s")
    return form, form.cleaned_data["year"] if form.is_valid() else None


@require_GET
def ssda903(request):
    _analysts_only(request)
    form, year = _lac_year(request)
    result = services.ssda903_prepare(agency=request.user.agency, year=year) if year else None
    tables = []
    if result is not None:
        tables = [
            (name, columns, result.lac.counts[table])
            for table, (name, columns) in result.lac.spec.tables.items()
        ]
    context = {"form": form, "year": year, "result": result, "tables": tables}
    status = 400 if form.errors else 200
    return render_page_or_partial(
        request, "returns/ssda903.html", context, partial="report", status=status
    )


@require_GET
def ssda903_download(request):
    _analysts_only(request)
    form, year = _lac_year(request)
    if year is None:
        messages.error(request, "Choose a collection year that Threefold knows.")
        return redirect("returns:ssda903")
    result = services.ssda903_export(
        actor=request.user,
        agency=request.user.agency,
        year=year,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    response = HttpResponse(result.zip, content_type="application/zip")
    name = f"SSDA903_{request.user.agency.code}_{year}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Ofsted Annex A -------------------------------------------------------------------------------


def _annex_period(request) -> tuple[AnnexAPeriodForm, dict | None]:
    data = request.GET.copy()
    data.setdefault("reference_date", timezone.localdate().strftime("%d/%m/%Y"))
    data.setdefault("months", "6")
    form = AnnexAPeriodForm(data, auto_id="annex-%s")
    return form, form.cleaned_data if form.is_valid() else None


@require_GET
def annex_a(request):
    _analysts_only(request)
    form, period = _annex_period(request)
    annex = services.annex_a_prepare(agency=request.user.agency, **period) if period else None
    lists = [(a, annex.counts[a.number]) for a in LISTS] if annex else []
    context = {"form": form, "annex": annex, "lists": lists, "query": request.GET.urlencode()}
    status = 400 if form.errors else 200
    return render_page_or_partial(
        request, "returns/annex_a.html", context, partial="report", status=status
    )


@require_GET
def annex_a_download(request):
    _analysts_only(request)
    form, period = _annex_period(request)
    if period is None:
        messages.error(request, "Choose a reference date that is not in the future.")
        return redirect("returns:annex_a")
    annex, workbook = services.annex_a_export(
        actor=request.user,
        agency=request.user.agency,
        ip_address=request.META.get("REMOTE_ADDR"),
        **period,
    )
    response = HttpResponse(workbook, content_type=XLSX)
    name = f"Annex_A_{request.user.agency.code}_{annex.period.reference_date:%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
