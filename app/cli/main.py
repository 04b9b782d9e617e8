"""Entry point of ``bhnav``. Each command group lives in its own module and is added here.

Command modules import nothing heavy at module level, so ``bhnav --help`` stays fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="bhnav",
    help="BH Strategic Navigator: the lakehouse of Belo Horizonte's open data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Modules that define `register(app)`; each adds its commands or sub-groups.
COMMAND_MODULES = [
    "app.cli.assets_cmd",
    "app.cli.materialize_cmd",
    "app.cli.backfill_cmd",
    "app.cli.land_cmd",
    "app.cli.app_cmd",
    "app.cli.dags_cmd",
    "app.cli.query_cmd",
    "app.cli.deploy_cmd",
]


_registered: list[str] = []


def build() -> typer.Typer:
    for module in COMMAND_MODULES:
        if module not in _registered:
            importlib.import_module(module).register(app)
            _registered.append(module)
    return app


def main() -> None:
    build()()


if __name__ == "__main__":
    main()
