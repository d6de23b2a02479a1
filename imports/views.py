"""Imports from a legacy system: upload a file (which is checked first, writing nothing), read
the report, import the checked file, see the history. The column guide and the templates.

Only administrators and performance analysts of the agency (`selectors.IMPORTERS`); everyone
else is refused (403). Runs belong to the agency: another agency's run is 404."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import RuleViolation
from core.rendering import render_page_or_partial
from imports import selectors, services
from imports.columns import COLUMNS
from imports.forms import UploadForm
from imports.models import ImportKind, ImportRun

RUNS_PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importers_only(request):
    if not selectors.may_import(request.user):
        raise PermissionDenied("Imports are for administrators and performance analysts.")


@require_http_methods(["GET", "POST"])
def home(request):
    _importers_only(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.import_upload(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    source_system=form.cleaned_data["source_system"],
                    upload=form.cleaned_data["upload"],
                )
            except RuleViolation as error:
                form.add_error("upload", error.message)
            else:
                return redirect("imports:run_detail", run_id=run.pk)
        status = 400
    page = Paginator(selectors.import_runs(request.user), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "runs": page.object_list, "kinds": ImportKind}
    return render(request, "imports/home.html", context, status=status)


@require_GET
def layouts(request):
    _importers_only(request)
    kinds = [
        {"value": kind.value, "label": kind.label, "columns": COLUMNS[kind]} for kind in ImportKind
    ]
    return render(request, "imports/layouts.html", {"kinds": kinds})


@require_GET
def template_download(request, kind, fmt):
    _importers_only(request)
    if kind not in ImportKind.values or fmt not in {"csv", "xlsx"}:
        raise Http404("No such template.")
    columns = COLUMNS[kind]
    header = [column.name for column in columns]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = kind
        sheet.append(header)
        guide = book.create_sheet("Columns")
        guide.append(["Column", "Required", "Format", "What it holds", "Codes"])
        for column in columns:
            codes = "; ".join(f"{value} = {label}" for value, label in column.codes)
            guide.append(
                [column.name, "Yes" if column.required else "No", column.format, column.help, codes]
            )
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        out = io.StringIO()
        csv.writer(out).writerow(header)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="threefold-{kind}-template.{fmt}"'
    return response


@require_GET
def run_detail(request, run_id):
    _importers_only(request)
    run = selectors.import_run_get(request.user, run_id)
    context = {
        "run": run,
        "import_run": selectors.import_of(run) if run.dry_run else None,
        "checked_run": run.checked_by_run,
        "states": ImportRun.State,
    }
    return render_page_or_partial(request, "imports/run_detail.html", context, partial="progress")


@require_POST
def run_confirm(request, run_id):
    _importers_only(request)
    run = selectors.import_run_get(request.user, run_id)
    try:
        real = services.import_confirm(actor=request.user, run=run)
    except RuleViolation as error:
        messages.error(request, error.message)
        return redirect("imports:run_detail", run_id=run.pk)
    return redirect("imports:run_detail", run_id=real.pk)
