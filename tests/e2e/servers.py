"""Isolated JupyterLab and Voila servers on 127.0.0.1, and how to launch Debian Chromium (tests and benchmarks)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat

CHROMIUM = os.environ.get("HITL_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _isolated_env(tmp: Path) -> dict:
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "cfg"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(tmp / sub)
    # no "Would you like to receive Jupyter news?" toast, no update check
    s = tmp / "cfg/lab/user-settings/@jupyterlab/apputils-extension"
    s.mkdir(parents=True, exist_ok=True)
    (s / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # no "Select Kernel" dialog when a notebook opens: start its kernelspec directly
    s = tmp / "cfg/lab/user-settings/@jupyterlab/notebook-extension"
    s.mkdir(parents=True, exist_ok=True)
    (s / "tracker.jupyterlab-settings").write_text(json.dumps({"autoStartDefaultKernel": True}))
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JUPYTER_PATH", None)
    return env


class Server:
    def __init__(self, cmd, root: Path, env: dict, port: int, token: str, log: Path):
        self.root, self.port, self.token, self.log = root, port, token, log
        self.base = f"http://127.0.0.1:{port}"
        self._logf = open(log, "wb")
        t0 = time.perf_counter()
        # own session -> we can end exactly this server and its kernels by process group
        self.proc = subprocess.Popen(
            cmd,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._logf,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()
        self.start_s = time.perf_counter() - t0

    def _wait_ready(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited rc={self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.ready_url(), timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise TimeoutError(f"server not ready in {SERVER_START_TIMEOUT}s:\n{self.log.read_text()[-3000:]}")

    def ready_url(self):
        return f"{self.base}/api/status?token={self.token}"

    def put_notebook(self, name: str, cells: list[str]) -> None:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
        body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
        req = urllib.request.Request(
            f"{self.base}/api/contents/{name}?token={self.token}",
            data=body,
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(req, timeout=10).close()

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # server + the kernels it spawned
                self.proc.wait(15)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(5)
        self._logf.close()


class VoilaServer(Server):
    def ready_url(self):  # a static file: polling "/" would start a kernel per poll
        return f"{self.base}/voila/static/favicon.ico"


def _start_jupyter(app: str, tmp: Path, log: Path, app_args: list[str]) -> Server:
    """A Jupyter server (``jupyterlab`` or ``notebook``) with its own folders, serving ``tmp/notebooks``."""
    root = tmp / "notebooks"
    root.mkdir(parents=True)
    port, token = _free_port(), uuid.uuid4().hex
    cmd = [
        sys.executable, "-m", app, "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
        "--ServerApp.terminals_enabled=False", "--ServerApp.allow_root=True", *app_args,
    ]  # fmt: skip
    return Server(cmd, root, _isolated_env(tmp), port, token, log)


def start_lab(tmp: Path, log: Path, extra_args: tuple[str, ...] = ()) -> Server:
    """JupyterLab, its app exposed to the page (tests wait for the kernel through it), no outside calls."""
    return _start_jupyter("jupyterlab", tmp, log, [
        "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly",
        *extra_args,
    ])  # fmt: skip


def start_notebook7(tmp: Path, log: Path) -> Server:
    """Jupyter Notebook 7."""
    return _start_jupyter("notebook", tmp, log, [])


def start_voila(tmp: Path, cell: str, log: Path) -> VoilaServer:
    """Voila serving a one-cell notebook as an app."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(cell)]
    path = tmp / "app.ipynb"
    nbformat.write(nb, path)
    return serve_with_voila(tmp, path, log)


def serve_with_voila(tmp: Path, notebook: Path, log: Path, beside: tuple[Path, ...] = ()) -> VoilaServer:
    """Voila serving a copy of ``notebook`` (and the files it reads ``beside`` it) as an app, as
    ``voila notebook.ipynb`` does."""
    root = tmp / "nb"
    root.mkdir(parents=True)
    for path in (notebook, *beside):
        shutil.copy(path, root / path.name)
    port, token = _free_port(), uuid.uuid4().hex
    cmd = [
        sys.executable,
        "-m",
        "voila",
        notebook.name,
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--token={token}",
        "--show_tracebacks=True",
    ]
    return VoilaServer(cmd, root, _isolated_env(tmp), port, token, log)
