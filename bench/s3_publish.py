"""Publishing a landed file to S3: ours (verified, conditional) against boto3's managed upload.

Starts moto's server in this process and uploads the same file of ``--mb`` megabytes (random
bytes, so no layer can compress them):

- ``S3Storage.put_new``: the file hashed while read, parts of ``BHNAV_S3_PART_MB`` with a SHA-256
  each, the completion conditional on the key being free (``If-None-Match: *``), then the stored
  checksum compared with ours;
- ``boto3``'s ``upload_file`` with its default TransferConfig (8 MB parts, 10 threads) and no
  checksum or condition: the baseline.

Prints MB/s of each (median of ``--repeat`` runs) and their ratio. moto keeps objects in this
process's memory, so both pay the same server cost; the ratio is what our checks add.

Usage: ``.venv/bin/python bench/s3_publish.py [--mb 64] [--repeat 3] [--part-mb 16]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MB = 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--part-mb", type=int, default=16)
    args = parser.parse_args()

    import logging

    import boto3
    from botocore.config import Config
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    os.environ.update({"BHNAV_ENV": "aws", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint, "S3_BUCKET": "bench-lake",
                       "BHNAV_S3_PART_MB": str(args.part_mb)})
    from lake.s3_storage import S3Storage
    from lake.settings import get_settings

    settings = get_settings()
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint,
                      config=Config(request_checksum_calculation="when_required"))
    s3.create_bucket(Bucket="bench-lake")
    storage = S3Storage(settings)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "file.bin"
            path.write_bytes(os.urandom(args.mb * MB))
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            ours, theirs = [], []
            for attempt in range(args.repeat):
                began = time.perf_counter()
                storage.put_new(path, f"raw/ours/{attempt}.bin", sha256=sha)
                ours.append(time.perf_counter() - began)
                began = time.perf_counter()
                s3.upload_file(str(path), "bench-lake", f"raw/boto3/{attempt}.bin")
                theirs.append(time.perf_counter() - began)
    finally:
        server.stop()
    ours_rate = args.mb / statistics.median(ours)
    boto_rate = args.mb / statistics.median(theirs)
    print(f"file: {args.mb} MB, parts of {args.part_mb} MB, {args.repeat} runs each (median)")
    print(f"S3Storage.put_new (sha256 per part, If-None-Match, checksum compared): {ours_rate:8.1f} MB/s")
    print(f"boto3 upload_file (no checksum, no condition):                        {boto_rate:8.1f} MB/s")
    print(f"ratio ours/boto3: {ours_rate / boto_rate:.2f}")


if __name__ == "__main__":
    main()
