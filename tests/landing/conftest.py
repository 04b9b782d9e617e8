"""Landing test helpers: fast retries, a lake pointed at the local CKAN server, an FTP asset."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def fast_retries(monkeypatch):
    # Real backoff, only shorter: tests must not sleep for seconds between attempts.
    monkeypatch.setenv("BHNAV_BACKOFF_BASE", "0.01")
    monkeypatch.setenv("BHNAV_HTTP_RETRIES", "2")
    monkeypatch.setenv("BHNAV_HTTP_TIMEOUT", "1")


@pytest.fixture
def raw_assets(lake_env):
    from assets.definitions import load_graph

    return [a for a in load_graph() if a.is_raw]


@pytest.fixture
def ckan_env(lake_env, ckan_server, fast_retries, monkeypatch):
    """Settings of a lake that lands from the local CKAN server (no snapshot folder)."""
    from lake.settings import get_settings

    monkeypatch.delenv("BHNAV_SNAPSHOT_DIR", raising=False)
    monkeypatch.setenv("BHNAV_CKAN_URL", ckan_server.url)
    return get_settings()


def lake_files(settings) -> dict[str, int]:
    """Every file under the lake folder, hidden ones included (staging, part files)."""
    root = Path(settings.lake_dir)
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def synthetic_csv(rows: int) -> bytes:
    lines = ["ID;NOME;VALOR"] + [f"{i};linha {i} com acentuação;{i * 3},5" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


FTP_ASSET_NAME = "viagens_ftp_raw"


@pytest.fixture
def ftp_env(lake_env, ftp_server, ftp_root, ftp_credentials, fast_retries, tmp_path, monkeypatch):
    """A declared raw asset whose source is a file on the local FTP server, and its settings."""
    from lake.settings import get_settings

    (ftp_root / "exports").mkdir()
    (ftp_root / "exports" / "viagens.csv").write_bytes(synthetic_csv(40_000))
    extra = tmp_path / "extra_assets"
    extra.mkdir()
    (extra / "ftp_assets.py").write_text(textwrap.dedent(f'''
        from assets.declare import raw_asset
        from assets.source import FtpLocation, Source

        VIAGENS_FTP_RAW = raw_asset(
            name="{FTP_ASSET_NAME}",
            domain="mobilidade",
            description="Trips exported by an operator to its FTP server (test declaration).",
            source=Source(
                kind="ftp",
                name="operador",
                snapshot_file="operador/viagens.csv",
                ftp=FtpLocation(host="{ftp_server.host}", port={ftp_server.port}, path="/exports/viagens.csv"),
                expected_columns=("ID", "NOME", "VALOR"),
            ),
        )
    '''))
    monkeypatch.setenv("BHNAV_EXTRA_ASSETS_DIR", str(extra))
    monkeypatch.delenv("BHNAV_SNAPSHOT_DIR", raising=False)
    monkeypatch.setenv("BHNAV_FTP_USER", ftp_credentials["username"])
    monkeypatch.setenv("BHNAV_FTP_PASSWORD", ftp_credentials["password"])
    return get_settings()
