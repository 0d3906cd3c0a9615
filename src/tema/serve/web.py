"""What every page handler shares: rendering, the language, the annotator, CSRF checks."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import markupsafe
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from tema.config import theme_names
from tema.messages import counted
from tema.numbers import NBSP, Style
from tema.report.model_text import skip_reason
from tema.serve.security import Refused, check_csrf, session_token
from tema.serve.state import AppState
from tema.serve.words import WORDS, pick_language, say

Endpoint = Callable[[Request], Awaitable[Response]]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("tema.serve", "templates"),
    autoescape=True,  # every value is escaped unless a template says otherwise
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def with_code(text: str) -> markupsafe.Markup:
    """`text` escaped, with its `command` spans shown as code (the words name commands
    the way the docs do; a page should not show the backticks)."""
    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(_BACKTICKED.sub(r"<code>\1</code>", escaped))


_BACKTICKED = re.compile(r"`([^`]+)`")
_ENV.filters["code"] = with_code
TEMPLATES = Jinja2Templates(env=_ENV)


def state(request: Request) -> AppState:
    app_state: AppState = request.app.state.serve
    return app_state


def language(request: Request) -> str:
    return pick_language(request.session.get("lang"), state(request).default_language)


def annotator(request: Request) -> str:
    name = request.session.get("annotator")
    return name if isinstance(name, str) else ""


def this_page(request: Request) -> str:
    """The page's path and query, for forms that come back to it (language, name), without
    the note on the step just taken: coming back should not say it again.

    A page that answers a form (a POST) cannot be fetched again: its forms come back to
    the page the form belongs to (`page_of_form`)."""
    if request.method not in ("GET", "HEAD"):
        return page_of_form(request.url.path)
    url = request.url.remove_query_params("note")
    return url.path + (f"?{url.query}" if url.query else "")


# The address a form posts to → the page it belongs to (first match; else the start page).
_FORM_PAGES = (
    (re.compile(r"/batches/(?:upload|folder)"), "/"),
    (re.compile(r"(/batches/[^/]+)/start"), r"\1/files"),
    (re.compile(r"(/batches/[^/]+/review)/[^/]+"), r"\1"),
    (re.compile(r"(/batches/[^/]+)/(?:rerun|delete)"), r"\1"),
    (re.compile(r"(/labels)/save"), r"\1"),
    (re.compile(r"/retrain"), "/retrain"),
)


def page_of_form(path: str) -> str:
    """The page (a GET) a form posting to `path` belongs to: where a language switch or a
    reload of the form's answer goes."""
    for pattern, page in _FORM_PAGES:
        if pattern.fullmatch(path):
            return pattern.sub(page, path)
    return "/"


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    lang = language(request)
    themes = state(request).config.themes
    names = theme_names(themes, lang)
    job = state(request).jobs.current()
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "w": WORDS[lang],
            "say": lambda key, **values: say(lang, key, **values),
            "lang": lang,
            "csrf": session_token(request),
            "annotator": annotator(request),
            "themes": [(theme.id, names[theme.id]) for theme in themes],
            "theme_name": lambda theme_id: names.get(theme_id, theme_id),
            # Why a file was left out, in the page's language (as report.html says it).
            "skip_reason": lambda item: skip_reason(item, lang),
            # A file refused as it came in, worded as that list (and the report) words it.
            "refused_reason": lambda item: _refused_reason(item, lang),
            # "1 dokument", "3 dokumenter": a count with its noun (tema.messages.NOUNS).
            "count": lambda n, noun: counted(n, noun, lang, NBSP),
            "style": Style(lang, NBSP),
            "active_job": job,
            "this_page": this_page(request),
            **context,
        },
        status_code=status_code,
    )


def _refused_reason(item: dict[str, str], lang: str) -> str:
    from tema.serve.left_out import refused_skip

    row = refused_skip(item)
    return skip_reason(row, lang) if row["code"] != "other" else item.get(lang, row["reason"])


# The status of a refusal: a foreign form is forbidden, a batch at work is a conflict
# (try again later); the rest are requests the app cannot take as they are.
REFUSAL_STATUS = {"csrf": 403, "busy": 409}


