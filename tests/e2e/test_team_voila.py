"""A team in real browsers: two annotators open the same Voila app on one PostgreSQL (each page its own
kernel, `?annotator=` names who labels), see different texts, and the dashboard (a third page) follows them."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import pytest
from labeler_page import ROOT
from playwright.sync_api import expect
from servers import CHROMIUM, CHROMIUM_ARGS, start_voila

from hitl_widgets import LabelStore
from hitl_widgets.store.leases import LeaseBook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from postgres_server import running_postgres  # noqa: E402

pytest.importorskip("voila")
pytest.importorskip("psycopg")

N = 60  # more than twelve labeled plus what two labelers may hold (each: on screen, 8 ranked, 8 shown next)
TEXTS = [f"{'win cash now' if i % 2 else 'see you at seven'} (message {i})" for i in range(N)]
TRUTH = ["spam" if i % 2 else "ham" for i in range(N)]


@pytest.fixture(scope="module")
def app(tmp_path_factory, artifacts):
    with running_postgres() as url:
        cell = (
            "import os, urllib.parse\n"
            "from hitl_widgets import Labeler, TeamDashboard\n"
            f"texts = {TEXTS!r}\n"
            "who = urllib.parse.parse_qs(os.environ.get('QUERY_STRING', '')).get('annotator', [None])[0]\n"
            f"url = {url!r}\n"
            "w = (TeamDashboard(url, refresh=0.5, items=texts) if who is None\n"
            "     else Labeler(texts, labels=['ham', 'spam'], store=url, annotator=who))\n"
            "w"
        )
        srv = start_voila(tmp_path_factory.mktemp("voila_team"), cell, artifacts / "voila_team.log")
        srv.db = url
        yield srv
        srv.stop()


@pytest.fixture
def second_browser(browser):
    """Another Chromium process: the second annotator's own browser."""
    b = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


def shown(page) -> int:
    page.wait_for_function(
        """(sel) => { const r = document.querySelector(sel); const t = r && r.querySelector('.hitl-il-text');
                      return r && r.dataset.key && t && t.offsetParent !== null; }""",
        arg=ROOT,
        timeout=60_000,
    )
    return int(page.locator(ROOT).first.get_attribute("data-key"))


def label(page, n: int) -> list[int]:
    """Press the right key for ``n`` texts, as a person reading them would; returns the rows labeled."""
    widget = page.locator(ROOT).first
    widget.focus()
    rows = []
    for _ in range(n):
        row = shown(page)
        assert page.locator(f"{ROOT} .hitl-il-stage .hitl-il-text").first.inner_text() == TEXTS[row]
        widget.press("1" if TRUTH[row] == "ham" else "2")
        expect(widget).not_to_have_attribute("data-key", str(row))
        rows.append(row)
    return rows


def test_two_annotators_in_two_browsers_and_the_dashboard(app, page, second_browser, artifacts):
    url = f"{app.base}/?token={app.token}"
    ana = page
    bo = second_browser.new_context(viewport={"width": 1100, "height": 800}).new_page()
    bo.set_default_timeout(60_000)
    ana.goto(f"{url}&annotator=ana")
    bo.goto(f"{url}&annotator=bo")
    first = {"ana": shown(ana), "bo": shown(bo)}
    assert first["ana"] != first["bo"]  # leased: the same text is never on two screens

    given = {"ana": [], "bo": []}
    for _ in range(3):
        given["ana"] += label(ana, 2)
        given["bo"] += label(bo, 2)
        assert shown(ana) != shown(bo)
    assert not set(given["ana"]) & set(given["bo"]) and len(set(given["ana"] + given["bo"])) == 12
    expect(ana.locator(".hitl-il-progress-text").first).to_contain_text("6 by you (ana)", timeout=20_000)

    # two more annotators disagreed on a text nobody here labeled or holds (written straight to the store, as
    # their kernels would); which texts ana and bo were given depends on the ranking, so it is picked, not fixed
    with LabelStore(app.db) as store:
        held = LeaseBook(store, "lead").held()
        disputed = max(set(range(N)) - set(given["ana"] + given["bo"]) - set(held))
        store.record_label(disputed, "ham", annotator="cy")
        store.record_label(disputed, "spam", annotator="dee")
    board = page.context.new_page()
    board.goto(url)  # no annotator: the lead's dashboard
    expect(board.locator(".hitl-td-summary")).to_contain_text(f"4 annotators · 13 of {N} items labeled", timeout=60_000)
    expect(board.locator('.hitl-td-people tr[data-annotator="bo"] td').nth(1)).to_have_text("6")
    given["bo"] += label(bo, 3)  # the dashboard follows as they label
    expect(board.locator('.hitl-td-people tr[data-annotator="bo"] td').nth(1)).to_have_text("9", timeout=10_000)
    expect(board.locator(".hitl-td-summary")).to_contain_text(f"16 of {N} items labeled")
    # bo's model learned ana's labels too: its page counts everyone's
    expect(bo.locator(".hitl-il-progress-text").first).to_contain_text(
        f"16 / {N} items labeled by the team", timeout=10_000
    )

    # the lead settles the disagreement with a click on dee's answer: a final label event in the store
    item = board.locator(f'.hitl-td-item[data-item="{disputed}"]')
    expect(item.locator(".hitl-td-preview")).to_have_text(TEXTS[disputed])
    item.locator(".hitl-td-answer", has_text="dee: spam").click()
    expect(item.locator(".hitl-td-verdict")).to_have_text("final: spam", timeout=10_000)
    with LabelStore(app.db) as store:
        finals = [(r.item_id, r.label, r.annotator) for r in store.events() if r.kind == "final"]
    assert finals == [(disputed, "spam", getpass.getuser())]  # the kernel's login name: no adjudicator= given
    expect(board.locator("h4").filter(has_text="Disagreements")).to_contain_text(f"as {getpass.getuser()}")
    board.screenshot(path=str(artifacts / "team_dashboard_voila.png"))
    bo.screenshot(path=str(artifacts / "team_labeler_bo_voila.png"))
    errors = [e for e in page.hitl_errors if "hitl" in e.lower() or "Uncaught" in e]
    assert not errors, errors
