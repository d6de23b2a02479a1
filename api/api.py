"""The REST API, version 1, mounted at /api/v1/ (see docs/api.md).

Versioning: everything here is v1. A change that could break a client (a field removed or
renamed, a meaning changed) goes into a new NinjaAPI mounted at /api/v2/, and v1 keeps working
alongside it for at least one release; adding fields or endpoints is not a breaking change.

Adding a router: write `api/routers/<name>.py` with a `router = Router(tags=["<name>"])` whose
operations use `read(...)`/`write(...)` from `api.routers.common` (so they check a scope, open
the case through `case_for`, audit reads and call `process.services` for writes), add its scopes
to `api.models.Scope`, and add one line to ROUTERS below.
"""

from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from api import errors
from api.routers import cases, maps, measures, process, safety
from api.throttling import ClientRateThrottle

ROUTERS = [cases.router, maps.router, safety.router, process.router, measures.router]


class OfflineDocs(DocsBase):
    """A server-rendered list of the operations, read from the OpenAPI document. Ninja's Swagger
    and Redoc pages load JavaScript that the Content Security Policy (no inline script, nothing
    from a CDN) would block, so the docs page is plain HTML."""

    def render_page(self, request, api, **kwargs):
        schema = api.get_openapi_schema(path_params=kwargs)
        operations = [
            {
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "tag": (operation.get("tags") or [""])[0],
                "statuses": sorted(operation.get("responses", {})),
            }
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        ]
        return render(
            request,
            "api/docs.html",
            {
                "title": schema["info"]["title"],
                "version": schema["info"]["version"],
                "operations": sorted(operations, key=lambda o: (o["tag"], o["path"])),
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )


class ThreefoldAPI(NinjaAPI):
    def get_operation_url_name(self, operation, router):
        # Operations are not named URL patterns: they are reached with a bearer token, never a
        # session, and tests/api/test_api_matrix.py walks every one of them from the OpenAPI
        # document instead.
        return None


def build_api() -> NinjaAPI:
    api = ThreefoldAPI(
        title="Threefold API",
        version="1",
        description="Case records for Signs of Safety practice. See docs/api.md.",
        urls_namespace="api",
        docs=OfflineDocs(),
        docs_url="/docs",
        openapi_url="/openapi.json",
        throttle=[ClientRateThrottle()],
    )
    errors.register(api)
    for router in ROUTERS:
        api.add_router("", router)
    return api


api_v1 = build_api()
