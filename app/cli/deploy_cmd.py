"""``bhnav deploy``: put the lake on AWS. Every command is idempotent and has ``--dry-run``.

    template      write the CloudFormation template generated from the assets
    package       the project's zip, wheel and Glue entry point to s3://$S3_BUCKET/deploy/
    image         docker build + push to ECR (prints the steps where no Docker engine runs)
    stack         create or update the stack through a change set, wait, print the outputs
    dags          the rendered DAGs, requirements.txt and plugins.zip to the MWAA folder
    mwaa-bundle   write that MWAA bundle to a local folder
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from app.cli.output import FORMAT_OPTION, Format, aws_errors, console, emit, emit_json, fail
from infra.mwaa import DEFAULT_AIRFLOW_VERSION

deploy_app = typer.Typer(help="Deploy the lake and the app to AWS (idempotent; --dry-run shows what would happen).",
                         no_args_is_help=True)
DRY_RUN = typer.Option(False, "--dry-run", help="Show what would happen; change nothing.")


def _aws_errors():
    """One-line errors for the usual failures: settings, credentials, AWS refusals."""
    from assets.errors import AssetDefinitionError

    return aws_errors(AssetDefinitionError, ValueError, RuntimeError, TimeoutError)


def _settings():
    from lake.settings import get_settings

    settings = get_settings(env="aws")
    settings.require_bucket()
    return settings


@deploy_app.command("template")
def template_cmd(out: Path = typer.Option(None, "--out", "-o", help="Write here instead of printing.")) -> None:
    """The CloudFormation template: a function of the asset declarations and the settings."""
    from infra.template import build_template, to_json

    with _aws_errors():
        text = to_json(build_template(settings=_settings()))
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text)
    console.print(f"wrote {out} ({len(text.encode()):,} bytes)")


@deploy_app.command("package")
def package_cmd(dry_run: bool = DRY_RUN, fmt: Format = FORMAT_OPTION) -> None:
    """Upload the project's zip (--extra-py-files), its wheel and runs/job.py, when they changed."""
    from lake import aws_names as names
    from infra.package import build_wheel, build_zip, job_script
    from infra.s3_sync import s3_client, sync_file

    with _aws_errors():
        settings = _settings()
        bucket = settings.require_bucket()
        with tempfile.TemporaryDirectory(prefix="bhnav-package-") as scratch:
            zip_path = build_zip(Path(scratch) / "bhnav.zip")
            wheel = build_wheel(Path(scratch) / "wheels")
            client = s3_client(settings)
            rows = [
                sync_file(client, settings, bucket, settings.project_zip_key, zip_path, dry_run=dry_run),
                sync_file(client, settings, bucket, names.glue_script_key(settings), job_script(), dry_run=dry_run),
                sync_file(client, settings, bucket, f"{names.wheel_prefix(settings)}/{wheel.name}", wheel, dry_run=dry_run),
            ]
    emit(rows, ["key", "action", "bytes", "sha256"], fmt, title="deploy package" + (" (dry run)" if dry_run else ""))


@deploy_app.command("image")
def image_cmd(
    tag: str = typer.Option(None, "--tag", help="Image tag (default: the current commit). Tags are immutable."),
    dry_run: bool = DRY_RUN,
) -> None:
    """docker build and push to the stack's ECR repository; prints the steps where no Docker engine runs."""
    import subprocess

    import boto3

    from infra.image import default_tag, docker_engine_available, image_steps, tag_exists

    with _aws_errors():
        settings = _settings()
        tag = tag or default_tag()
        account = boto3.client("sts", region_name=settings.aws_region).get_caller_identity()["Account"]
        steps = image_steps(account, tag, settings)
        if tag_exists(boto3.client("ecr", region_name=settings.aws_region), settings, tag):
            console.print(f"image tag {tag} is already in ECR; nothing to push (tags are immutable)")
            return
        if dry_run or not docker_engine_available():
            reason = "dry run" if dry_run else "no Docker engine answers here; run these where one does"
            console.print(f"[bold]{reason}:[/]")
            for step in steps:
                typer.echo("  " + (step[2] if step[0] == "sh" else " ".join(step)))
            return
        for step in steps:
            console.print(f"$ {step[2] if step[0] == 'sh' else ' '.join(step)}")
            if subprocess.run(step).returncode != 0:
                fail(f"step failed: {' '.join(step[:2])}")
        console.print(f"pushed tag {tag}; deploy it with: bhnav deploy stack --image-tag {tag}")


def _stack_parameters(image_tag, allowed_cidrs, vpc_id, subnet_id, extra) -> dict[str, str]:
    given: dict[str, str] = {}
    if image_tag:
        given["ImageTag"] = image_tag
    if allowed_cidrs:
        for cidr in allowed_cidrs:
            if cidr.strip() in ("0.0.0.0/0", "::/0"):
                raise ValueError(f"--allowed-cidr {cidr} opens the app to everyone; give your own address, e.g. 203.0.113.7/32")
        given["AllowedCidrs"] = ",".join(c.strip() for c in allowed_cidrs)
    if vpc_id:
        given["VpcId"] = vpc_id
    if subnet_id:
        given["AppSubnetId"] = subnet_id
    for item in extra or []:
        if "=" not in item:
            raise ValueError(f"--param {item!r} is not NAME=VALUE")
        name, value = item.split("=", 1)
        given[name.strip()] = value
    return given


