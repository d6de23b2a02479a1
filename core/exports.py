"""Cells for spreadsheets people will open: text that a spreadsheet would run as a formula
(starting =, +, -, @, tab or carriage return) is prefixed with an apostrophe, so it shows as text
(the OWASP advice on CSV injection)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: list) -> list:
    return [
        f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
        for cell in row
    ]
