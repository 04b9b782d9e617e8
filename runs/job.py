"""The job entry point: the script AWS Glue runs, and ``python -m runs.job`` locally.

    python -m runs.job --asset acidentes --env local [--force]

Arguments are read the Glue way (``awsglue.utils.getResolvedOptions``) when it is importable,
else with an argparse equivalent. Uppercase ``--NAME value`` pairs whose names are settings'
variables (``--S3_BUCKET``, ``--BHNAV_...``) are exported before the settings are read: Glue
passes a job's configuration as default arguments, not as environment variables.
Plain PySpark below this point: no Glue-only API. Under Glue (or any spark-submit) the session is
the one Glue started (spark.session recognises it); a failure ends the run with one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

_SETTING = re.compile(r"^--((?:BHNAV|AWS|S3|ATHENA)_[A-Z0-9_]+)$")
_TRUE = {"1", "true", "yes", "y", "on"}


def parse_args(argv: list[str]) -> dict[str, object]:
    """``{"asset": ..., "env": ..., "force": bool, "settings": {NAME: value}}`` from a Glue-style argv."""
    try:
        from awsglue.utils import getResolvedOptions  # only inside Glue
    except ImportError:
        getResolvedOptions = None
    if getResolvedOptions is not None:
        options = getResolvedOptions(argv, ["asset", "env"])
        asset, env = options["asset"], options["env"]
    else:
        parser = argparse.ArgumentParser(prog="runs.job", description="Materialise one asset.")
        parser.add_argument("--asset", required=True)
        parser.add_argument("--env", choices=("local", "aws"), required=True)
        known, _ = parser.parse_known_args(argv[1:])
        asset, env = known.asset, known.env
    return {"asset": asset, "env": env, "force": _flag(argv, "--force"), "settings": _settings_args(argv)}


def _flag(argv: list[str], name: str) -> bool:
    """``--force`` alone, or Glue's ``--force true`` (Glue arguments always carry a value)."""
    if name not in argv:
        return False
    position = argv.index(name)
    following = argv[position + 1] if position + 1 < len(argv) else None
    if following is None or following.startswith("--"):
        return True
    return following.strip().lower() in _TRUE


def _settings_args(argv: list[str]) -> dict[str, str]:
    found = {}
    for position, arg in enumerate(argv[:-1]):
        match = _SETTING.match(arg)
        if match:
            found[match[1]] = argv[position + 1]
    return found


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv)
    os.environ.update(args["settings"])  # the job boundary: settings read below see them
    from lake.settings import SettingsError, get_settings
    from spark.materialize import MaterializationError
    from runs.runner import materialize_asset
    from spark.session import SessionError

    try:
        settings = get_settings(env=args["env"])
        record = materialize_asset(args["asset"], settings, force=args["force"])
    except (MaterializationError, KeyError, SettingsError, SessionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{record.asset}: {record.status} rows={record.rows} delta_version={record.delta_version} "
          f"quarantined={record.quarantined_rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
