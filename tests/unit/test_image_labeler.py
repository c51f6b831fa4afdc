"""ImageLabeler driven the way the browser drives it: messages in through the comm, state out as traits."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import frontend
from PIL import Image
from sklearn.datasets import load_digits
from torch import nn

from hitl_widgets import ImageLabeler, TorchClassifier

pytestmark = pytest.mark.usefixtures("recording_comm")
DIGITS = load_digits()
LABELS = list(range(10))


def msg(w, **content):
    frontend(w, {"method": "custom", "content": content})


def labeler(n=300, **kw):
    kw.setdefault("store", ":memory:")
    kw.setdefault("labels", LABELS)
    return ImageLabeler(DIGITS.images[:n], **kw)


def truth(w, item=None):
    return int(DIGITS.target[w.current if item is None else item])


def image_messages(w):
    return [(d["content"], bufs) for _, d, bufs in w.comm.sent if d.get("method") == "custom"]


def test_keys_label_the_shown_item_and_the_page_runs_ahead_with_prefetched_images():
    w = labeler()
    w.wait()
    first, ahead = w.item["key"], w.queue[0]["key"]
    # every image on screen or ranked next was sent as PNG bytes in binary buffers
    sent = {k: (m, b) for c, bufs in image_messages(w) for k, m, b in zip(c["keys"], c["mimes"], bufs, strict=True)}
    assert {first, ahead} <= set(sent) and len(w.queue) >= 8
    mime, data = sent[first]
    assert mime == "image/png" and bytes(data[:4]) == b"\x89PNG"
    # the browser labels what it shows and says which image it shows next
    msg(w, type="label", key=first, cls=truth(w), next=ahead, seq=1)
    w.wait()
    assert w.labels == {first: truth(w, first)} and w._ack == 1
    assert w.current == ahead and w.item["key"] == ahead
    assert [t["key"] for t in w.trail] == [first] and w.trail[0]["label"] == truth(w, first)
    assert w.progress["labeled"] == 1 and w.progress["learning"] is False


def test_prediction_bars_and_learning_curve_follow_the_model():
    w = labeler()
    for _ in range(30):
        w.label(truth(w))
        w.wait()  # a person who reads the bars: each item is shown with the model's prediction
    probs = w.item["probs"]
    assert len(probs) == 10 and abs(sum(probs) - 1) < 1e-3
    assert w.curve and w.curve[-1][0] == 30 and 0 <= w.curve[-1][1] <= 1
    assert w.progress["accuracy"] == pytest.approx(w.session.accuracy())
    store = w.to_dataframe()
    assert len(store) == 30 and store["predicted"].notna().sum() >= 25  # predictions shown were kept


def test_held_out_curve_with_a_test_set():
    w = labeler(n=300, test=(DIGITS.images[1000:1300], DIGITS.target[1000:1300].tolist()))
    for _ in range(40):
        w.label(truth(w))
    w.wait()
    assert w.curve_kind == "held-out" and len(w.curve) == 40
    assert w.curve[-1][1] > 0.5  # 40 labels on digits with margin sampling


def test_undo_brings_the_item_back_and_the_model_forgets_it():
    w = labeler()
    for _ in range(5):
        w.label(truth(w))
    w.wait()
    last = w.session.trail[-1]
    w.label(truth(w))
    msg(w, type="undo", seq=7)
    w.wait()
    assert len(w.labels) == 5 and w._ack == 7
    msg(w, type="undo", seq=8)
    w.wait()
    assert w.current == last and last not in w.labels and len(w.labels) == 4
    # the model is the one a labeler that never saw the undone labels learns
    fresh = labeler()
    for item in w.session.trail:
        fresh.label(w.labels[item], item=item)
    fresh.wait()
    np.testing.assert_allclose(w.session.predict_proba([0, 1, 2]), fresh.session.predict_proba([0, 1, 2]), atol=1e-6)


def test_skip_with_enter_and_skipped_items_come_back_last():
    w = labeler(n=12)
    w.wait()
    skipped = w.current
    msg(w, type="skip", key=skipped, next=w.queue[0]["key"], seq=1)
    w.wait()
    assert w.session.is_skipped(skipped) and w.trail[-1] == {"key": skipped, "id": str(skipped), "label": -1}
    for _ in range(11):
        assert w.current != skipped
        w.label(truth(w))
        w.wait()
    assert w.current == skipped


def test_browsing_back_and_relabeling_replaces_the_label_and_rebuilds_the_model():
    w = labeler()
    first = w.current
    w.label((truth(w) + 1) % 10)  # a slip of the finger
    for _ in range(4):
        w.label(truth(w))
    w.wait()
    shown = w.current
    msg(w, type="label", key=first, cls=truth(w, first), next=None, seq=9)
    w.wait()
    assert w.labels[first] == truth(w, first) and w.current == shown  # the screen stays where it was
    assert len(w.session.history) == 5  # rebuilt: five labels learned once each
    events = w.to_dataframe()
    assert len(events) == 6 and events.iloc[-1]["label"] == truth(w, first)


def test_strategy_switch_re_ranks_the_queue():
    w = labeler()
    for _ in range(20):
        w.label(truth(w))
    w.wait()
    margin = [e["key"] for e in w.queue]
    w.strategy = "kcenter"
    w.wait()
    assert w.session.strategy == "kcenter" and [e["key"] for e in w.queue] != margin
    with pytest.raises(ValueError, match="unknown sampler 'no-such-strategy'; choose one of: uniform"):
        w.strategy = "no-such-strategy"  # from Python a bad name raises, as the constructor does
    assert w.strategy == "kcenter" and w.session.strategy == "kcenter"
    w.label(truth(w))
    assert w.to_dataframe().iloc[-1]["strategy"] == "kcenter"


def test_batch_mode_submits_a_grid_of_labels_together():
    w = labeler(batch_size=6)
    w.wait()
    assert len(w.queue) >= 11  # the grid (item + 5) and the next grid ahead
    tiles = [w.item["key"]] + [e["key"] for e in w.queue[:5]]
    chosen = tiles[:4]
    msg(w, type="submit", labels=[[k, int(DIGITS.target[k])] for k in chosen], seq=3)
    w.wait()
    assert w.labels == {k: int(DIGITS.target[k]) for k in chosen} and w._ack == 3
    on_screen = [w.item["key"]] + [e["key"] for e in w.queue]
    assert not set(chosen) & set(on_screen)
    w.submit({w.current: truth(w)})
    assert len(w.labels) == 5
    w.batch_size = 2
    w.wait()
    assert w.label_queue.batch_size == 2
    with pytest.raises(ValueError, match="batch_size must be a whole number >= 1, got 0"):
        w.batch_size = 0  # from Python a bad value raises, as the constructor does
    assert w.batch_size == 2 and w.label_queue.batch_size == 2 and len(w.labels) == 5


def test_typing_a_new_label_adds_it_and_unknown_labels_are_refused():
    w = labeler(n=50, labels=["cat", "dog"])
    msg(w, type="add_class", name="  owl ", seq=1)
    assert w.classes == ["cat", "dog", "owl"] and w.session.classes == ["cat", "dog", "owl"]
    with pytest.raises(ValueError, match=r"'zebra' is not a label; the labels are \['cat', 'dog', 'owl'\]"):
        w.label("zebra")
    msg(w, type="label", key=w.current, cls=7, next=None, seq=2)
    assert "3 labels; key 8 has none" in w.error and w._ack == 2 and not w.labels
    msg(w, type="add_class", name="dog", seq=3)
    assert "already" in w.error
    w.label("owl")
    assert list(w.labels.values()) == ["owl"]


def test_open_label_set_starts_empty_and_grows_by_typing():
    w = ImageLabeler(DIGITS.images[:50], store=":memory:")
    assert w.classes == [] and w.open_classes
    w.label("seven")
    msg(w, type="add_class", name="one", seq=1)
    w.label("one")
    w.wait()
    assert w.classes == ["seven", "one"] and len(w.labels) == 2


def test_reopening_the_store_resumes_labels_model_and_screen(tmp_path):
    db = tmp_path / "labels.db"
    w = labeler(store=str(db))
    for _ in range(15):
        w.label(truth(w))
    w.skip()
    w.wait()
    again = labeler(store=str(db))
    again.wait()
    assert again.labels == w.labels and [t["key"] for t in again.trail] == [t["key"] for t in w.trail]
    np.testing.assert_allclose(again.session.predict_proba([5, 6]), w.session.predict_proba([5, 6]), atol=1e-6)
    assert again.progress["labeled"] == 15 and again.progress["skipped"] == 1


def test_checkpoint_moves_labels_and_model_to_another_store_and_export(tmp_path):
    w = labeler()
    for _ in range(12):
        w.label(truth(w))
    w.wait()
    w.save_checkpoint(tmp_path / "ckpt.pt")
    other = labeler(store=str(tmp_path / "other.db"))
    other.load_checkpoint(tmp_path / "ckpt.pt")
    other.wait()
    assert other.labels == w.labels
    np.testing.assert_allclose(other.session.predict_proba([3]), w.session.predict_proba([3]), atol=1e-6)
    w.export_labels(tmp_path / "labels.csv")
    w.export_labels(tmp_path / "labels.json")
    assert (
        len(pd.read_csv(tmp_path / "labels.csv")) == 12
        and len(json.loads((tmp_path / "labels.json").read_text())) == 12
    )
    w.export_model(tmp_path / "model.pt")
    loaded = TorchClassifier(nn.Linear(64, 2)).load(tmp_path / "model.pt")
    assert loaded.classes == LABELS == w.learner.classes  # the head was built for the whole label set
    with pytest.raises(ValueError, match="not a labeling checkpoint"):
        torch.save({"hello": 1}, tmp_path / "bad.pt")
        other.load_checkpoint(tmp_path / "bad.pt")
    with pytest.raises(ValueError, match=".csv or .json"):
        w.export_labels(tmp_path / "labels.xlsx")


def test_a_pretrained_cnn_with_its_classes_predicts_from_the_first_image():
    torch.manual_seed(0)
    cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 64, 10))
    X = torch.tensor(DIGITS.images[:1000] / 16.0, dtype=torch.float32)[:, None]
    y = torch.tensor(DIGITS.target[:1000])
    opt = torch.optim.Adam(cnn.parameters(), lr=0.01)
    for _ in range(60):
        opt.zero_grad()
        nn.functional.cross_entropy(cnn(X), y).backward()
        opt.step()
    learner = TorchClassifier.from_pretrained(cnn, 10, cnn.state_dict(), input_shape=(1, 8, 8))
    w = ImageLabeler(DIGITS.images[1000:1300], labels=LABELS, learner=learner, store=":memory:")
    w.wait()
    predicted = w.session.predict_proba(np.arange(300)).argmax(1)
    assert (predicted == DIGITS.target[1000:1300]).mean() > 0.85  # before a single label
    assert len(w.item["probs"]) == 10
    # the first item shown is margin's first pick under the pretrained model: its least sure item
    proba = np.sort(w.session.predict_proba(np.arange(300)), axis=1)
    margins = proba[:, -1] - proba[:, -2]
    first = w.pool.index_of(w.current)
    assert margins[first] == margins.min()
    assert w.to_dataframe().empty and w.session.next(1) == [w.current]


def test_embeddings_from_a_users_model_are_the_features():
    embed = nn.Sequential(nn.Flatten(), nn.Linear(64, 5))
    w = labeler(n=100, embed=embed)
    assert w.pool.features.shape == (100, 5) and w.pool.features.dtype == np.float32
    w.label(truth(w))
    w.wait()
    calls = []
    w2 = labeler(n=20, embed=lambda batch: calls.append(tuple(batch.shape)) or batch.mean(dim=(2, 3)))
    assert calls == [(20, 1, 8, 8)] and w2.pool.features.shape == (20, 1)


def test_inputs_folder_paths_csv_pil_dataset(tmp_path):
    for i in range(6):
        sub = tmp_path / "imgs" / ("even" if i % 2 == 0 else "odd")
        sub.mkdir(parents=True, exist_ok=True)
        Image.fromarray((DIGITS.images[i] * 15).astype(np.uint8)).save(sub / f"{i}.png")
    (tmp_path / "imgs" / "broken.png").write_bytes(b"not a png at all")
    with pytest.warns(UserWarning, match=r"skipped 1 unreadable image\(s\): broken.png"):
        folder = ImageLabeler(tmp_path / "imgs", store=":memory:", labels_from_subfolders=True)
    assert len(folder.pool) == 6 and folder.session.n_labels == 6  # labels from the subfolders
    paths = sorted(str(p) for p in (tmp_path / "imgs").rglob("[0-9].png"))
    by_paths = ImageLabeler(paths, labels=["even", "odd"], store=":memory:")
    assert len(by_paths.pool) == 6 and by_paths.image(paths[0]).size == (8, 8)
    rel = [p.split("imgs/")[1] for p in paths]
    pd.DataFrame({"path": rel, "label": ["even", None, "even", None, None, None]}).to_csv(
        tmp_path / "imgs" / "list.csv", index=False
    )
    csv = ImageLabeler(tmp_path / "imgs" / "list.csv", store=":memory:")
    assert csv.session.n_labels == 2 and csv.current not in csv.labels
    pil = ImageLabeler([Image.fromarray(np.zeros((20, 30, 3), np.uint8)) for _ in range(4)], store=":memory:")
    assert pil.pool.features.shape == (4, 256)  # 30 x 20 is more than 16 x 16: a 16 x 16 thumbnail

    class Digits(torch.utils.data.Dataset):
        def __len__(self):
            return 10

        def __getitem__(self, i):
            return torch.tensor(DIGITS.images[i] / 16.0, dtype=torch.float32)[None], int(DIGITS.target[i])

    ds = ImageLabeler(Digits(), labels=LABELS, store=":memory:")
    assert ds.pool.features.shape == (10, 64) and ds.session.n_labels == 0  # targets are not labels
    big = ImageLabeler(np.zeros((3, 64, 64), np.uint8), store=":memory:")
    assert big.pool.features.shape == (3, 256)  # large images: 16 x 16 pixel features


def test_bad_inputs_are_explained(tmp_path):
    pd.DataFrame({"filename_x": ["a.png"], "target_y": [1]}).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(ValueError, match=r"has columns \['filename_x', 'target_y'\]; expected a path column"):
        ImageLabeler(tmp_path / "bad.csv", store=":memory:")
    with pytest.raises(ValueError, match="does not exist"):
        ImageLabeler(tmp_path / "nowhere", store=":memory:")
    with pytest.raises(ValueError, match=r"\(N, H, W\) or \(N, H, W, C\)"):
        ImageLabeler(np.zeros((4, 8)), store=":memory:")
    with pytest.raises(ValueError, match="NaN"):
        ImageLabeler(np.full((2, 4, 4), np.nan), store=":memory:")
    with pytest.raises(ValueError, match="labels is the set of class names, each once"):
        labeler(labels=[1, 1, 2])
    targets = np.repeat(np.arange(10), 10)  # one label per item passed by mistake: a short message
    with pytest.raises(ValueError, match=r"per item; got 100 values where 0, 1, 2, 3, 4 and 5 more repeat$"):
        labeler(labels=targets)
    with pytest.raises(ValueError, match="batch_size"):
        labeler(batch_size=0)


def test_a_bad_message_changes_nothing_and_says_why(tmp_path):
    w = labeler(store=str(tmp_path / "l.db"))
    w.label(truth(w))
    w.wait()
    msg(w, type="label", key=10_000, cls=1, next=None, seq=4)
    assert "unknown item key 10000" in w.error and w._ack == 4
    msg(w, type="label", key=w.current, cls="x", seq=5)
    assert w.error and len(w.labels) == 1
    msg(w, type="want", keys=[0, 1, 99999])  # out-of-range keys are ignored
    assert len(w.labels) == 1


def test_labels_of_items_missing_from_the_pool_stay_in_the_store(tmp_path):
    db = str(tmp_path / "l.db")
    w = labeler(n=50, store=db)
    w.label(truth(w), item=45)
    # none of the answered items is in this pool: another pool's store, refused, and nothing changes
    with pytest.raises(ValueError, match="holds the labels of another pool.*Nothing was changed"):
        labeler(n=40, store=db)
    w.label(truth(w, 3), item=3)
    w.wait()
    with pytest.warns(UserWarning, match="not in this pool"):
        smaller = labeler(n=40, store=db)
    assert smaller.labels == {3: int(DIGITS.target[3])} and len(smaller.session.store.events()) == 2


def test_folder_images_are_opened_one_at_a_time(tmp_path, monkeypatch):
    for i in range(40):
        Image.fromarray((DIGITS.images[i] * 15).astype(np.uint8)).save(tmp_path / f"{i:03}.png")
    import PIL.Image

    opened = []
    real_open = PIL.Image.open
    monkeypatch.setattr(PIL.Image, "open", lambda fp, *a, **k: opened.append(fp) or real_open(fp, *a, **k))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = ImageLabeler(tmp_path, store=":memory:")
    w.wait()
    assert len(w.pool) == 40
    # each file is read once for features (the first twice, to learn the size), then only to be shown:
    # what is on screen and the few ranked next
    assert w.view.cached == 1 + len(w.queue) <= 9
    assert len(opened) == 41 + w.view.cached


def test_a_store_labeled_with_other_labels_is_refused_and_left_as_it_was(tmp_path):
    db = tmp_path / "digits.db"
    w = labeler(store=db, background=False)
    for _ in range(6):
        w.label(truth(w))
    answered = w.to_dataframe()
    w.close()
    with pytest.raises(ValueError, match=r"holds labels that are not in the label set \['zero', 'one'\]") as err:
        labeler(store=db, labels=["zero", "one"])
    assert "Nothing was changed" in str(err.value) and "open another store" in str(err.value)
    again = labeler(store=db, background=False)  # the same labels: everything is there
    assert again.progress["labeled"] == 6 and again.to_dataframe().equals(answered)
    again.close()
    more = labeler(store=db, labels=["zero", "one", *LABELS], background=False)  # or add the store's labels
    assert more.progress["labeled"] == 6 and more.classes[:2] == ["zero", "one"]
    more.close()


class BrokenLearner:
    """A user's learner with a bug: it predicts nothing and fails to learn."""

    def predict_proba_one(self, x):
        return {}

    def learn_one(self, x, y):
        raise RuntimeError("the learner broke")


def test_an_exception_in_a_message_handler_is_shown_in_the_widget(caplog):
    w = labeler(n=50, learner=BrokenLearner(), background=False)
    item = w.current
    msg(w, type="label", key=w.pool.index_of(item), cls=3, next=None, seq=1)
    assert "RuntimeError: the learner broke" in w.error  # shown on the page, not swallowed
    assert w._ack == 1 and w.session.label_of(item) == 3  # the label was stored before the model failed
    assert "the learner broke" in caplog.text  # and logged with its traceback


IMAGES = r"give a folder, a CSV file of paths, a list of image paths, an array \(N, H, W\[, C\]\), PIL images"
TEXTS = ["free prize now", "see you at 7", "win cash today"] * 10
NOT_IMAGES = {  # what a new user tries: (images, the message that names the labeler, what it got and what it takes)
    "empty list": ([], r"^ImageLabeler: got an empty list; give at least one image: a folder"),
    "bare string": ("hello world", rf"^ImageLabeler: got the string 'hello world', which does not exist; {IMAGES}"),
    "list of texts": (
        TEXTS,
        rf"^ImageLabeler: got a list of 30 strings that are not image files \(the first: 'free prize now'\); "
        rf"{IMAGES} or a torch Dataset\. To label texts, use Labeler\(texts, labels=\.\.\.\)$",
    ),
    "list of numbers": ([0, 1, 1], rf"^ImageLabeler: got a list of 3 numbers; {IMAGES}"),
    "dict": ({"a": np.zeros((2, 8, 8))}, rf"^ImageLabeler: got a dict with 1 key; {IMAGES}"),
    "None": (None, rf"^ImageLabeler: got None; {IMAGES}"),
    "1-D array": (np.arange(5.0), r"^ImageLabeler: got a 1-D array of 5 float64; an image array is \(N, H, W\)"),
    "array of strings": (np.array(TEXTS), r"^ImageLabeler: got a 1-D array of 30 strings that are not image files"),
    "DataFrame with no rows": (
        pd.DataFrame({"path": []}),
        rf"^ImageLabeler: got a DataFrame with no rows and 1 column; {IMAGES}.*its path column as a list",
    ),
    "Series of numbers": (pd.Series([1.0, 2.0]), rf"^ImageLabeler: got a Series of 2 float64 values; {IMAGES}"),
    "generator": ((im for im in DIGITS.images[:5]), rf"^ImageLabeler: got a generator; {IMAGES}.*list\(\.\.\.\)"),
    "a path twice": (
        ["a.png", "b.png", "a.png"],
        r"^ImageLabeler: the same image path is listed more than once: 'a\.png' \(2 times\); give each once$",
    ),
}


@pytest.mark.parametrize(("images", "message"), NOT_IMAGES.values(), ids=NOT_IMAGES)
def test_an_input_that_is_not_images_is_named_with_what_is_expected(images, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        ImageLabeler(images, labels=[0, 1], store=str(tmp_path / "l.db"))
    assert not (tmp_path / "l.db").exists()  # refused before the store was opened
