"""Start the app with uvicorn on a socket bound here, and say where it listens."""

from __future__ import annotations

import socket
import sys

from tema.serve.state import LOCAL_HOSTS, ServeSettings

SAY = {
    "nb": {
        "listening": "tema serve: åpne {url} i nettleseren (Ctrl-C stopper)",
        "local": "Bare denne maskinen når appen ({host}).",
        "open": "ADVARSEL: appen er åpen for andre maskiner på nettet ({host}); den har ingen "
        "innlogging.",
        "data": "Appen skriver batcher og merkelogg i {data}; merkinger går til {labeled}.",
    },
    "en": {
        "listening": "tema serve: open {url} in a browser (Ctrl-C stops)",
        "local": "Only this computer can reach the app ({host}).",
        "open": "WARNING: the app is open to other computers on the network ({host}); it has "
        "no login.",
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


def serve(settings: ServeSettings, language: str = "nb") -> None:
    import uvicorn

    from tema.serve.app import create_app

    app = create_app(settings)
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    words = SAY.get(language, SAY["nb"])
    print(words["listening"].format(url=f"http://{shown}:{port}/"), flush=True)
    local = settings.host in LOCAL_HOSTS
    print(words["local" if local else "open"].format(host=settings.host), flush=True)
    labeled = app.state.serve.config.train.labeled_dir
    print(words["data"].format(data=settings.data_dir, labeled=labeled), flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    sys.stdout.flush()
