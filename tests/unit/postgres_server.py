"""A real PostgreSQL server for the tests that need one, started from Debian's binaries and stopped after."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

INITDB = shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb"


def _as_postgres(*cmd: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # postgres refuses to run as root
    subprocess.run([*prefix, *cmd], check=True, capture_output=True, text=True, cwd=tempfile.gettempdir())


@contextmanager
def running_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on a free port (trust auth, 127.0.0.1 only); yields its URL."""
    # not pytest's tmp folder: it is private to root, and the server runs as the postgres user
    data = Path(tempfile.mkdtemp(prefix="hitl-pg-"))
    data.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pg_ctl = os.path.join(os.path.dirname(INITDB), "pg_ctl")
    _as_postgres(INITDB, "-D", str(data / "db"), "-U", "postgres", "--auth=trust")
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"
    _as_postgres(pg_ctl, "-D", str(data / "db"), "-w", "-l", str(data / "log"), "-o", options, "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        _as_postgres(pg_ctl, "-D", str(data / "db"), "-m", "fast", "stop")
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_url():
    pytest.importorskip("psycopg")
    with running_postgres() as url:
        yield url
