"""The evaluation report as a standalone HTML file and a tagged PDF (WeasyPrint), as
`documents.rendering` renders family documents: no network, no file access, British English.

The same report always gives the same bytes: the HTML shows no time of running, and the PDF's
creation and modification dates are fixed (SOURCE_DATE_EPOCH if set, otherwise the start of the
year after the design's last year), so a report can be checked by its checksum."""

import datetime
import os

from django.template.loader import render_to_string

from documents.rendering import LANGUAGE, _catalog_in_plain_sight, _url_fetcher
from evaluation.report import Report

TEMPLATE = "evaluation/report_document.html"


def fixed_date(report: Report) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        moment = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    else:
        moment = datetime.datetime(report.design.last_year + 1, 1, 1, tzinfo=datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def render_report_html(report: Report) -> str:
    return render_to_string(
        TEMPLATE, {"report": report, "language": LANGUAGE, "dated": fixed_date(report)}
    )


def render_report_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=None, url_fetcher=_url_fetcher())
    return document.write_pdf(
        pdf_variant="pdf/ua-1", finisher=_catalog_in_plain_sight, uncompressed_pdf=False
    )
