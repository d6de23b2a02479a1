"""Tables as CSV (cells made safe for spreadsheets) or XLSX (openpyxl)."""

import csv
import io

from django.http import HttpResponse

from core.exports import spreadsheet_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(*, filename: str, fmt: str, header: list, rows: list[list], title: str):
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = title[:31]
        sheet.append(header)
        for row in rows:
            # openpyxl writes strings as text, never formulas, unless they start with "=".
            sheet.append(spreadsheet_safe(list(row)))
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(spreadsheet_safe(list(row)))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
