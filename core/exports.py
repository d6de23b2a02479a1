"""Tables people download, as CSV or XLSX (openpyxl). Text that a spreadsheet would run as a
formula (starting =, +, -, @, tab or carriage return) is prefixed with an apostrophe, so it
shows as text (the OWASP advice on CSV injection)."""

import csv
import io

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: list) -> list:
    return [
        f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
        for cell in row
    ]


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
