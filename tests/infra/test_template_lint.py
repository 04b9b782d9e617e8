"""cfn-lint and checkov pass on the generated template; every skipped check carries its reason.

These cover what moto's CloudFormation skips (Glue, Athena, Secrets Manager, alarms, bucket
policies, S3 versioning, lifecycle and public-access blocks).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.conftest import REPO

pytestmark = pytest.mark.slow  # each linter takes tens of seconds on the whole template

CHECKOV = REPO / ".venv-tools" / "bin" / "checkov"


def test_cfn_lint_is_clean(template_file):
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(template_file), "--regions", "sa-east-1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_would_report_a_broken_template(tmp_path, template):
    """The check above can fail: a job without its role is an error."""
    name, job = next((k, r) for k, r in template["Resources"].items() if r["Type"] == "AWS::Glue::Job")
    job = json.loads(json.dumps(job))
    del job["Properties"]["Role"], job["DependsOn"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {name: job}}))
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(path), "--regions", "sa-east-1"], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "'Role' is a required property" in result.stdout


@pytest.fixture(scope="module")
def checkov_report(template_file) -> dict:
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: run `make tools` (make test does it) to install the pinned checkov")
    result = subprocess.run(
        [str(CHECKOV), "--file", str(template_file), "--framework", "cloudformation", "--skip-download",
         "--output", "json"],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def test_checkov_finds_no_failed_check(checkov_report):
    failed = [(c["check_id"], c["resource"], c["check_name"]) for c in checkov_report["results"]["failed_checks"]]
    assert failed == []
    assert checkov_report["summary"]["passed"] > 100  # it did scan the resources


def test_every_checkov_skip_fires_and_has_its_reason_in_the_template(checkov_report, template):
    declared = {}
    for logical, resource in template["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            declared[(logical, skip["id"])] = skip.get("comment", "")
    fired = {(c["resource"].split(".", 1)[1], c["check_id"]) for c in checkov_report["results"]["skipped_checks"]}
    assert fired == set(declared), "a skip that no check uses is noise; a check skipped without a declaration is a bug"
    assert all(len(reason) > 20 for reason in declared.values()), declared


def test_every_cfn_lint_skip_has_its_reason(template):
    blocks = [template.get("Metadata", {})] + [r.get("Metadata", {}) for r in template["Resources"].values()]
    for block in blocks:
        ignored = block.get("cfn-lint", {}).get("config", {}).get("ignore_checks", [])
        reasons = block.get("lint-skip-reasons", {})
        assert set(ignored) == set(reasons) and all(reasons.values())
