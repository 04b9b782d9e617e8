"""MWAA's Airflow version: only the versions MWAA offers with partitioned assets (3.2.1, 3.3.1)."""

from __future__ import annotations

import pytest


def test_the_template_offers_the_partitioned_mwaa_versions_and_defaults_to_3_3_1(template):
    parameter = template["Parameters"]["MwaaAirflowVersion"]
    assert (parameter["AllowedValues"], parameter["Default"]) == (["3.2.1", "3.3.1"], "3.3.1")
    assert template["Resources"]["MwaaEnvironment"]["Properties"]["AirflowVersion"] == {"Ref": "MwaaAirflowVersion"}


@pytest.mark.parametrize("version", [pytest.param("3.2.1", id="3.2.1"), pytest.param("3.3.1", id="3.3.1")])
def test_the_mwaa_requirements_pin_airflow_s_constraints_of_that_version(version):
    from infra.mwaa_bundle import requirements

    first = requirements("bhnav-0.1.0-py3-none-any.whl", version).splitlines()[0]
    # MWAA runs its Airflow 3 versions on Python 3.12
    assert first == f'--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-{version}/constraints-3.12.txt"'


@pytest.mark.parametrize("version", [pytest.param("3.0.6", id="no-partitions"), pytest.param("3.1.8", id="not-on-mwaa")])
def test_a_bundle_for_an_mwaa_version_without_partitions_is_refused_in_one_line(tmp_path, version):
    from infra.mwaa_bundle import build_bundle
    from tests.infra.conftest import template_settings

    with pytest.raises(ValueError, match=rf"MWAA Airflow version '{version}' is not supported: .*use one of 3.2.1, 3.3.1"):
        build_bundle(tmp_path, template_settings(), airflow_version=version)
    assert not (tmp_path / "dags").exists(), "refused before anything is written"
