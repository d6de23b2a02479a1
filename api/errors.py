"""One error format for every API failure:

    {"error": {"code": "not_found", "message": "Not found.", "details": []}}

`code` is stable and meant for programs; `message` is plain English for people; `details` lists
field problems for a 422 (each with `location` and `message`) and is otherwise empty or, for a
409, holds the revision now saved.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from core.errors import ConflictError, RuleViolation

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


class ErrorDetail(Schema):
    location: list[str | int] = []
    message: str
    type: str = ""


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorOut(Schema):
    error: ErrorBody


# The responses every authenticated operation can give, for the OpenAPI document.
COMMON_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
WRITE_ERRORS = {**COMMON_ERRORS, 409: ErrorOut}


class ScopeMissing(HttpError):
    def __init__(self, scope: str):
        super().__init__(403, f"This client does not have the {scope} scope.")
        self.scope = scope


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or []}}


def register(api) -> None:
    """Answer every failure in the one format."""

    def respond(request, status: int, message: str, details=None, code: str | None = None):
        return api.create_response(
            request, error_body(code or CODES.get(status, "error"), message, details), status=status
        )

    @api.exception_handler(ValidationError)
    def validation(request, exc):
        details = [
            {
                "location": [str(part) for part in error.get("loc", ())],
                "message": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors
        ]
        return respond(request, 422, "The request is not valid.", details)

    @api.exception_handler(RuleViolation)
    def rule_violation(request, exc):
        return respond(request, 422, exc.message, code="rule_violation")

    @api.exception_handler(ConflictError)
    def conflict(request, exc):
        current = getattr(exc, "current", None)
        details = []
        if current is not None and getattr(current, "revision", None) is not None:
            details = [
                {
                    "location": ["body", "expected_revision"],
                    "message": f"The revision now saved is {current.revision}.",
                    "type": "stale_revision",
                }
            ]
        return respond(request, 409, exc.message, details)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = str(exc) or "This client may read this record but not change it."
        return respond(request, 403, message)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = respond(
            request, 401, "Send a valid bearer token: Authorization: Bearer <token>."
        )
        response["WWW-Authenticate"] = 'Bearer realm="threefold"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return respond(request, 429, "Too many requests: slow down and try again shortly.")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API request failed", exc_info=exc)
        return respond(request, 500, "Something went wrong on the server.")
