"""Write an evaluation report as report.html and report.pdf.

    manage.py evaluation_report --design signs-of-safety-pilots --out DIR

Reproducible: the same loaded statistics and design give byte-identical HTML (and the PDF's
dates are fixed; set SOURCE_DATE_EPOCH to choose them)."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_record
from evaluation.models import EvaluationDesign
from evaluation.rendering import render_report_html, render_report_pdf
from evaluation.report import build_report


class Command(BaseCommand):
    help = "Write the evaluation report for a design as report.html and report.pdf."

    def add_arguments(self, parser):
        parser.add_argument("--design", required=True, help="The design's slug (or name).")
        parser.add_argument("--out", required=True, help="Folder to write the report into.")
        parser.add_argument(
            "--agency", help="Code of the agency whose design it is, if not shared."
        )
        parser.add_argument("--no-pdf", action="store_true", help="Write only report.html.")

    def handle(self, *args, design, out, agency=None, no_pdf=False, **options):
        designs = (
            EvaluationDesign.objects.filter(agency__code=agency)
            if agency
            else (EvaluationDesign.objects.filter(agency__isnull=True))
        )
        found = designs.filter(slug=design).first() or designs.filter(name=design).first()
        if found is None:
            raise CommandError(f"No design {design!r}.")
        report = build_report(found)
        if not report.loaded:
            raise CommandError("No published statistics are loaded: run load_published_statistics.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        html = render_report_html(report)
        (folder / "report.html").write_text(html, encoding="utf-8")
        written = {"report.html": hashlib.sha256(html.encode()).hexdigest()}
        if not no_pdf:
            pdf = render_report_pdf(html)
            (folder / "report.pdf").write_bytes(pdf)
            written["report.pdf"] = hashlib.sha256(pdf).hexdigest()
        audit_record(
            actor=None,
            verb="evaluation.report_written",
            target=found,
            agency_id=found.agency_id,
            changes={"folder": str(folder), **written},
        )
        for name, digest in written.items():
            self.stdout.write(f"Wrote {folder / name} (sha256 {digest})")
        for result in report.results:
            estimate = result.did.estimate
            if estimate is None:
                self.stdout.write(f"{result.indicator.label}: {result.did.note}")
                continue
            self.stdout.write(
                f"{result.indicator.label}: {estimate.estimate:+.2f} "
                f"(95% CI {estimate.low:.2f} to {estimate.high:.2f}; permutation "
                f"{result.did.permutation_low:.2f} to {result.did.permutation_high:.2f})"
            )
