"""The code Glue and MWAA run: the project's zip (``--extra-py-files``), its wheel, the job script.

Both archives are reproducible (sorted entries, fixed timestamps), so an unchanged tree gives
the same bytes and ``bhnav deploy package`` uploads nothing the second time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
JOB_ENTRY = "runs.job"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01: what reproducible wheel builds stamp


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_digest(path: Path) -> str:
    """SHA-256 of what a file holds: for a zip or wheel, its entries' names and bytes (archivers
    differ in header bytes between runs even when every entry is identical)."""
    if path.suffix not in (".zip", ".whl"):
        return sha256_of(path)
    with open(path, "rb") as handle:
        return _archive_digest(handle)


def _archive_digest(handle) -> str:
    import io

    digest = hashlib.sha256()
    with zipfile.ZipFile(handle) as archive:
        for name in sorted(archive.namelist()):
            data = archive.read(name)
            # A wheel inside an archive (MWAA's plugins.zip) is compared by its own entries.
            inner = _archive_digest(io.BytesIO(data)) if name.endswith(".whl") else hashlib.sha256(data).hexdigest()
            digest.update(f"{name}\0{inner}\n".encode())
    return digest.hexdigest()


def _sources(root: Path, packages: tuple[str, ...]):
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def _module_file(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, module: str) -> set[str]:
    """Every module named by an import statement of the file, at any depth (a function's lazy
    imports included: the job runs them), relative imports resolved."""
    import ast

    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def job_packages(root: Path = REPO, entry: str = JOB_ENTRY) -> tuple[str, ...]:
    """The project's top-level packages the Glue job imports, followed from its entry module through
    every import statement of every project module reached (the zip must hold all of them)."""
    packages = set(_packages(root))
    seen: set[str] = set()
    pending = [entry]
    while pending:
        module = pending.pop()
        if module in seen or module.split(".")[0] not in packages:
            continue
        seen.add(module)
        path = _module_file(root, module)
        if path is None:
            continue
        parents = module.split(".")
        pending.extend(".".join(parents[:i]) for i in range(1, len(parents)))  # each package's __init__
        pending.extend(_imports(path, module))
    return tuple(sorted({module.split(".")[0] for module in seen}))


def build_zip(out: Path, root: Path = REPO, packages: tuple[str, ...] | None = None) -> Path:
    """The ``--extra-py-files`` zip: every package the job imports (``job_packages``), whole."""
    packages = job_packages(root) if packages is None else packages
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in _sources(root, packages):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return out


def source_digest(root: Path = REPO) -> str:
    """What the wheel is built from: pyproject.toml, README.md and every packaged source file."""
    digest = hashlib.sha256()
    files = [root / "pyproject.toml", root / "README.md"] + list(_sources(root, tuple(_packages(root))))
    for path in files:
        if path.exists():
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_wheel(out_dir: Path, root: Path = REPO) -> Path:
    """The project's wheel, built from a copy of the sources (the working tree stays clean) and
    kept per source digest, so an unchanged tree is not built twice."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.gettempdir()) / "bhnav-wheels" / source_digest(root)
    cached = sorted(cache.glob("bhnav-*.whl"))
    if cached:
        return Path(shutil.copy2(cached[-1], out_dir / cached[-1].name))
    wheel = _build_wheel(out_dir, root)
    cache.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, cache / wheel.name)
    return wheel


def _build_wheel(out_dir: Path, root: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="bhnav-wheel-") as scratch:
        copy = Path(scratch) / "src"
        copy.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (root / name).exists():
                shutil.copy2(root / name, copy / name)
        for package in _packages(root):
            shutil.copytree(root / package, copy / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        environment = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
             "--wheel-dir", str(out_dir), str(copy)],
            capture_output=True, text=True, env=environment,
        )
        if result.returncode != 0:
            raise RuntimeError("building the wheel failed: " + " ".join(result.stderr.strip().splitlines()[-3:]))
    wheels = sorted(out_dir.glob("bhnav-*.whl"))
    if not wheels:
        raise RuntimeError(f"building the wheel wrote no bhnav-*.whl into {out_dir}")
    return wheels[-1]


def _packages(root: Path) -> list[str]:
    """The top-level packages pyproject.toml includes (``[tool.setuptools.packages.find]``)."""
    import tomllib

    config = tomllib.loads((root / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({pattern.rstrip("*").rstrip(".") for pattern in include if (root / pattern.rstrip("*")).is_dir()})


def job_script(root: Path = REPO) -> Path:
    return root / "runs" / "job.py"
