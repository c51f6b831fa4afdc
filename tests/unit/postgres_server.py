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


class PostgresServer:
    """A throwaway PostgreSQL server on a free port (trust auth, 127.0.0.1 only) that a test can stop and start."""

    def __init__(self) -> None:
        # not pytest's tmp folder: it is private to root, and the server runs as the postgres user
        self.data = Path(tempfile.mkdtemp(prefix="hitl-pg-"))
        self.data.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._pg_ctl = os.path.join(os.path.dirname(INITDB), "pg_ctl")
        _as_postgres(INITDB, "-D", str(self.data / "db"), "-U", "postgres", "--auth=trust")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        _as_postgres(self._pg_ctl, "-D", str(self.data / "db"), "-w", "-l", str(self.data / "log"), "-o", options,
                     "start")  # fmt: skip

    def stop(self) -> None:
        """Stop at once, as a server restart does: open connections are cut."""
        _as_postgres(self._pg_ctl, "-D", str(self.data / "db"), "-m", "fast", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A running :class:`PostgresServer`, stopped and removed afterwards."""
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except subprocess.CalledProcessError:  # a test left it stopped
            pass
        finally:
            server.remove()


@contextmanager
def running_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on a free port (trust auth, 127.0.0.1 only); yields its URL."""
    with postgres_server() as server:
        yield server.url


@pytest.fixture(scope="module")
def postgres_url():
    pytest.importorskip("psycopg")
    with running_postgres() as url:
        yield url
