"""Two pools, one store: a label belongs to its item's content in its pool, never to a position.

The README's examples run one after another in one folder with the default
store, each keeps exactly its labels; a pool reopened with other content at
the labeled positions gets none of them; a grown or reordered pool keeps
its labels; a store given that holds another pool is refused and unchanged.
"""

from __future__ import annotations

import random
import sqlite3

import numpy as np
import pandas as pd
import pytest
from conftest import frontend
from PIL import Image
from river.naive_bayes import GaussianNB
from sklearn.datasets import load_digits, load_wine

from hitl_widgets import ImageLabeler, Labeler, LabelStore, Session, item_session
from hitl_widgets.data import Pool
from hitl_widgets.data.sms import sms_spam

pytestmark = pytest.mark.usefixtures("recording_comm")
DIGITS = load_digits()
TEXTS = [x for x, _ in sms_spam(60, seed=3)]
WINE = load_wine(as_frame=True).frame.drop(columns="target")


def label_some(w, n, answer):
    """Label ``n`` items the way a person does: the one on screen, then the next."""
    given = {}
    for _ in range(n):
        item = w.current
        given[item] = answer(item)
        w.label(given[item])
        w.wait()
    return given


def n_rows(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM hitl_events").fetchone()[0]


def test_the_readme_examples_in_one_folder_each_keep_exactly_their_labels(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default store is ./labels.db
    digits = ImageLabeler(DIGITS.images, labels=list(range(10)))
    digit_labels = label_some(digits, 6, lambda i: int(DIGITS.target[i]))
    digits.close()

    texts = Labeler(TEXTS)  # no label set: it must not take the digits' classes
    assert texts.labels == {} and texts.session.classes == []
    texts.close()
    texts = Labeler(TEXTS, labels=["ham", "spam"])  # the refusal: "the store holds labels 8, 3, 6, 7"
    text_labels = label_some(texts, 4, lambda i: "spam" if "prize" in TEXTS[i].lower() else "ham")
    texts.close()

    rows = Labeler(WINE, labels=["ok", "fraud"])  # the README's own example, in the same folder
    row_labels = label_some(rows, 3, lambda i: "fraud" if WINE.loc[i, "alcohol"] > 13 else "ok")
    rows.close()

    # the engine's example names the same file: its pool goes under "default", beside the others
    X = DIGITS.data[:200]
    engine = Session(X, GaussianNB(), sampler="margin", store="labels.db", classes=["cat", "dog"])
    for _ in range(3):
        (item,) = engine.next()
        engine.label(item, "cat" if DIGITS.target[item] < 5 else "dog")

    # reopened in any order, each pool gets exactly its own labels back
    assert Labeler(WINE, labels=["ok", "fraud"]).labels == row_labels
    assert ImageLabeler(DIGITS.images, labels=list(range(10))).labels == digit_labels
    assert Labeler(TEXTS, labels=["ham", "spam"]).labels == text_labels
    assert Session(X, GaussianNB(), store="labels.db", classes=["cat", "dog"]).labels == engine.labels
    assert len(LabelStore("labels.db").pools()) == 4 and n_rows("labels.db") == 16


def test_the_explicit_store_of_the_readme_and_the_default_store_share_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = Labeler(WINE, labels=["ok", "fraud"])  # the default store first this time
    row_labels = label_some(rows, 2, lambda i: "ok")
    digits = ImageLabeler(DIGITS.images, labels=list(range(10)), store="labels.db")  # the README's explicit store
    assert digits.labels == {}
    digit_labels = label_some(digits, 2, lambda i: int(DIGITS.target[i]))
    assert ImageLabeler(DIGITS.images, labels=list(range(10)), store="labels.db").labels == digit_labels
    assert Labeler(WINE, labels=["ok", "fraud"]).labels == row_labels


def test_reopened_with_other_texts_at_the_labeled_positions_no_old_label_is_attached(tmp_path):
    db = str(tmp_path / "texts.db")
    w = Labeler(TEXTS, labels=["ham", "spam"], store=db)
    given = label_some(w, 4, lambda i: "ham")
    w.close()
    changed = list(TEXTS)
    for i in given:
        changed[i] = f"another message, number {i}"
    before = n_rows(db)
    with pytest.raises(ValueError, match=r"holds the labels of another pool.*Nothing was changed"):
        Labeler(changed, labels=["ham", "spam"], store=db)
    assert n_rows(db) == before

    # two of the four changed: those two are left out (and said so), the other two come back
    kept = list(TEXTS)
    edited = sorted(given)[:2]
    for i in edited:
        kept[i] = f"edited {i}"
    with pytest.warns(UserWarning, match="not in this pool, or whose content at that id is not what was answered"):
        again = Labeler(kept, labels=["ham", "spam"], store=db)
    assert again.labels == {i: y for i, y in given.items() if i not in edited}
    assert all(again.session.label_of(i) is None for i in edited)  # open to be labeled again, as new items


def test_a_grown_pool_keeps_its_labels_and_a_reordered_one_finds_them(tmp_path):
    db = str(tmp_path / "texts.db")
    w = Labeler(TEXTS, labels=["ham", "spam"], store=db)
    given = label_some(w, 5, lambda i: "spam" if i % 2 else "ham")
    w.close()
    grown = TEXTS + [f"a new message {i}" for i in range(40)]
    assert Labeler(grown, labels=["ham", "spam"], store=db).labels == given

    order = list(range(len(TEXTS)))
    random.Random(0).shuffle(order)
    shuffled = [TEXTS[i] for i in order]
    moved = Labeler(shuffled, labels=["ham", "spam"], store=db)
    by_text = {shuffled[i]: y for i, y in moved.labels.items()}
    assert by_text == {TEXTS[i]: y for i, y in given.items()}
    # the newest label, undone: its text is on screen again, at its new place
    newest = list(given)[-1]
    moved.undo()
    assert moved.current == order.index(newest) and len(moved.labels) == 4


def test_an_explicit_store_with_another_pool_is_refused_and_a_named_one_beside_it_works(tmp_path):
    db = str(tmp_path / "labels.db")
    digits = ImageLabeler(DIGITS.images[:300], labels=list(range(10)), store=db)
    label_some(digits, 3, lambda i: int(DIGITS.target[i]))
    before = n_rows(db)
    with pytest.raises(ValueError, match=r"another pool \('default': 3 answers about 3 items"):
        Labeler(TEXTS, labels=["ham", "spam"], store=db)
    with pytest.raises(ValueError, match="another pool"):
        Labeler(TEXTS, labels=["ham", "spam"], store=LabelStore(db))  # a LabelStore naming that namespace
    assert n_rows(db) == before
    beside = Labeler(TEXTS, labels=["ham", "spam"], store=LabelStore(db, session="texts"))
    label_some(beside, 2, lambda i: "ham")
    assert len(ImageLabeler(DIGITS.images[:300], labels=list(range(10)), store=db).labels) == 3


def test_an_image_file_changed_at_its_path_loses_its_label(tmp_path):
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(30):
        Image.fromarray((DIGITS.images[i] * 15).astype(np.uint8)).save(folder / f"{i:03}.png")
    db = str(tmp_path / "l.db")
    w = ImageLabeler(folder, labels=list(range(10)), store=db)
    given = label_some(w, 3, lambda i: int(DIGITS.target[int(i[:3])]))
    w.close()
    replaced = sorted(given)[0]
    Image.fromarray((DIGITS.images[40] * 15).astype(np.uint8)).save(folder / replaced)  # same name, other digit
    with pytest.warns(UserWarning, match=repr(replaced)):
        again = ImageLabeler(folder, labels=list(range(10)), store=db)
    assert again.labels == {k: v for k, v in given.items() if k != replaced}


def test_rows_keep_their_labels_by_content_when_the_index_is_renumbered(tmp_path):
    db = str(tmp_path / "rows.db")
    first = item_session(WINE, labels=["ok", "fraud"], store=db)
    for item in (5, 17, 90):
        first.label(item, "fraud")
    again = item_session(WINE.sample(frac=1.0, random_state=0).reset_index(drop=True), labels=["ok", "fraud"], store=db)
    rows = again.pool.inputs
    assert sorted(rows[i]["alcohol"] for i in again.labels) == sorted(WINE.loc[[5, 17, 90], "alcohol"])


def test_a_session_over_arrays_matches_content_and_a_store_of_an_earlier_version_still_opens(tmp_path):
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:  # the log as an earlier version wrote it: no item_hash column
        conn.execute(
            "CREATE TABLE hitl_events (id INTEGER PRIMARY KEY AUTOINCREMENT, session VARCHAR(200) NOT NULL, "
            "item_id TEXT NOT NULL, kind VARCHAR(8) NOT NULL, label TEXT, annotator VARCHAR(200) NOT NULL, "
            "created_at FLOAT NOT NULL, strategy VARCHAR(200), predicted TEXT, score FLOAT, seconds FLOAT, "
            "undone BOOLEAN NOT NULL)"
        )
        conn.execute(
            "INSERT INTO hitl_events (session, item_id, kind, label, annotator, created_at, undone) "
            "VALUES ('default', '2', 'label', '\"b\"', 'user', 0, 0)"
        )
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.warns(UserWarning, match="earlier version.*by id only"):
        s = Session(X, GaussianNB(), store=str(db), classes=["a", "b"])
    assert s.labels == {2: "b"}  # an answer from before hashes belongs to its id
    s.label(4, "a")
    reopened = Session(X, GaussianNB(), store=str(db), classes=["a", "b"])
    assert reopened.labels == {2: "b", 4: "a"}
    assert Session(X[::-1].copy(), GaussianNB(), store=str(db), classes=["a", "b"]).label_of(15) == "a"  # 4 moved


def test_to_dataframe_marks_the_label_a_relabel_replaced(tmp_path):
    s = item_session(TEXTS, labels=["ham", "spam"], store=str(tmp_path / "t.db"))
    s.label(3, "ham")
    s.label(7, "spam")
    s.label(3, "spam")  # a relabel
    df = s.to_dataframe()
    assert df[["item_id", "label", "replaced", "undone"]].values.tolist() == [
        [3, "ham", True, False],
        [7, "spam", False, False],
        [3, "spam", False, False],
    ]
    s.undo()  # the relabel taken back: the first label is live again
    assert s.to_dataframe()["replaced"].tolist() == [False, False]
    assert df["item_hash"].nunique() == 2 and pd.notna(df["item_hash"]).all()


def test_after_a_restart_the_item_on_screen_comes_back(tmp_path):
    db = str(tmp_path / "l.db")
    w = ImageLabeler(DIGITS.images, labels=list(range(10)), store=db)
    label_some(w, 5, lambda i: int(DIGITS.target[i]))
    on_screen = w.current
    w.close()  # the kernel restarts: a new widget over the same store and images
    again = ImageLabeler(DIGITS.images, labels=list(range(10)), store=db)
    assert again.current == on_screen and len(again.labels) == 5
    label_some(again, 1, lambda i: int(DIGITS.target[i]))
    assert ImageLabeler(DIGITS.images, labels=list(range(10)), store=db).current == again.current


def _old_store(path, rows):
    """A log as an earlier version wrote it: no item_hash column; ``rows`` are (item id JSON, label JSON)."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE hitl_events (id INTEGER PRIMARY KEY AUTOINCREMENT, session VARCHAR(200) NOT NULL, "
            "item_id TEXT NOT NULL, kind VARCHAR(8) NOT NULL, label TEXT, annotator VARCHAR(200) NOT NULL, "
            "created_at FLOAT NOT NULL, strategy VARCHAR(200), predicted TEXT, score FLOAT, seconds FLOAT, "
            "undone BOOLEAN NOT NULL)"
        )
        for item, label in rows:
            conn.execute(
                "INSERT INTO hitl_events (session, item_id, kind, label, annotator, created_at, undone) "
                "VALUES ('default', ?, 'label', ?, 'user', 0, 0)",
                (item, label),
            )


def test_an_old_default_store_with_digit_labels_gives_none_to_texts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _old_store("labels.db", [("41", "4"), ("3", "8"), ("7", "6")])  # the digits, written before hashes
    with pytest.warns(UserWarning, match="earlier version.*left out"):
        texts = Labeler(TEXTS)
    assert texts.labels == {} and texts.session.classes == []
    with pytest.warns(UserWarning, match="earlier version.*left out"):
        Labeler(TEXTS, labels=["ham", "spam"])  # not refused for labels it does not hold
    with pytest.warns(UserWarning, match="matched to this pool by id only"):  # named: its answers, by id
        digits = ImageLabeler(DIGITS.images, labels=list(range(10)), store="labels.db")
    assert digits.labels == {41: 4, 3: 8, 7: 6}


def test_a_table_that_grew_with_holes_keeps_its_labels(tmp_path):
    db = str(tmp_path / "rows.db")
    wine = WINE.assign(proline=WINE["proline"].astype(int))  # an int column
    first = item_session(wine, labels=["ok", "fraud"], store=db)
    for item in (2, 40, 100):
        first.label(item, "fraud")
    more = pd.DataFrame([{**wine.iloc[0].to_dict(), "proline": np.nan}] * 2, index=[500, 501])
    grown = pd.concat([wine, more])  # pandas makes the int column float: 1065 is now 1065.0
    assert grown["proline"].dtype == float
    with_column = grown.assign(note=None)  # and a column added, empty in the old rows
    assert item_session(with_column, labels=["ok", "fraud"], store=db).labels == dict.fromkeys((2, 40, 100), "fraud")


def test_numpy_ids_and_tuple_ids_come_back(tmp_path):
    db = str(tmp_path / "t.db")
    w = Labeler(TEXTS, labels=["ham", "spam"], ids=np.arange(100, 160), store=db)
    given = label_some(w, 3, lambda i: "ham")
    w.wait()  # the item on screen is kept in the store: numpy ids must not break the worker
    on_screen = w.current
    w.close()
    again = Labeler(TEXTS, labels=["ham", "spam"], ids=np.arange(100, 160), store=db)
    assert again.labels == given and again.current == on_screen

    X = DIGITS.data[:50]
    ids = [("batch", i) for i in range(50)]
    s = Session(Pool(X, ids), GaussianNB(), store=str(tmp_path / "tuples.db"), classes=["a", "b"])
    s.label(("batch", 7), "a")
    back = Pool(X, ids)
    assert Session(back, GaussianNB(), store=str(tmp_path / "tuples.db"), classes=["a", "b"]).labels == {
        ("batch", 7): "a"
    }
    assert back._by_hash is None  # found at its id: the pool was not hashed as a whole


def test_undo_of_an_answer_whose_item_is_gone_changes_nothing(tmp_path):
    db = str(tmp_path / "t.db")
    w = Labeler(TEXTS, labels=["ham", "spam"], store=db)
    w.label("ham", item=3)
    w.label("spam", item=29)
    w.wait()
    w.close()
    edited = list(TEXTS)
    edited[29] = "edited twenty-nine"
    with pytest.warns(UserWarning, match="29"):
        again = Labeler(edited, labels=["ham", "spam"], store=db)
    before = n_rows(db)
    with pytest.raises(ValueError, match="item 29, is about an item that is not in this pool.*nothing was undone"):
        again.session.undo()
    assert n_rows(db) == before and again.labels == {3: "ham"}
    with pytest.warns(UserWarning, match="29"):
        shrunk = Labeler(TEXTS[:20], labels=["ham", "spam"], store=db)  # 29 is gone altogether
    on_screen = shrunk.current
    frontend(shrunk, {"method": "custom", "content": {"type": "undo", "seq": 1}})  # Backspace on the page
    assert "nothing was undone" in shrunk.error and shrunk.current == on_screen and n_rows(db) == before


def test_two_equal_texts_keep_their_own_labels_when_one_is_edited(tmp_path):
    db = str(tmp_path / "t.db")
    texts = ["same", "same", *TEXTS[2:]]
    s = item_session(texts, labels=["a", "b"], store=db)
    s.label(0, "a")
    s.label(1, "b")
    edited = ["same", "other now", *TEXTS[2:]]
    with pytest.warns(UserWarning, match="1"):
        again = item_session(edited, labels=["a", "b"], store=db)
    assert again.labels == {0: "a"}  # b was about the second "same", which is gone: not moved onto the first


def test_a_dataset_with_a_random_transform_keeps_labels_by_index(tmp_path):
    import torch

    class Noisy(torch.utils.data.Dataset):
        def __len__(self):
            return 40

        def __getitem__(self, i):
            return torch.tensor(DIGITS.images[i] / 16.0 + np.random.uniform(0, 0.05, (8, 8))).float()[None], 0

    db = str(tmp_path / "l.db")
    with pytest.warns(UserWarning, match="another image each time"):
        w = ImageLabeler(Noisy(), labels=list(range(10)), store=db)
    given = label_some(w, 2, lambda i: int(DIGITS.target[i]))
    with pytest.warns(UserWarning, match="another image each time"):
        assert ImageLabeler(Noisy(), labels=list(range(10)), store=db).labels == given


def test_a_team_member_keeps_no_item_on_screen_in_the_store(tmp_path):
    """The leases hold a team member's items; the single person's 'on screen' value is not written for them."""
    db = str(tmp_path / "team.db")
    ana = Labeler(TEXTS, labels=["ham", "spam"], store=db, annotator="ana")
    label_some(ana, 3, lambda i: "ham")
    ana.close()
    assert LabelStore(db).state_keys("on_screen/") == []
    alone = Labeler(TEXTS, labels=["ham", "spam"], store=db)
    label_some(alone, 1, lambda i: "spam")
    assert LabelStore(db).state_keys("on_screen/") == ["on_screen/user"]
