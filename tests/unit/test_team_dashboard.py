"""The team dashboard over a real PostgreSQL: it follows the labelers' labels as they arrive, its figures are
agreement()'s, a click on an answer records a final label, and the export keeps every answer and the final one."""

from __future__ import annotations

import io
import time

import pandas as pd
import pytest
from conftest import frontend

from hitl_widgets import Labeler, LabelStore, TeamDashboard, agreement
from hitl_widgets.team import team_table
from hitl_widgets.widgets.item_previews import ItemPreviews

pytestmark = pytest.mark.usefixtures("recording_comm")


def msg(w, **content):
    frontend(w, {"method": "custom", "content": content})


def wait_for(condition, seconds: float = 5.0) -> float:
    t0 = time.monotonic()
    while not condition():
        assert time.monotonic() - t0 < seconds, "the dashboard did not catch up"
        time.sleep(0.05)
    return time.monotonic() - t0


def test_the_dashboard_follows_the_team_and_records_an_adjudication(postgres_url):
    items = [f"message {i}" for i in range(12)]
    store = lambda: LabelStore(postgres_url, session="dashboard")  # noqa: E731 (each member's own connection)
    ana = Labeler(items, labels=["ham", "spam"], store=store(), annotator="ana", overlap=1.0)
    bo = Labeler(items, labels=["ham", "spam"], store=store(), annotator="bo", overlap=1.0)
    board = TeamDashboard(store(), refresh=0.2, items=items, adjudicator="lee")
    try:
        assert board.report["n_labeled"] == 0 and board.report["n_items"] == 12
        for _ in range(30):  # both label every item (overlap 1), each in their order; bo says spam on even ones
            for who, w in (("ana", ana), ("bo", bo)):
                w.wait()
                if w.current is not None:
                    w.label("spam" if who == "bo" and w.current % 2 == 0 else "ham")
            if ana.current is None and bo.current is None:
                break
        ana.wait(), bo.wait()
        wait_for(lambda: sum(a["labels"] for a in board.report["annotators"]) == 24, seconds=3.0)
        assert len(board.report["disagreements"]) == 6
        truth = agreement(store())
        report = board.report
        assert report["alpha"] == pytest.approx(truth.alpha) and report["alpha_items"] == truth.alpha_items
        assert [d["item"] for d in report["disagreements"]] == truth.disagreements
        assert all(d["preview"] == items[d["item"]] for d in report["disagreements"])
        names = report["matrix"]["names"]
        assert names == ["ana", "bo"] and report["matrix"]["items"][0][1] == truth.pairs["items"][0]

        item = report["disagreements"][0]["item"]
        msg(board, type="adjudicate", item=item, label="nonsense", seq=1)
        assert "not one of the answers" in board.error and board._ack == 1
        assert not [r for r in store().events() if r.kind == "final"]  # a refused click records nothing
        msg(board, type="adjudicate", item=item, label="spam", seq=2)
        assert board.error == "" and board._ack == 2
        (final,) = [r for r in store().events() if r.kind == "final"]
        assert (final.item_id, final.label, final.annotator) == (item, "spam", "lee")
        wait_for(lambda: board.report["disagreements"][0]["final"] == "spam")

        table = team_table(store()).set_index("item_id")
        assert list(table.columns) == ["ana", "bo", "final", "final_by"]
        assert (table.loc[item, "ana"], table.loc[item, "bo"], table.loc[item, "final"]) == ("ham", "spam", "spam")
        assert table.loc[item, "final_by"] == "lee"
        agreed = [i for i in table.index if table.loc[i, "ana"] == table.loc[i, "bo"]]
        assert agreed and all(table.loc[i, "final_by"] == "majority" for i in agreed)
    finally:
        ana.close(), bo.close(), board.close()


def test_dashboard_arguments_are_checked():
    with pytest.raises(ValueError, match="refresh must be a number of seconds"):
        TeamDashboard(LabelStore(":memory:"), refresh=-1)


def test_clicks_are_recorded_under_the_kernels_login_name_unless_an_adjudicator_is_named():
    import getpass

    assert TeamDashboard(LabelStore(":memory:"), refresh=0).adjudicator == getpass.getuser()
    assert TeamDashboard(LabelStore(":memory:"), refresh=0, adjudicator="lee").adjudicator == "lee"