def refused(request: Request, error: Refused, **context: Any) -> Response:
    """The page that says why the app will not do what was asked, in the user's language,
    with the way back (`back`: the page of the form refused, unless the caller says)."""
    return message(
        request,
        error.key,
        REFUSAL_STATUS.get(error.key, 400),
        error.values,
        **{"back": this_page(request) if request.method == "POST" else "", **context},
    )


def message(
    request: Request,
    key: str,
    status_code: int,
    values: dict[str, Any] | None = None,
    **context: Any,
) -> Response:
    """A page that only says the text `key` (with `values`): why something was refused or
    went wrong; `heading`: the key of its heading, if it has one; `files`: the files it
    names (`ListedFile`).

    A page that answers a form (a POST) cannot be fetched again, so its language switch
    carries what it said (`said`) and `said_again` shows the same page in the other
    language, rather than the form's page without it."""
    values = values or {}
    context.setdefault("back", "")
    context.setdefault("heading", "")
    context.setdefault("files", [])
    if request.method == "POST":
        said = {"key": key, "values": values, "status": status_code, "back": context["back"]}
        said |= {"heading": context["heading"], "files": context["files"]}
        context.setdefault("said", json.dumps(said))
    text = say(language(request), key, **values)
    return render(request, "message.html", status_code=status_code, message=text, **context)


def said_again(request: Request, said: str, page: str) -> Response | None:
    """The page a language switch's `said` describes (`message`), in the language now
    chosen, its own switch going back to `page`; None if `said` is not one of the app's
    messages. (The switch is a form of the user's own session: CSRF-checked, and every
    value is shown escaped, as on the first page.)"""
    try:
        found = json.loads(said)
        key, values, status = found["key"], found["values"], found["status"]
        back, heading = local_path(found["back"]) if found["back"] else "", found["heading"]
        files = [ListedFile.checked(*item) for item in found.get("files", [])]
        known = key in WORDS["nb"] and (not heading or heading in WORDS["nb"])
        if not (known and isinstance(values, dict) and status in range(400, 600)):
            return None
        for words in WORDS.values():  # every value it needs is there
            words[key].format(**values)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    return message(
        request, key, status, values, back=back, heading=heading, files=files, this_page=page
    )


class ListedFile(NamedTuple):
    """A file a refusal names (an upload over the limit: `tema.serve.upload_limit`); a
    language switch carries it as a JSON list."""

    name: str  # as the user's computer names it
    mb: float  # its size, or as much of it as came
    whole: bool  # whether all of it came
    alone: bool  # whether it alone is over the limit

    @classmethod
    def checked(cls, name: str, mb: float, whole: bool, alone: bool) -> ListedFile:
        """One from what a language switch sent back; TypeError if it is not one."""
        if not (isinstance(name, str) and isinstance(mb, int | float)):
            raise TypeError(name)
        return cls(name, mb, bool(whole), bool(alone))


def local_path(url: str) -> str:
    """Only a path of this app (never another site: no open redirect). A browser drops
    tabs and line breaks from a link before reading it ("/<tab>/site" is "//site"), so a
    path with a control character is not one."""
    if (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and not _CONTROL.search(url)
    ):
        return url
    return "/"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def state_changing(endpoint: Endpoint) -> Endpoint:
    """A handler of a POST: refused with 403 unless the request carries the CSRF token."""

    @functools.wraps(endpoint)
    async def checked(request: Request) -> Response:
        try:
            await check_csrf(request)
            return await endpoint(request)
        except Refused as error:
            return refused(request, error)
        finally:
            await request.close()  # the uploaded files' temporary copies

    checked.state_changing = True  # type: ignore[attr-defined]
    return checked


def redirect(url: str) -> Response:
    """After a POST, the page to show (303: the browser fetches it with GET)."""
    return RedirectResponse(url, status_code=303)


async def form_text(request: Request, name: str, default: str = "") -> str:
    form = await request.form()
    value = form.get(name)
    return value.strip() if isinstance(value, str) else default


def not_found(request: Request) -> Response:
    return message(request, "not_found", 404)


def static_dir() -> Path:
    return Path(__file__).parent / "static"


def plain(text: str, status_code: int = 200) -> Response:
    return HTMLResponse(text, status_code=status_code)
