"""Evaluation pages: the published-statistics overview, an authority against its neighbours
and England, evaluation designs, and the report.

Published statistics are public and not agency-owned: senior leaders, practice leads and
performance analysts of every agency read them (`selectors.READERS`); the administrator, who
runs the loads, sees the overview of what was loaded. Everyone else is refused (403)."""

import csv
import hashlib
import json

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import RuleViolation
from core.exports import spreadsheet_safe
from core.rendering import render_page_or_partial
from evaluation import selectors, services
from evaluation.forms import CompareForm, DesignForm
from evaluation.indicators import BY_KEY, INDICATORS
from evaluation.models import PublishedRelease
from evaluation.pilots import SLUG, pilot_design_ensure
from evaluation.rendering import render_report_html, render_report_pdf
from evaluation.report import build_report, comparison


def _readers_only(request):
    if not selectors.may_read_statistics(request.user):
        raise PermissionDenied(
            "Published statistics are for senior leaders, practice leads and analysts."
        )


@require_GET
def overview(request):
    if not selectors.may_see_overview(request.user):
        raise PermissionDenied("The statistics overview is for leaders, analysts and admins.")
    context = selectors.overview() | {
        "may_read": selectors.may_read_statistics(request.user),
        "indicators": INDICATORS,
    }
    return render(request, "evaluation/overview.html", context)


def _comparison_from(request):
    authorities = selectors.authorities()
    models = selectors.neighbour_models()
    data = request.GET.copy()
    if authorities:
        data.setdefault("authority", authorities[0].code)
    data.setdefault("indicator", INDICATORS[0].key)
    data.setdefault("model", models[0] if models else "2021")
    form = CompareForm(data, authorities=authorities, models=models, auto_id="compare-%s")
    result = None
    if authorities and form.is_valid():
        result = comparison(
            form.cleaned_data["authority"],
            BY_KEY[form.cleaned_data["indicator"]],
            model=form.cleaned_data["model"] or "2021",
        )
    return form, result


@require_GET
def compare(request):
    _readers_only(request)
    form, result = _comparison_from(request)
    context = {"form": form, "result": result, "query": request.GET.urlencode()}
    status = 400 if form.is_bound and form.errors and selectors.authorities() else 200
    return render_page_or_partial(
        request, "evaluation/compare.html", context, partial="comparison", status=status
    )


@require_GET
def compare_csv(request):
    _readers_only(request)
    form, result = _comparison_from(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    if result is None:  # nothing loaded, or an invalid choice: the headings only
        response["Content-Disposition"] = 'attachment; filename="comparison.csv"'
        csv.writer(response).writerow(
            ["Year ending 31 March", "Authority", "Neighbours", "England"]
        )
        return response
    name = f"{form.cleaned_data['authority']}-{result.indicator.key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        spreadsheet_safe(
            [
                "Year ending 31 March",
                result.authority_name,
                "Statistical neighbours' average",
                "Neighbours with a value",
                "England",
                "Unit",
            ]
        )
    )
    for row in result.rows:
        writer.writerow(
            spreadsheet_safe(
                [
                    row["year"],
                    "" if row["authority"] is None else round(row["authority"], 1),
                    "" if row["neighbours"] is None else round(row["neighbours"], 1),
                    row["neighbours_reporting"],
                    "" if row["england"] is None else round(row["england"], 1),
                    result.indicator.unit,
                ]
            )
        )
    return response


@require_http_methods(["GET", "POST"])
def designs(request):
    _readers_only(request)
    status = 200
    if request.method == "POST":
        form = DesignForm(request.POST, auto_id="design-%s")
        if form.is_valid():
            try:
                design = services.evaluation_design_create(actor=request.user, **form.cleaned_data)
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved the design “{design.name}”.")
                return redirect(f"{request.path}#design-{design.slug}")
        status = 400
    else:
        form = DesignForm(
            auto_id="design-%s",
            initial={"comparison": "neighbours", "first_year": 2013, "last_year": 2019},
        )
    pilot_design_ensure()
    context = {
        "form": form,
        "designs": list(selectors.designs_for(request.user)),
        "names": selectors.names_by_code(),
    }
    return render(request, "evaluation/designs.html", context, status=status)


def _report_for(request):
    _readers_only(request)
    slug = request.GET.get("design") or SLUG
    if slug == SLUG:
        pilot_design_ensure()
    design = selectors.design_get(request.user, slug)
    if design is None:
        raise Http404("No such design.")
    # Same design and same loaded files: the same report, so it is built once.
    inputs = [design.pk, design.implementation, design.comparison, design.indicators]
    inputs += list(PublishedRelease.objects.order_by("id").values_list("sha256", flat=True))
    key = "evaluation-report:" + hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        report = build_report(design)
        html = {"report": report, "document": render_report_html(report)}
        cache.set(key, html, 600)
    return design, html


@require_GET
def report(request):
    design, built = _report_for(request)
    context = {
        "report": built["report"],
        "designs": list(selectors.designs_for(request.user)),
        "design": design,
    }
    return render(request, "evaluation/report.html", context)


@require_GET
def report_pdf(request):
    design, built = _report_for(request)
    pdf = render_report_pdf(built["document"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{design.slug}.pdf"'
    return response
