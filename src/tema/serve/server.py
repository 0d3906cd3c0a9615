"""Start the app with uvicorn on a socket bound here, and say where it listens."""

from __future__ import annotations

import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tema.errors import TemaError
from tema.serve.state import ANY_ADDRESS, LOCAL_HOSTS, ServeSettings

if TYPE_CHECKING:
    from tema.config import Config

SAY = {
    "nb": {
        "listening": "tema serve: åpne {url} i nettleseren (Ctrl-C stopper)",
        "local": "Bare denne maskinen når appen ({host}).",
        "open": "ADVARSEL: appen er åpen for andre maskiner på nettet ({host}); den har ingen "
        "innlogging.",
        "elsewhere": "Fra en annen maskin: http://<denne maskinens IP-adresse>:{port}/ (et "
        "navn på maskinen får en side som viser til adressen).",
        "named": "Også under navnene: {urls}",
        "data": "Appen skriver batcher og merkelogg i {data}; merkinger går til {labeled}.",
    },
    "en": {
        "listening": "tema serve: open {url} in a browser (Ctrl-C stops)",
        "local": "Only this computer can reach the app ({host}).",
        "open": "WARNING: the app is open to other computers on the network ({host}); it has "
        "no login.",
        "elsewhere": "From another computer: http://<this computer's IP address>:{port}/ (a "
        "name of the computer gets a page that links to the address).",
        "named": "Also at the names: {urls}",
        "data": "The app writes batches and its label log to {data}; labels go to {labeled}.",
    },
}


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def run(
    config: Config,
    *,
    host: str | None = None,
    port: int | None = None,
    data_dir: Path | None = None,
    max_upload_mb: int | None = None,
    folder_roots: Sequence[Path] = (),
    allow_hosts: Sequence[str] = (),
    language: str = "",
) -> None:
    """`tema serve`: the app for the project of `config` (paths relative to the working
    folder) on host:port until Ctrl-C; an argument left None takes params.yaml's `serve`
    value. `allow_hosts` (checked names, `tema.config.host_name`) adds to
    `serve.allowed_hosts`. `language` (default `report.language`) is the pages' and these messages'
    language until a user switches. A port that is taken or an address that is not this
    computer's is a `TemaError`."""
    # None: the value of params.yaml's `serve` section.
    defaults = config.serve
    host = defaults.host if host is None else host
    port = defaults.port if port is None else port
    max_upload_mb = defaults.max_upload_mb if max_upload_mb is None else max_upload_mb
    settings = ServeSettings(
        params=config.source,
        data_dir=defaults.data_dir if data_dir is None else data_dir,
        host=host,
        port=port,
        max_upload_bytes=max_upload_mb * 1024 * 1024,
        folder_roots=tuple(folder_roots),
        allowed_hosts=tuple(dict.fromkeys([*LOCAL_HOSTS, *defaults.allowed_hosts, *allow_hosts])),
        language=language,
    )
    try:
        serve(settings, config)
    except OSError as error:
        raise TemaError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error


def serve(settings: ServeSettings, config: Config | None = None) -> None:
    """The app of `settings` (and `config`, read from `settings.params` if not given) on a
    socket bound here, served by uvicorn until it is stopped."""
    import uvicorn

    from tema.serve.app import create_app

    app = create_app(settings, config)
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    # Bound to every address: this computer's own (a browser refuses to open 0.0.0.0, and
    # the app answers only at addresses it knows: tema.serve.app.KnownHosts).
    here = ANY_ADDRESS.get(settings.host, settings.host)
    shown = f"[{here}]" if ":" in here else here
    app_state = app.state.serve
    language = app_state.default_language
    words = SAY.get(language, SAY["nb"])
    print(words["listening"].format(url=f"http://{shown}:{port}/"), flush=True)
    local = settings.host in LOCAL_HOSTS
    print(words["local" if local else "open"].format(host=settings.host), flush=True)
    if settings.host in ANY_ADDRESS:
        print(words["elsewhere"].format(port=port), flush=True)
    named = [name for name in settings.allowed_hosts if name not in LOCAL_HOSTS]
    if named and settings.host not in LOCAL_HOSTS:
        urls = ", ".join(f"http://{f'[{n}]' if ':' in n else n}:{port}/" for n in named)
        print(words["named"].format(urls=urls), flush=True)
    labeled = app_state.config.train.labeled_dir
    print(words["data"].format(data=settings.data_dir, labeled=labeled), flush=True)
    uvicorn_config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(uvicorn_config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    sys.stdout.flush()
