"""Build the app image and push it to the stack's ECR repository (immutable tags).

Where no Docker engine answers, the steps are printed for a machine that has one (CI does it).
"""

from __future__ import annotations

import shutil
import subprocess

from lake import aws_names as names
from infra.package import REPO


def registry(account: str, settings) -> str:
    return f"{account}.dkr.ecr.{settings.aws_region}.amazonaws.com"


def image_steps(account: str, tag: str, settings) -> list[list[str]]:
    """The commands, in order: log in to ECR, build, push (the password goes through a pipe)."""
    host = registry(account, settings)
    image = f"{host}/{names.ecr_repository(settings)}:{tag}"
    return [
        ["sh", "-c", f"aws ecr get-login-password --region {settings.aws_region} | "
                     f"docker login --username AWS --password-stdin {host}"],
        ["docker", "build", "--pull", "--tag", image, str(REPO)],
        ["docker", "push", image],
    ]


def docker_engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def tag_exists(ecr, settings, tag: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        found = ecr.describe_images(repositoryName=names.ecr_repository(settings), imageIds=[{"imageTag": tag}])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("ImageNotFoundException", "RepositoryNotFoundException"):
            return False
        raise
    return bool(found.get("imageDetails"))


def default_tag() -> str:
    """The commit being deployed (tags are immutable: one image per commit)."""
    result = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("cannot name the image: not a git checkout; pass --tag")
    return result.stdout.strip()
