"""Least privilege: each role reaches exactly its prefixes; parliament finds nothing to say."""

from __future__ import annotations

import json

import pytest

from tests.infra.conftest import ACCOUNT, BUCKET, resources_of_type

KEY_ARN = f"arn:aws:kms:sa-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _policies(graph, settings) -> list:
    from infra import iam
    from lake.glue_job_spec import job_assets

    given = {"account": ACCOUNT, "kms_key_arn": KEY_ARN}
    found = [pytest.param(iam.glue_job_policy(a, graph, settings, **given), id=f"job-{a.name}") for a in job_assets(graph)]
    return found + [
        pytest.param(iam.landing_policy(settings, graph, **given), id="landing"),
        pytest.param(iam.app_policy(settings, **given), id="app"),
        pytest.param(iam.app_host_policy(settings, account=ACCOUNT), id="app-host"),
        pytest.param(iam.airflow_policy(settings, graph, **given), id="airflow"),
    ]


def pytest_generate_tests(metafunc):
    if "policy" in metafunc.fixturenames:
        from assets.definitions import load_graph
        from tests.infra.conftest import template_settings

        metafunc.parametrize("policy", _policies(load_graph(), template_settings()))


def _findings(document: dict) -> list[tuple[str, object]]:
    from parliament import analyze_policy_string

    return [(f.issue, f.detail) for f in analyze_policy_string(json.dumps(document)).findings]


def test_parliament_finds_nothing(policy):
    assert _findings(policy) == []


def test_parliament_would_flag_a_mismatched_resource():
    """The check above can fail: an object action on a bucket ARN is reported."""
    wrong = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}"}]}
    assert [issue for issue, _ in _findings(wrong)] == ["RESOURCE_MISMATCH"]


def _s3_scope(document: dict) -> tuple[set[str], set[str], set[str]]:
    """(object prefixes read, object prefixes written, ListBucket prefixes) of a policy."""
    read, written, listed = set(), set(), set()
    for statement in document["Statement"]:
        actions = set(statement["Action"])
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for resource in resources:
            if not isinstance(resource, str) or not resource.startswith("arn:aws:s3:::"):
                continue
            path = resource[len(f"arn:aws:s3:::{BUCKET}"):]
            if actions == {"s3:ListBucket"}:
                listed.update(p.removesuffix("/*") for p in statement["Condition"]["StringLike"]["s3:prefix"])
            elif actions & {"s3:PutObject", "s3:DeleteObject"}:
                written.add(path.strip("/").removesuffix("/*"))
            elif actions & {"s3:GetObject"}:
                read.add(path.strip("/").removesuffix("/*"))
    return read, written, listed


def test_every_job_role_reaches_exactly_its_inputs_and_its_output(graph, settings, template):
    from lake.glue_job_spec import job_assets
    from lake.locations import quarantine_key, table_key

    roles = {r["Properties"]["RoleName"]: r for r in resources_of_type(template, "AWS::IAM::Role").values()}
    for asset in job_assets(graph):
        role = roles[f"bhnav-glue-{asset.name}"]
        (policy,) = role["Properties"]["Policies"]
        read, written, listed = _s3_scope(policy["PolicyDocument"])
        inputs = {table_key(graph[d]) for d in asset.deps}
        output = {table_key(asset), quarantine_key(asset)}
        code = {settings.project_zip_key, "deploy/runs/job.py"}
        assert written == output, asset.name
        assert read == inputs | code, asset.name
        assert listed == inputs | output, asset.name


def test_a_curated_job_reads_its_raw_landings_and_nothing_of_the_analytics_zone(graph, settings):
    from infra.iam import glue_job_policy

    read, written, _ = _s3_scope(glue_job_policy(graph["acidentes"], graph, settings))
    assert read - {settings.project_zip_key, "deploy/runs/job.py"} == {"raw/pbh/acidentes_raw"}
    assert written == {"curated/acidentes", "quarantine/acidentes"}


@pytest.mark.parametrize("role, expected_write, expected_read", [
    pytest.param("landing", {"raw"}, set(), id="landing-writes-raw-only"),
    pytest.param("app", {"results"}, {"curated", "analytics"}, id="app-reads-served-zones"),
])
def test_landing_and_app_prefixes(settings, graph, role, expected_write, expected_read):
    from infra import iam

    document = iam.landing_policy(settings, graph) if role == "landing" else iam.app_policy(settings)
    read, written, _ = _s3_scope(document)
    # The app writes Athena results in its own bucket (not the lake's): strip that bucket's name.
    written = {w.split("/", 1)[-1] if w.startswith("-athena") else w for w in written}
    assert written == expected_write
    assert read == expected_read


def test_the_template_roles_carry_the_same_documents(graph, settings, template):
    """Only the account and the key differ, resolved by CloudFormation through Fn::Sub."""
    from infra import iam

    landing = template["Resources"]["LandingRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    text = json.dumps(landing)
    assert '"Fn::Sub": "arn:aws:glue:sa-east-1:${AWS::AccountId}:catalog"' in text
    assert '{"Fn::Sub": "${LakeKey.Arn}"}' in text
    plain = json.dumps(iam.landing_policy(settings, graph, account="${AWS::AccountId}", kms_key_arn="${LakeKey.Arn}"))
    assert json.loads(text.replace('{"Fn::Sub": ', "").replace('"}', '"')) == json.loads(plain)


def test_every_role_fits_iams_inline_policy_quota(graph, settings, template):
    """IAM refuses a role whose inline policies exceed 10,240 characters (whitespace not counted);
    the landing and Airflow documents grow with the number of raw assets."""
    roles = resources_of_type(template, "AWS::IAM::Role")
    for logical, role in roles.items():
        text = json.dumps([p["PolicyDocument"] for p in role["Properties"]["Policies"]], separators=(",", ":"))
        resolved = text.replace('{"Fn::Sub":', "").replace("${AWS::AccountId}", ACCOUNT).replace("${LakeKey.Arn}", KEY_ARN)
        assert len(resolved) < 10_240 * 0.8, f"{logical}: {len(resolved)} characters, near IAM's 10,240"