@deploy_app.command("stack")
def stack_cmd(
    image_tag: str = typer.Option(None, "--image-tag", help="The app image's tag in ECR."),
    allowed_cidr: list[str] = typer.Option(None, "--allowed-cidr", help="CIDR allowed to reach the app (repeat, up to 5)."),
    vpc_id: str = typer.Option(None, "--vpc-id", help="VPC of the app (the default VPC works)."),
    subnet_id: str = typer.Option(None, "--subnet-id", help="Public subnet of the EC2 app."),
    param: list[str] = typer.Option(None, "--param", help="Any other template parameter, NAME=VALUE (repeat)."),
    dry_run: bool = DRY_RUN,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Create or update the stack through a change set; --dry-run prints the change set summary only."""
    from infra.stack import deploy_stack
    from infra.template import build_template

    with _aws_errors():
        settings = _settings()
        parameters = _stack_parameters(image_tag, allowed_cidr, vpc_id, subnet_id, param)
        template = build_template(settings=settings)
        result = deploy_stack(template, settings, parameters, dry_run=dry_run,
                              progress=lambda message: console.print(message, highlight=False))
    if fmt == Format.json:
        emit_json({"stack": result.stack, "type": result.change_set_type, "status": result.status,
                   "changes": result.changes, "outputs": result.outputs})
        return
    summary = {}
    for change in result.changes:
        summary[change["action"]] = summary.get(change["action"], 0) + 1
    counts = ", ".join(f"{n} {action.lower()}" for action, n in sorted(summary.items())) or "no changes"
    emit(result.changes, ["action", "logical_id", "type", "replacement"], fmt,
         title=f"change set for {result.stack} ({result.change_set_type}): {counts}")
    if result.status == "REVIEWED":
        console.print("dry run: compared with the deployed template; nothing changed")
    elif result.status == "UNCHANGED":
        console.print(f"{result.stack} is up to date")
    else:
        console.print(f"{result.stack}: {result.status}")
    if result.outputs:
        emit([{"output": k, "value": v} for k, v in sorted(result.outputs.items())], ["output", "value"], fmt,
             title="stack outputs")


@deploy_app.command("mwaa-bundle")
def mwaa_bundle_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="Folder for dags/, requirements.txt and plugins.zip."),
    airflow_version: str = typer.Option(DEFAULT_AIRFLOW_VERSION, help="MWAA's Airflow version: 3.2.1 or 3.3.1 (the constraints file)."),
) -> None:
    """What MWAA needs, written locally: the rendered DAGs, requirements.txt and plugins.zip (our wheel)."""
    from infra.mwaa_bundle import build_bundle

    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file; give a folder")
    with _aws_errors():
        bundle = build_bundle(out, _settings(), airflow_version=airflow_version)
    console.print(f"wrote {len(bundle['dags'])} DAG files, {bundle['requirements'].name} and {bundle['plugins'].name} to {out}")


@deploy_app.command("dags")
def dags_cmd(
    dry_run: bool = DRY_RUN,
    airflow_version: str = typer.Option(DEFAULT_AIRFLOW_VERSION, help="MWAA's Airflow version: 3.2.1 or 3.3.1 (the constraints file)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Upload the MWAA bundle (rendered DAGs, requirements.txt, plugins.zip); remove DAG files no longer made."""
    from lake import aws_names as names
    from infra.mwaa_bundle import build_bundle
    from infra.s3_sync import s3_client, stale_keys, sync_file

    with _aws_errors():
        settings = _settings()
        bucket = settings.require_bucket()
        client = s3_client(settings)
        with tempfile.TemporaryDirectory(prefix="bhnav-mwaa-") as scratch:
            bundle = build_bundle(Path(scratch), settings, airflow_version=airflow_version)
            prefix = names.dags_prefix(settings)
            rows = [sync_file(client, settings, bucket, f"{prefix}/{path.name}", path, dry_run=dry_run)
                    for path in bundle["dags"]]
            rows.append(sync_file(client, settings, bucket, names.mwaa_requirements_key(settings),
                                  bundle["requirements"], dry_run=dry_run))
            rows.append(sync_file(client, settings, bucket, names.mwaa_plugins_key(settings),
                                  bundle["plugins"], dry_run=dry_run))
            keep = {f"{prefix}/{path.name}" for path in bundle["dags"]}
            for key in stale_keys(client, bucket, prefix, keep):
                if not dry_run:
                    client.delete_object(Bucket=bucket, Key=key)
                rows.append({"key": f"s3://{bucket}/{key}", "action": "would delete" if dry_run else "deleted"})
    emit(rows, ["key", "action", "bytes", "sha256"], fmt, title="deploy dags" + (" (dry run)" if dry_run else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(deploy_app, name="deploy")
