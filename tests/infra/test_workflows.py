"""The CI/CD workflows parse, call commands that exist, and reach AWS only through OIDC."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.infra.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _load(path):
    import yaml

    return yaml.safe_load(path.read_text())


def _run_lines(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            for line in step.get("run", "").splitlines():
                if line.strip():
                    yield job_name, line.strip()


def _commands(line: str) -> list[list[str]]:
    """The commands of a shell line (split on && and |), without leading VAR=value assignments."""
    commands = []
    for part in re.split(r"&&|\|", line):
        words = shlex.split(part)
        while words and re.match(r"^[A-Z_]+=", words[0]):
            words.pop(0)
        if words:
            commands.append(words)
    return commands


def _make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w.-]*):", (REPO / "Makefile").read_text(), flags=re.M))


def _bhnav():
    from typer.main import get_command

    from app.cli.main import build

    return get_command(build())


def _check_bhnav(words: list[str]) -> None:
    """Every sub-command in ``words`` exists and every option it passes is one of its options."""
    command, position = _bhnav(), 0
    while position < len(words) and hasattr(command, "commands"):  # a group (typer ships its own click)
        name = words[position]
        assert name in command.commands, f"bhnav has no command {' '.join(words[:position + 1])}"
        command, position = command.commands[name], position + 1
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for word in words[position:]:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"bhnav {' '.join(words)}: unknown option {word}"


def test_there_are_workflows():
    assert WORKFLOWS, "no workflow in .github/workflows"


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_command_exists(path):
    targets = _make_targets()
    seen_make_test = False
    for _, line in _run_lines(_load(path)):
        for words in _commands(line):
            if words[0] == "make":
                target = next(w for w in words[1:] if "=" not in w and not w.startswith("-"))
                assert target in targets, f"make has no target {target!r}"
                seen_make_test |= target == "test"
            elif words[0].endswith("bhnav"):
                _check_bhnav(words[1:])
    assert seen_make_test, "the README's test command (make test) is not run"


def test_the_checker_would_catch_a_missing_command():
    with pytest.raises(AssertionError, match="bhnav has no command deploy everything"):
        _check_bhnav(["deploy", "everything"])
    with pytest.raises(AssertionError, match="unknown option --force-push"):
        _check_bhnav(["deploy", "image", "--force-push"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_aws_is_reached_through_oidc_only(path):
    text = path.read_text()
    workflow = _load(path)
    assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text
    assert "secrets." not in text  # the role ARN is a repository variable, not a secret key
    for name, job in workflow["jobs"].items():
        uses_aws = any("configure-aws-credentials" in step.get("uses", "") for step in job.get("steps", []))
        if uses_aws:
            assert job["permissions"]["id-token"] == "write", name
            step = next(s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", ""))
            assert step["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
            assert job.get("if", "").count("refs/heads/main") == 1, f"{name} must run on main only"


def test_image_and_deploy_follow_the_tests():
    (workflow,) = [_load(p) for p in WORKFLOWS if p.name == "ci.yml"]
    jobs = workflow["jobs"]
    assert jobs["image"]["needs"] == "test" and jobs["deploy"]["needs"] == "image"
    deploy_lines = [line for job, line in _run_lines(workflow) if job == "deploy"]
    for command in ("deploy stack", "deploy package", "deploy dags"):
        assert any(command in line for line in deploy_lines), command


def _doc_commands(path) -> list[list[str]]:
    """The bhnav command lines of a document's shell blocks (continuations joined)."""
    blocks = re.findall(r"```bash\n(.*?)```", path.read_text(), flags=re.S)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("#", 1)[0].strip()
            for words in _commands(line) if line else []:
                if words[0] == "bhnav":
                    commands.append(words[1:])
    return commands


def test_the_aws_guide_uses_commands_that_exist():
    commands = _doc_commands(REPO / "docs" / "aws.md")
    assert len(commands) >= 8
    for words in commands:
        _check_bhnav(words)
    parameters = set()
    for words in commands:
        parameters.update(w.split("=")[0] for w in words if re.match(r"^[A-Z]\w+=", w))
    from infra.template import build_template
    from tests.infra.conftest import template_settings

    declared = set(build_template(settings=template_settings())["Parameters"])
    assert parameters and parameters <= declared, parameters - declared
