"""Reading family documents back the way a family's software would: text extracted from the
PDF itself (pypdf), and the Word document opened with python-docx."""

import io

import docx
from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, extracted from the PDF."""
    assert content.startswith(b"%PDF"), "not a PDF"
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    # Extraction breaks lines where the PDF does; join them so phrases can be found whole.
    return " ".join(" ".join(pdf_pages(content)).split())


def pdf_is_tagged(content: bytes) -> bool:
    """Tagged for assistive technology: a structure tree, and marked as tagged."""
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    mark_info = root.get("/MarkInfo")
    return "/StructTreeRoot" in root and bool(mark_info and mark_info.get("/Marked"))


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word document, which must open."""
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())
