"""The landing tests' FTP asset and fast retries, shared with the AWS tests."""

from tests.landing.conftest import fast_retries, ftp_env  # noqa: F401 - fixtures used by name
