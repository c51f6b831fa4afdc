"""The Jupyter server extension turns Nagle's algorithm off on kernel websockets, and imports no torch."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from types import SimpleNamespace

from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

from hitl_widgets import _server_extension


def test_open_sets_nodelay_before_the_original_open(monkeypatch):
    calls = []

    async def original_open(self, kernel_id):
        calls.append(("open", kernel_id))

    monkeypatch.setattr(KernelWebsocketHandler, "open", original_open)
    monkeypatch.setattr(KernelWebsocketHandler, _server_extension.PATCHED, False, raising=False)
    _server_extension._load_jupyter_server_extension(SimpleNamespace(log=logging.getLogger("test")))
    _server_extension._load_jupyter_server_extension(SimpleNamespace(log=logging.getLogger("test")))  # idempotent
    handler = SimpleNamespace(set_nodelay=lambda value: calls.append(("nodelay", value)))
    asyncio.run(KernelWebsocketHandler.open(handler, "k1"))
    assert calls == [("nodelay", True), ("open", "k1")]


def test_the_server_process_does_not_import_torch():
    code = (
        "import sys, hitl_widgets._server_extension as e; e._jupyter_server_extension_points(); "
        "print('torch' in sys.modules)"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )
