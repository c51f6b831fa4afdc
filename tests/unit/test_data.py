"""Pools from arrays, DataFrames, CSV files, torch Datasets and image folders (read lazily)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from PIL import Image

from hitl_widgets.data import ImageFolder, Pool


def test_csv_with_and_without_a_label_column(tmp_path):
    df = pd.DataFrame(
        {"id": ["a", "b", "c"], "x": [1.0, 2.0, 3.0], "y": [0.5, 0.1, 0.2], "label": ["cat", None, "dog"]}
    )
    df.to_csv(tmp_path / "d.csv", index=False)
    pool = Pool.from_csv(tmp_path / "d.csv", label_column="label", id_column="id")
    assert pool.ids == ["a", "b", "c"] and pool.features.shape == (3, 2) and pool.known == {0: "cat", 2: "dog"}
    plain = Pool.from_csv(tmp_path / "d.csv", id_column="id")
    assert plain.known == {}
    with pytest.raises(
        ValueError, match=r"column\(s\) \['class'\] not found; the columns are \['id', 'x', 'y', 'label'\]"
    ):
        Pool.from_csv(tmp_path / "d.csv", label_column="class")


def test_arrays_tensors_and_torch_datasets():
    assert Pool.from_array(torch.ones(4, 3)).features.shape == (4, 3)
    dataset = torch.utils.data.TensorDataset(torch.rand(5, 2, 2), torch.tensor([0, 1, 0, 1, 1]))
    pool = Pool.from_torch_dataset(dataset, with_labels=True)
    assert pool.features.shape == (5, 4) and pool.known[1] == 1 and isinstance(pool.known[1], int)
    with pytest.raises(ValueError, match="ids must be unique"):
        Pool.from_array(np.zeros((2, 2)), ids=["a", "a"])


def make_folder(root, n_per_class=10, corrupt=True):
    rng = np.random.default_rng(0)
    for cls in ("cat", "dog"):
        (root / cls).mkdir(parents=True)
        for i in range(n_per_class):
            pixels = (rng.random((16, 16)) * (80 if cls == "cat" else 255)).astype(np.uint8)
            Image.fromarray(pixels).save(root / cls / f"{i:03d}.png")
    Image.fromarray(np.zeros((16, 16), np.uint8)).save(root / "loose.png")
    (root / "notes.txt").write_text("not an image")
    if corrupt:
        (root / "dog" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")


def test_image_folder_labels_and_features_skip_corrupt_files_with_one_warning(tmp_path):
    make_folder(tmp_path)
    folder = ImageFolder(tmp_path, labels_from_subfolders=True)
    assert len(folder) == 22  # 20 + loose + broken; the .txt is not an image
    with pytest.warns(UserWarning, match=r"skipped 1 unreadable image\(s\): dog/broken.png") as caught:
        pool = folder.to_pool(size=(4, 4))
    assert len(caught) == 1
    assert len(pool) == 21 and pool.features.shape == (21, 16) and "dog/broken.png" not in pool.ids
    assert pool.known[pool.index_of("cat/000.png")] == "cat" and pool.index_of("loose.png") not in pool.known
    cats, dogs = [pool.features[pool.index_of(f"{c}/003.png")].mean() for c in ("cat", "dog")]
    assert cats < dogs  # the pixels came from the files


def test_listing_a_folder_opens_no_image(tmp_path, monkeypatch):
    make_folder(tmp_path, n_per_class=200, corrupt=False)
    opened = []
    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k))
    folder = ImageFolder(tmp_path)
    assert len(folder) == 401 and opened == []  # nothing read until asked
    folder[5]
    assert len(opened) == 1


def test_missing_or_empty_folders_are_explained(tmp_path):
    with pytest.raises(ValueError, match="is not a folder"):
        ImageFolder(tmp_path / "nope")
    with pytest.raises(ValueError, match="no image files"):
        ImageFolder(tmp_path)
