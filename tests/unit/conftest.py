"""Shared fixtures: a comm that records what the kernel would send to the browser."""

from __future__ import annotations

import comm
import pytest
from comm.base_comm import BaseComm
from postgres_server import postgres_url  # noqa: F401 (the fixture, for every test here)


class RecordingComm(BaseComm):
    """Records every message instead of sending it."""

    def __init__(self, **kw):
        self.sent: list[tuple[str, dict, list]] = []
        super().__init__(**kw)

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        self.sent.append((msg_type, data or {}, buffers or []))


@pytest.fixture
def recording_comm(monkeypatch):
    monkeypatch.setattr(comm, "create_comm", lambda **kw: RecordingComm(**kw))


def frontend(widget, data: dict) -> None:
    """Deliver a message from the browser exactly as the kernel's comm manager would."""
    widget._handle_msg({"content": {"data": data}, "buffers": []})
