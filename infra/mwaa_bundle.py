"""What MWAA needs: the rendered DAG files, requirements.txt and plugins.zip carrying our wheel.

MWAA installs ``requirements.txt`` on its workers; our package reaches them as a wheel inside
``plugins.zip`` (unpacked under /usr/local/airflow/plugins), pinned by Airflow's constraints.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from infra.mwaa import DEFAULT_AIRFLOW_VERSION, check_airflow_version
from infra.package import FIXED_TIME, build_wheel

MWAA_PLUGINS = "/usr/local/airflow/plugins"
# The Airflow version the template deploys by default (infra.mwaa) and the Python MWAA runs it on.
MWAA_AIRFLOW_VERSION = DEFAULT_AIRFLOW_VERSION
MWAA_PYTHON = {"3.2.1": "3.12", "3.3.1": "3.12"}
CONSTRAINTS = "https://raw.githubusercontent.com/apache/airflow/constraints-{airflow}/constraints-{python}.txt"
# MWAA's own copy of that constraints file, kept here so a test resolves our wheel against it offline.
VENDORED_CONSTRAINTS = Path(__file__).with_name("constraints") / f"mwaa-{MWAA_AIRFLOW_VERSION}.txt"


def requirements(wheel_name: str, airflow_version: str) -> str:
    python = MWAA_PYTHON.get(airflow_version, "3.12")
    return "\n".join([
        f"--constraint \"{CONSTRAINTS.format(airflow=airflow_version, python=python)}\"",
        f"{MWAA_PLUGINS}/{wheel_name}[aws]",
        "",
    ])


def build_bundle(out: Path, settings, *, airflow_version: str = DEFAULT_AIRFLOW_VERSION) -> dict[str, object]:
    """Write ``out/dags/*.py``, ``out/requirements.txt`` and ``out/plugins.zip``; returns the paths."""
    import dataclasses

    check_airflow_version(airflow_version)
    from airflow_dags.plan import build_plan
    from airflow_dags.static import write_static_dags

    out.mkdir(parents=True, exist_ok=True)
    # MWAA runs the aws environment whatever the caller's environment is.
    plan = build_plan(settings=dataclasses.replace(settings, env="aws"))
    dags = write_static_dags(plan, out / "dags")
    wheel = build_wheel(out / "wheel")
    plugins = out / "plugins.zip"
    with zipfile.ZipFile(plugins, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(wheel.name, date_time=FIXED_TIME)
        info.external_attr = 0o644 << 16
        archive.writestr(info, wheel.read_bytes())
    requirements_txt = out / "requirements.txt"
    requirements_txt.write_text(requirements(wheel.name, airflow_version))
    return {"dags": dags, "requirements": requirements_txt, "plugins": plugins, "wheel": wheel}
