"""The generated template and the aws settings it is generated from (no AWS needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUCKET = "bhnav-lake-test"
REGION = "sa-east-1"
ACCOUNT = "123456789012"


def template_settings(**overrides):
    from lake.settings import get_settings

    return get_settings(**{"env": "aws", "s3_bucket": BUCKET, "aws_region": REGION, **overrides})


@pytest.fixture(scope="session")
def graph():
    from assets.definitions import load_graph

    return load_graph()


@pytest.fixture(scope="session")
def settings():
    return template_settings()


@pytest.fixture(scope="session")
def template(graph, settings) -> dict:
    from infra.template import build_template

    return build_template(graph, settings)


@pytest.fixture(scope="session")
def template_file(template, tmp_path_factory) -> Path:
    from infra.template import to_json

    path = tmp_path_factory.mktemp("template") / "bhnav.template.json"
    path.write_text(to_json(template))
    return path


def resources_of_type(template: dict, resource_type: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def dumps(value) -> str:
    return json.dumps(value, sort_keys=True)
