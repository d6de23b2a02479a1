"""Downloads of family documents. The case is fetched through the access-scoped selector
first, so a case outside the user's reach is a 404 whatever the method; every download is
written to the audit log by `document_response`."""

from django.http import HttpResponseNotAllowed

from documents.builders import map_document
from documents.rendering import document_response
from people.selectors import case_get_visible
from practice.selectors import map_get


def _map_download(request, case_id, map_id, fmt):
    case = case_get_visible(request.user, case_id=case_id)
    map_ = map_get(case=case, map_id=map_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return document_response(
        request,
        case=case,
        document=map_document(map_),
        fmt=fmt,
        filename_stem=f"{case.name} map {map_.number}",
    )


def map_pdf(request, case_id, map_id):
    return _map_download(request, case_id, map_id, "pdf")


def map_docx(request, case_id, map_id):
    return _map_download(request, case_id, map_id, "docx")
