"""The wheel MWAA installs resolves against the constraints of the Airflow the template deploys.

MWAA installs ``requirements.txt`` with Airflow's constraints file for its version (3.3.1, on
Python 3.12); a pinned dependency of ours that differs from that file's pin makes the install
fail on the workers. The file is vendored (infra/constraints/, MWAA's own copy) and the wheel's
metadata, as pip reads it there, is checked against it.
"""

from __future__ import annotations

import zipfile
from email.parser import Parser

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from infra.mwaa_bundle import MWAA_AIRFLOW_VERSION, MWAA_PYTHON, VENDORED_CONSTRAINTS


@pytest.fixture(scope="module")
def pins() -> dict[str, str]:
    found = {}
    for line in VENDORED_CONSTRAINTS.read_text().splitlines():
        if line and not line.startswith("#") and "==" in line:
            name, version = line.split("==", 1)
            found[canonicalize_name(name)] = version.strip()
    return found


@pytest.fixture(scope="module")
def metadata(tmp_path_factory):
    from infra.package import build_wheel

    wheel = build_wheel(tmp_path_factory.mktemp("wheel"))
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(archive.read(name).decode())


def test_the_vendored_file_is_the_constraints_of_the_deployed_airflow(pins, template):
    assert template["Parameters"]["MwaaAirflowVersion"]["Default"] == MWAA_AIRFLOW_VERSION
    head = VENDORED_CONSTRAINTS.read_text().splitlines()[1]
    assert f"constraints-{MWAA_AIRFLOW_VERSION}/constraints-{MWAA_PYTHON[MWAA_AIRFLOW_VERSION]}.txt" in head
    assert "apache-airflow-providers-amazon" in pins


def test_the_wheel_installs_on_mwaas_python(metadata):
    assert SpecifierSet(metadata["Requires-Python"]).contains(MWAA_PYTHON[MWAA_AIRFLOW_VERSION])


def test_every_runtime_dependency_of_the_wheel_accepts_mwaas_pin(metadata, pins):
    """What MWAA installs: the wheel with its aws extra ("<wheel>[aws]" in requirements.txt)."""
    environment = {"python_version": MWAA_PYTHON[MWAA_AIRFLOW_VERSION], "extra": "aws"}
    checked, refused = [], []
    for text in metadata.get_all("Requires-Dist"):
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            continue  # not constrained by Airflow: pip chooses freely
        checked.append(requirement.name)
        if not requirement.specifier.contains(pin, prereleases=True):
            refused.append(f"{requirement} (MWAA pins {pin})")
    assert not refused, f"the wheel cannot install beside Airflow {MWAA_AIRFLOW_VERSION}: {refused}"
    assert {"typer", "rich", "requests", "boto3", "pyathena"} <= {canonicalize_name(n) for n in checked}
