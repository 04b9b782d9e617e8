"""``bhnav app``: serve the Streamlit app (headless) on a port, on loopback unless told otherwise.

Beyond loopback (``--address 0.0.0.0``, as the container and the AWS deployments bind) the app
asks for a login (``app/login.py``); the command refuses to start when none is configured.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from app.cli.output import fail

ENTRY = Path(__file__).resolve().parents[1] / "streamlit_app.py"


def command(port: int, address: str) -> list[str]:
    """The ``streamlit run`` command line; the same one the browser tests start."""
    return [
        sys.executable, "-m", "streamlit", "run", str(ENTRY),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", address,
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
    ]


def serve(
    port: int = typer.Option(8501, "--port", "-p", help="Port to serve on."),
    address: str = typer.Option("127.0.0.1", "--address",
                                help="Interface to bind: this machine only by default; 0.0.0.0 for every "
                                     "interface (a login is then required)."),
) -> None:
    """Serve the Navigator, the lake's assets and the SQL editor at http://localhost:PORT."""
    if not 0 < port < 65536:
        fail(f"--port {port} is not a TCP port; use 1-65535")
    try:
        import streamlit  # noqa: F401
    except ImportError:
        fail("streamlit is not installed; install the app extra: pip install -e '.[app]'")
    from app.login import LoginNotConfigured, login_required, require_configured
    from lake.settings import SettingsError, get_settings

    try:
        settings = get_settings()
        if login_required(settings, address):
            require_configured(settings)
    except (LoginNotConfigured, SettingsError) as exc:
        fail(f"--address {address}: {exc}")
    typer.echo(f"BH Strategic Navigator on http://localhost:{port}")
    args = command(port, address)
    # Replace this process: Ctrl-C and SIGTERM reach Streamlit directly.
    os.execv(args[0], args)


def register(app: typer.Typer) -> None:
    app.command("app")(serve)
