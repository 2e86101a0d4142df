"""The request body limit: 413 before the body is read when ``Content-Length`` is too large,
and as soon as a streamed (chunked) body passes the limit."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError, error_response


def _too_large(limit: int, size: int | None = None) -> ApiError:
    told = f"{size:,} bytes" if size is not None else "more"
    return ApiError(
        413,
        f"the request body is {told}; the limit is {limit:,} bytes",
        hint="send the measurements in several batches",
        code="too_large",
    )


class BodyLimit:
    """ASGI middleware that refuses bodies over ``limit`` bytes with 413."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            error = _too_large(self.limit, int(declared))
            await error_response(413, error.to_dicts())(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _too_large(self.limit)
            return message

        await self.app(scope, counted, send)
