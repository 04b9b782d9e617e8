"""Small helpers to write CloudFormation as plain dicts (no third-party template library)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Strings carrying one of these placeholders are resolved by CloudFormation through Fn::Sub.
_PLACEHOLDER = re.compile(r"\$\{(AWS::[A-Za-z]+|[A-Za-z0-9]+\.Arn)\}")


def ref(name: str) -> dict:
    return {"Ref": name}


def get_att(resource: str, attribute: str) -> dict:
    return {"Fn::GetAtt": [resource, attribute]}


def sub(text: str) -> dict:
    return {"Fn::Sub": text}


def if_(condition: str, then, otherwise) -> dict:
    return {"Fn::If": [condition, then, otherwise]}


NO_VALUE = {"Ref": "AWS::NoValue"}


def resolve_placeholders(value):
    """Wrap every string holding ``${AWS::...}`` or ``${Logical.Arn}`` in Fn::Sub (policies, ARNs)."""
    if isinstance(value, str):
        return sub(value) if _PLACEHOLDER.search(value) else value
    if isinstance(value, list):
        return [resolve_placeholders(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)).startswith("Fn::") or "Ref" in value and len(value) == 1:
            return value
        return {k: resolve_placeholders(v) for k, v in value.items()}
    return value


def tags(settings, **extra) -> list[dict]:
    """Tags as CloudFormation lists them (most resource types)."""
    values = {"project": settings.glue_database_prefix, **extra}
    return [{"Key": k, "Value": str(v)} for k, v in values.items()]


def skip(*checks: tuple[str, str]) -> dict:
    """Metadata skipping checkov checks, each with its reason kept in the template."""
    return {"checkov": {"skip": [{"id": check, "comment": reason} for check, reason in checks]}}


def lint_skip(*checks: tuple[str, str]) -> dict:
    """Metadata skipping cfn-lint rules; the reasons sit beside them (cfn-lint has no comment field)."""
    return {"cfn-lint": {"config": {"ignore_checks": [check for check, _ in checks]}},
            "lint-skip-reasons": {check: reason for check, reason in checks}}


def merge_metadata(*blocks: dict) -> dict:
    merged: dict = {}
    for block in blocks:
        for key, value in block.items():
            if key == "checkov" and "checkov" in merged:
                merged["checkov"]["skip"].extend(value["skip"])
            elif key == "lint-skip-reasons" and key in merged:
                merged[key].update(value)
            else:
                merged[key] = value
    return merged


@dataclass
class Fragment:
    """One part of the template; parts are merged, a logical id may appear only once."""

    parameters: dict = field(default_factory=dict)
    conditions: dict = field(default_factory=dict)
    resources: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)

    def merge(self, other: "Fragment") -> "Fragment":
        for section in ("parameters", "conditions", "resources", "outputs"):
            mine, theirs = getattr(self, section), getattr(other, section)
            clash = sorted(set(mine) & set(theirs))
            if clash:
                raise ValueError(f"template {section} {', '.join(clash)} are defined by two parts; rename one")
            mine.update(theirs)
        return self


def output(value, description: str, condition: str | None = None) -> dict:
    body = {"Description": description, "Value": value}
    if condition:
        body["Condition"] = condition
    return body
