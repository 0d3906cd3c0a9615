"""The Starlette application of `tema serve`: routes, middleware and the job runner."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from html import escape
from ipaddress import IPv4Address, IPv6Address, ip_address
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.datastructures import Headers
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
from tema.serve import routes_batches, routes_intake, routes_labels, routes_report, routes_review
from tema.serve.security import Refused
from tema.serve.state import ANY_ADDRESS, AppState, ServeSettings
from tema.serve.upload_limit import BodyLimit
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
        *routes_intake.ROUTES,
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


class KnownHosts:
    """Starlette's TrustedHostMiddleware (only the host names the app answers to, against
    DNS rebinding), whose refusal is a page of the app rather than its bare English
    "Invalid host header": in the app's language (a request refused here has no session
    to tell the user's), naming the addresses it answers at and nothing the request sent.
    It loads nothing from the refused address, and links to the app at an address the
    user's browser reaches and the app answers at (`_link`).

    Bound to every address (`--host 0.0.0.0` or `::`), the app also answers at the address
    of this computer a request was sent to, as an IP address (http://192.0.2.2:8765/): an
    address, unlike a name, cannot be pointed elsewhere by another web site's DNS."""

    def __init__(self, app: ASGIApp, hosts: list[str], bound: str, language: str) -> None:
        self.app = app
        self.hosts = hosts
        self.everywhere = bound in ANY_ADDRESS
        # Where the app listens: the link when the request's own address will not do.
        self.address = ANY_ADDRESS.get(bound, bound)
        self.language = pick_language(None, language)
        # A browser writes an IPv6 address in brackets ("[::1]:8765"), as Starlette reads it.
        allowed = hosts + [f"[{host}]" for host in hosts if ":" in host]
        self.check = TrustedHostMiddleware(self._allowed, allowed_hosts=allowed, www_redirect=False)

    async def _allowed(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["tema.known_host"] = True
        await self.app(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.check(scope, receive, send)
            return
        if self.everywhere and _sent_to_this_address(scope):
            await self._allowed(scope, receive, send)
            return

        async def unless_refused(message: Message) -> None:
            if scope.get("tema.known_host"):
                await send(message)

        await self.check(scope, receive, unless_refused)
        if not scope.get("tema.known_host"):
            await self._refuse(scope, receive, send)

    def _link(self, scope: Scope) -> tuple[str, list[str]]:
        """The URL the refusal links to, and the addresses it names. Bound to every
        address: this computer's address the request came to (the user's browser reached
        it: 127.0.0.1 on this computer, its address on the network from another); else
        the address the app listens at."""
        host, port = scope.get("server") or ("", 0)
        here = _ip(host)
        hosts = list(self.hosts)
        if self.everywhere and here is not None:
            host = str(here)
            if host not in hosts:
                hosts.append(host)
        else:
            host = self.address
        url = f"http://{f'[{host}]' if ':' in host else host}{f':{port}' if port else ''}/"
        return url, hosts

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        words = WORDS[self.language]
        url, hosts = self._link(scope)
        page = WRONG_HOST.format(
            lang=self.language,
            title=escape(words["wrong_host_title"]),
            text=escape(words["wrong_host"].format(hosts=", ".join(hosts))),
            url=escape(url),
        )
        await HTMLResponse(page, status_code=400)(scope, receive, send)


def _ip(text: str) -> IPv4Address | IPv6Address | None:
    """`text` as an IP address ("[…]" around IPv6 as in a Host header; an IPv4 address
    as a dual-stack socket writes it, ::ffff:192.0.2.2, as itself); None if it is none."""
    try:
        address = ip_address(text.removeprefix("[").removesuffix("]"))
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _sent_to_this_address(scope: Scope) -> bool:
    """Whether the request's Host is the IP address of this computer it was sent to."""
    try:
        sent = urlsplit("//" + Headers(scope=scope).get("host", "")).hostname or ""
    except ValueError:  # not a host (an unclosed "[")
        return False
    here = _ip(str((scope.get("server") or ("", 0))[0]))
    return here is not None and _ip(sent) == here


WRONG_HOST = (
    "<!doctype html><html lang='{lang}'><meta charset='utf-8'><title>{title} · tema</title>"
    "<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:46em}}</style>"
    "<main><h1>{title}</h1><p class='error'>{text}</p><p><a href='{url}'>{url}</a></p>"
    "</main></html>"
)

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
            Middleware(
                KnownHosts,
                hosts=settings.hosts(),
                bound=settings.host,
                language=app_state.default_language,
            ),
            Middleware(
                SessionMiddleware,
                secret_key=app_state.secret,
                session_cookie="tema_session",
                same_site="strict",
                max_age=30 * 24 * 3600,
            ),
            # Inside the session: its refusal is a page of the app, in the user's language.
            Middleware(BodyLimit, max_bytes=settings.max_upload_bytes),
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
