"""Every error response of the service, in one shape and one place.

The shape is ``{"errors": [{"message", "code"?, "line"?, "column"?, "snippet"?,
"hint"?, "row"?, "field"?}]}``:

======================================== ====== ===============================
raised                                   status meaning
======================================== ====== ===============================
:class:`dsl.PolicyLimitError`            413    policy over 1 MiB / 10,000 clauses
:class:`dsl.PolicyError`                 422    invalid policy text (line, column)
``MeasurementError``                     422    invalid measurements (row, field)
``RangeError``                           422    unreadable or empty ``from``/``to``
:class:`ApiError`                        its    404 unknown policy, 409 conflict, ...
request validation (pydantic)            422    malformed JSON body or query
Starlette's ``HTTPException``            its    unknown route (404), method (405)
anything else                            500    logged; the message says no more
======================================== ====== ===============================
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import domain

log = logging.getLogger("sla.api")


class ApiError(Exception):
    """An error the service answers with ``status`` and one error item."""

    def __init__(
        self, status: int, message: str, *, hint: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.hint = hint
        self.code = code

    def to_dicts(self) -> list[dict[str, Any]]:
        item: dict[str, Any] = {"message": self.message}
        if self.code is not None:
            item["code"] = self.code
        if self.hint is not None:
            item["hint"] = self.hint
        return [item]


def not_found(what: str, hint: str | None = None) -> ApiError:
    return ApiError(404, f"{what} not found", hint=hint, code="not_found")


def error_response(
    status: int, errors: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> JSONResponse:
    """The one JSON shape of every error response."""
    return JSONResponse({"errors": errors}, status_code=status, headers=headers)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.to_dicts())


async def _policy_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, domain.PolicyError)
    status = 413 if isinstance(exc, domain.PolicyLimitError) else 422
    return error_response(status, exc.to_dicts())


async def _measurement_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, domain.MeasurementError)
    return error_response(422, exc.to_dicts())


async def _range_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, domain.RangeError)
    return error_response(422, exc.to_dicts())


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        item: dict[str, Any] = {"code": "invalid_request", "message": str(error.get("msg", "invalid"))}
        if location:
            item["field"] = ".".join(location)
        errors.append(item)
    return error_response(422, errors)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, [{"message": str(exc.detail)}], headers=headers)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return error_response(500, [{"code": "internal", "message": "internal error; the service logged it"}])


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the shape of the module docstring."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(domain.PolicyError, _policy_error)
    app.add_exception_handler(domain.MeasurementError, _measurement_error)
    app.add_exception_handler(domain.RangeError, _range_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
