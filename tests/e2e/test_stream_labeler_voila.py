"""StreamLabeler as a Voila app: keys answer asks into the SQLite file; a reload (a new kernel) resumes from it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from servers import start_voila
from test_stream_labeler_lab import MESSAGES, ROOT, answer_with_keys

from hitl_widgets import LabelStore

pytest.importorskip("voila")


@pytest.fixture(scope="module")
def app(tmp_path_factory, artifacts):
    tmp = tmp_path_factory.mktemp("voila_stream")
    db = tmp / "stream.db"
    cell = (
        "from hitl_widgets import StreamLabeler, sms_spam\n"
        "from test_data import MESSAGES\n"
        f"w = StreamLabeler(MESSAGES, classes=['ham', 'spam'], store={str(db)!r})\n"
        "w"
    )
    srv = start_voila(tmp, cell, artifacts / "voila_stream.log")
    (tmp / "nb" / "test_data.py").write_text(
        f"from hitl_widgets import sms_spam\nMESSAGES = [({MESSAGES[0][0]!r}, 'spam')] + sms_spam(5000, seed=11)\n"
    )
    srv.db = db
    yield srv
    srv.stop()


def test_voila_answers_reload_and_resume(app, page, artifacts):
    page.goto(f"{app.base}/?token={app.token}")
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-status", "asking", timeout=60_000)
    widget.focus()
    pressed = answer_with_keys(page, 8)
    with LabelStore(app.db, session="stream") as store:  # the file, read from the test process
        assert sorted([p, y] for p, y in store.labels().items()) == sorted(pressed)
    position, seen = widget.get_attribute("data-position"), widget.get_attribute("data-seen")

    page.reload()  # a new kernel: the same item and counts come back from the store
    widget = page.locator(ROOT).first
    expect(widget).to_have_attribute("data-position", position, timeout=60_000)
    assert widget.get_attribute("data-seen") == seen and widget.get_attribute("data-labeled") == "8"
    widget.focus()
    pressed += answer_with_keys(page, 4)
    widget.press("Backspace")
    expect(widget).to_have_attribute("data-labeled", "11", timeout=30_000)
    expect(widget).to_have_attribute("data-position", str(pressed[-1][0]))
    widget.screenshot(path=str(artifacts / "stream_labeler_voila.png"))
    assert not [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e], page.hitl_errors