def sent_images(w) -> list[tuple[dict, list]]:
    return [(d["content"], bufs) for _, d, bufs in w.comm.sent
            if d.get("method") == "custom" and d["content"].get("type") == "images"]  # fmt: skip


def test_image_items_are_shown_as_thumbnails_the_page_asks_for_texts_and_rows_as_excerpts(tmp_path):
    from PIL import Image

    folder = tmp_path / "photos"
    folder.mkdir()
    for i, colour in enumerate(["red", "green", "blue"]):
        Image.new("RGB", (300, 200), colour).save(folder / f"{i}.png")
    store = LabelStore(str(tmp_path / "team.db"))
    for item in ("0.png", "2.png"):
        store.record_label(item, "cat", annotator="ana"), store.record_label(item, "dog", annotator="bo")
    board = TeamDashboard(store, refresh=0, items=folder)  # a folder, as ImageLabeler takes it: ids are file names
    shown = board.report["disagreements"]
    assert [(d["item"], d["thumbnail"], d["preview"]) for d in shown] == [("0.png", True, None), ("2.png", True, None)]
    assert not sent_images(board)  # sent when the page asks (a page drawn later, or reloaded, asks again)
    msg(board, type="thumbnails", items=["2.png", "0.png", "not-there.png"], seq=1)
    ((content, buffers),) = sent_images(board)
    assert content["keys"] == ["0.png", "2.png"] and content["mimes"] == ["image/png"] * 2
    assert [Image.open(io.BytesIO(b)).size for b in buffers] == [(96, 64)] * 2  # small, in proportion
    assert [Image.open(io.BytesIO(b)).getpixel((5, 5)) for b in buffers] == [(255, 0, 0), (0, 0, 255)]
    assert board.report["n_items"] == 3  # "3 of 3 items labeled"

    rows = [{"amount": 12.5, "country": "NL"}, {"amount": None, "country": "DE"}]
    texts = ["free prize now " * 20, "see you at 7"]
    for items, expected in [(rows, "amount: None, country: DE"), (texts, "see you at 7")]:
        store = LabelStore(":memory:")
        store.record_label(1, "ham", annotator="ana"), store.record_label(1, "spam", annotator="bo")
        board = TeamDashboard(store, refresh=0, items=items)
        ((d),) = board.report["disagreements"]
        assert (d["preview"], d["thumbnail"]) == (expected, False)
    assert len(ItemPreviews(texts).excerpt(0)) == 120


def test_items_that_are_no_pool_are_refused_saying_what_was_given():
    with pytest.raises(ValueError, match="images: got"):
        TeamDashboard(LabelStore(":memory:"), refresh=0, items=42)


def test_previews_of_a_column_of_texts_texts_that_look_like_file_names_and_a_file_gone(tmp_path):
    import numpy as np
    from PIL import Image

    texts = pd.Series(["see report.png", "win a prize.jpg", "lunch?"], index=[10, 11, 12])
    assert ItemPreviews(texts).excerpt(11) == "win a prize.jpg"  # the Series' index holds the ids
    assert ItemPreviews(np.array(["a.png", "b"])).excerpt(0) == "a.png"  # texts, not image files
    assert ItemPreviews(["see report.png", "b.jpg"]).excerpt(1) == "b.jpg"

    for name in ("0.png", "1.png"):
        Image.new("L", (20, 20), 128).save(tmp_path / name)
    paths = [str(tmp_path / "0.png"), str(tmp_path / "1.png")]
    store = LabelStore(":memory:")
    for item in paths:
        store.record_label(item, "cat", annotator="ana"), store.record_label(item, "dog", annotator="bo")
    board = TeamDashboard(store, refresh=0, items=paths)
    (tmp_path / "1.png").unlink()  # gone before the page asked
    msg(board, type="thumbnails", items=paths, seq=1)
    ((content, buffers),) = sent_images(board)
    assert (content["keys"], content["failed"], len(buffers)) == ([paths[0]], [paths[1]], 1) and not board.error
