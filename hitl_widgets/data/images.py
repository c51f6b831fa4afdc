"""Folders of images, read lazily: listing a folder opens no file."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .pool import UNLABELED, Pool

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}


class ImageFolder(Sequence):
    """The image files under ``root`` (sorted, recursive); ``folder[i]`` opens one as a PIL image.

    With ``labels_from_subfolders=True`` an image's label is the name of its
    top-level subfolder (``root/cat/1.png`` is a "cat"); images directly in
    ``root`` are unlabeled.
    """

    def __init__(self, root: str | os.PathLike[str], *, labels_from_subfolders: bool = False):
        self.root = Path(root)
        if not self.root.is_dir():
            raise ValueError(f"ImageFolder: {str(self.root)!r} is not a folder")
        self.labels_from_subfolders = labels_from_subfolders
        self.paths = sorted(
            str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS
        )
        if not self.paths:
            raise ValueError(f"ImageFolder: no image files ({', '.join(sorted(IMAGE_EXTENSIONS))}) under {self.root}")

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i: int) -> Any:  # type: ignore[override]
        from PIL import Image

        with Image.open(self.root / self.paths[i]) as image:
            image.load()
            return image

    def label_of(self, i: int) -> Any:
        parts = Path(self.paths[i]).parts
        return parts[0] if self.labels_from_subfolders and len(parts) > 1 else UNLABELED

    def to_pool(self, size: tuple[int, int] = (8, 8), *, featurize: Callable[[Any], np.ndarray] | None = None) -> Pool:
        """A pool with one feature row per readable image, read one file at a time.

        Features default to the grayscale pixels of a ``size`` thumbnail in
        [0, 1]; ``featurize`` maps a PIL image to a vector instead (an
        embedding model, say). Unreadable files are left out with one warning
        that lists them.
        """
        rows, ids, labels, unreadable = [], [], [], []
        for i, rel in enumerate(self.paths):
            try:
                image = self[i]
                rows.append(featurize(image) if featurize else thumbnail_pixels(image, size))
            except Exception as exc:  # a corrupt file must not stop the other 99,999
                unreadable.append(f"{rel} ({exc.__class__.__name__})")
                continue
            ids.append(rel)
            labels.append(self.label_of(i))
        warn_unreadable("ImageFolder", unreadable, stacklevel=2)
        if not rows:
            raise ValueError(f"ImageFolder: none of the {len(self)} images under {self.root} could be read")
        return Pool(np.asarray(rows, dtype=float), ids, labels)


def warn_unreadable(owner: str, unreadable: list[str], stacklevel: int) -> None:
    """One warning naming the unreadable files (the first 20); ``stacklevel`` as the caller would pass it."""
    if unreadable:
        shown = "; ".join(unreadable[:20]) + (f"; and {len(unreadable) - 20} more" if len(unreadable) > 20 else "")
        warnings.warn(f"{owner}: skipped {len(unreadable)} unreadable image(s): {shown}", stacklevel=stacklevel + 1)


def thumbnail_pixels(image: Any, size: tuple[int, int]) -> np.ndarray:
    """Grayscale pixels of ``image`` resized to ``size``, scaled to [0, 1], flattened."""
    from PIL import Image

    small = image.convert("L").resize(size, Image.Resampling.BILINEAR)
    return np.asarray(small, dtype=np.float32).ravel() / 255.0
