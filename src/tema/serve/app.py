"""The Starlette application of `tema serve`: routes, middleware and the job runner."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from html import escape

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tema.config import Config
from tema.serve import routes_batches, routes_labels, routes_report, routes_review
from tema.serve.security import Refused
from tema.serve.state import AppState, ServeSettings
from tema.serve.web import message, not_found, page_of_form, redirect, refused, static_dir
from tema.serve.words import WORDS, pick_language

# No script, style, image or font from anywhere but tema itself; no framing by other sites.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}
# Sent before the request reaches the routes, styled like the app's pages, with the way back;
# in the language of the session (SessionMiddleware has read its cookie by then).
TOO_LARGE = (
    "<!doctype html><html lang='{lang}'><meta charset='utf-8'>"
    "<title>{title} · tema</title><link rel='stylesheet' href='/static/app.css'>"
    "<main><h1>{title}</h1><p class='error'>{help}</p>"
    "<p><a href='/'>{back}</a></p></main></html>"
)


def too_large_page(lang: str, max_bytes: int) -> bytes:
    words = WORDS[lang]
    mb = max_bytes // (1024 * 1024)
    return TOO_LARGE.format(
        lang=lang,
        title=escape(words["too_large_title"]),
        help=escape(words["too_large_help"].format(mb=mb)),
        back=escape(words["back_home"]),
    ).encode("utf-8")


class BodyLimit:
    """Refuse (413) a request whose body is larger than the upload limit, before it is read
    in full: by its Content-Length, or by counting what arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int, default_language: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.default_language = default_language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        lang = pick_language(scope.get("session", {}).get("lang"), self.default_language)
        body = too_large_page(lang, self.max_bytes)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode() not in existing
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def routes() -> list[BaseRoute]:
    return [
        *routes_batches.ROUTES,
        *routes_report.ROUTES,
        *routes_review.ROUTES,
        *routes_labels.ROUTES,
        Mount("/static", StaticFiles(directory=static_dir()), name="static"),
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such page, a method the address does not take, a form
    it cannot read) as the app's pages, in the user's language, never its bare English."""
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    if status == 404:
        return not_found(request)
    if status == 405 and request.method in ("GET", "HEAD"):
        # An address only a form posts to (a reload, a bookmark): the page it belongs to.
        return redirect(page_of_form(request.url.path))
    return message(request, "bad_request", status)


async def _refused(request: Request, exc: Exception) -> Response:
    """A refusal no handler caught (the POST handlers catch theirs): the app's page."""
    assert isinstance(exc, Refused)
    return refused(request, exc)


async def _server_error(request: Request, exc: Exception) -> Response:
    """A failure of the app itself: a page that says so in the user's language (the
    traceback goes to the server's output, as Starlette logs it). It is sent from outside
    the other middleware, so it must not depend on them: the session may be missing."""
    try:
        response = message(request, "server_error", 500)
    except Exception:  # the session or the templates are what failed: a page without them
        words = WORDS[pick_language(None, request.app.state.serve.default_language)]
        page = SERVER_ERROR.format(
            lang="nb" if words is WORDS["nb"] else "en",
            text=escape(words["server_error"]),
            back=escape(words["back_home"]),
        )
        response = HTMLResponse(page, status_code=500)
    response.headers.update(SECURITY_HEADERS)
    return response


SERVER_ERROR = (
    "<!doctype html><html lang='{lang}'><meta charset='utf-8'><title>tema</title>"
    "<link rel='stylesheet' href='/static/app.css'><main><p class='error'>{text}</p>"
    "<p><a href='/'>{back}</a></p></main></html>"
)


def create_app(settings: ServeSettings, config: Config | None = None) -> Starlette:
    """The app for the project of `settings.params` (paths relative to the working folder),
    whose config is `config` when the caller has read it already."""
    app_state = AppState.create(settings, config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.run_jobs:
            app_state.runner.start()
        try:
            yield
        finally:
            app_state.runner.stop()

    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=settings.hosts()),
            Middleware(
                SessionMiddleware,
                secret_key=app_state.secret,
                session_cookie="tema_session",
                same_site="strict",
                max_age=30 * 24 * 3600,
            ),
            # Inside the session: it reads only the cookie, never the body, and gives the
            # refusal its language.
            Middleware(
                BodyLimit,
                max_bytes=settings.max_upload_bytes,
                default_language=app_state.default_language,
            ),
        ],
        exception_handlers={
            HTTPException: _http_error,
            Refused: _refused,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )
    app.state.serve = app_state
    return app
