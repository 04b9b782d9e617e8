"""Listing output shared by every command: a rich table, or JSON/CSV for scripts."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from typing import Any, Iterable, Sequence

import typer
from rich.console import Console


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(Format.table, "--format", "-f", help="table for people; json or csv for scripts.")

console = Console()
err_console = Console(stderr=True)


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def emit(rows: Sequence[dict], columns: Sequence[str], fmt: Format, *, title: str | None = None) -> None:
    """Print rows (dicts) with the given column order."""
    if fmt == Format.json:
        sys.stdout.write(json.dumps([_plain(r) for r in rows], ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt == Format.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        sys.stdout.write(buffer.getvalue())
        return
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    console.print(table)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(_plain(value), ensure_ascii=False, indent=2, default=str) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def fail(message: str, code: int = 1) -> "typer.Exit":
    """Print a one-line error and exit with a non-zero code."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def join(items: Iterable[str]) -> str:
    return ", ".join(items) or "-"
