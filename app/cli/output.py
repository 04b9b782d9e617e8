"""Listing output shared by every command: a rich table, or JSON/CSV for scripts.

A table printed to a pipe or a file is never cut to the width of a terminal ("…"): when the
stream is not a terminal the console is as wide as the table needs (``PIPE_WIDTH`` at most).
One-line errors for the AWS edges (settings, credentials, refusals) are made here as well.
"""

from __future__ import annotations

import csv
import io
import contextlib
import json
import sys
from enum import Enum
from typing import Any, Iterable, Sequence

import typer
from rich.console import Console, ConsoleDimensions

PIPE_WIDTH = 4096


class _Console(Console):
    """A console whose width, off a terminal, is the content's own (up to PIPE_WIDTH), whatever
    ``COLUMNS`` the terminal that started the pipe exported."""

    @property
    def size(self) -> ConsoleDimensions:
        if not self.is_terminal:
            return ConsoleDimensions(PIPE_WIDTH, self._height or 25)
        return super().size

    @size.setter
    def size(self, new_size) -> None:
        self._width, self._height = new_size


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(Format.table, "--format", "-f", help="table for people; json or csv for scripts.")

console = _Console()
err_console = _Console(stderr=True)


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


NO_CREDENTIALS = ("no AWS credentials found: set AWS_PROFILE (after `aws configure` or `aws sso login`), or "
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an IAM role is attached")


def aws_error_message(exc: BaseException) -> str | None:
    """The one line for an error from the AWS edges, or None when it is not one of theirs."""
    from lake.settings import SettingsError

    if isinstance(exc, SettingsError):
        return str(exc)
    name, module = type(exc).__name__, type(exc).__module__ or ""
    if name in ("NoCredentialsError", "PartialCredentialsError", "NoRegionError") or \
            "Unable to locate credentials" in str(exc):
        return NO_CREDENTIALS if name != "NoRegionError" else "no AWS region: set AWS_REGION (e.g. sa-east-1)"
    if module.startswith(("botocore", "boto3")):
        return f"AWS refused: {' '.join(str(exc).split())}"
    return None


@contextlib.contextmanager
def aws_errors(*also: type[BaseException]):
    """One-line errors instead of tracebacks for settings, credentials and AWS refusals (and ``also``)."""
    try:
        yield
    except typer.Exit:
        raise
    except Exception as exc:  # botocore's errors are imported lazily, so they are told by name
        message = aws_error_message(exc)
        if message is None and also and isinstance(exc, also):
            message = str(exc)
        if message is None:
            cause = exc.__cause__ or exc.__context__
            message = aws_error_message(cause) if cause is not None else None
        if message is None:
            raise
        fail(message)


def join(items: Iterable[str]) -> str:
    return ", ".join(items) or "-"
