"""A transform's code version follows its own source and the project helpers it imports."""

from __future__ import annotations

import sys

import pytest

from assets.transform import Transform


@pytest.fixture
def package(tmp_path, monkeypatch):
    root = tmp_path / "pkgv"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "helpers.py").write_text("def clean(x):\n    return x.strip()\n")
    (root / "unrelated.py").write_text("VALUE = 1\n")
    (root / "t.py").write_text("from pkgv.helpers import clean\n\n\ndef build(ctx):\n    return clean(ctx)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m.startswith("pkgv")]:
        del sys.modules[name]


def version() -> str:
    return Transform.python("pkgv.t:build").code_version


def test_a_helper_change_changes_the_code_version(package):
    before = version()
    (package / "helpers.py").write_text("def clean(x):\n    return x.strip().upper()\n")
    assert version() != before


def test_an_unimported_module_does_not(package):
    before = version()
    (package / "unrelated.py").write_text("VALUE = 2\n")
    assert version() == before


def test_reading_the_version_imports_nothing(package):
    version()
    assert "pkgv.t" not in sys.modules and "pkgv.helpers" not in sys.modules
