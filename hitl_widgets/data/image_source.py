"""Images from every input the labeler takes, behind one lazy interface.

A folder, a list of paths, a CSV of paths (with labels or not), a numpy array
(N, H, W[, C]), PIL images or a torch Dataset all become an
:class:`ImageSource`: ``len``, ``ids``, labels already known, and
``source.image(i)``, which opens one image as a PIL image. Nothing is read
until asked for, so a folder of 100,000 files costs a list of names.
"""

from __future__ import annotations

import io
import numbers
import os
import warnings
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .given import describe_given, looked_up, short_text
from .identity import content_hash
from .images import IMAGE_EXTENSIONS, ImageFolder
from .pool import UNLABELED

PATH_COLUMNS = ("path", "file", "filename", "filepath", "image", "image_path")
IMAGES = "a folder, a CSV file of paths, a list of image paths, an array (N, H, W[, C]), PIL images or a torch Dataset"
LABEL_COLUMNS = ("label", "class", "target", "y")


class ImageSource:
    """Base: ``ids``, ``known`` (a label or ``UNLABELED`` per image) and ``image(i)``.

    Examples
    --------
    >>> src = ImageSource.from_any(np.zeros((3, 8, 8), dtype=np.uint8))
    >>> len(src), src.ids, src.image(0).size
    (3, [0, 1, 2], (8, 8))
    """

    ids: list[Hashable]
    known: list[Any]

    def __len__(self) -> int:
        return len(self.ids)

    def image(self, i: int) -> Any:
        """Image ``i`` as a PIL image (mode L, RGB or RGBA)."""
        raise NotImplementedError

    def content(self, i: int) -> Any:
        """What image ``i`` is, for its content hash: its pixels as given (a file: its bytes)."""
        return self.image(i)

    def native_size(self) -> tuple[int, int] | None:
        """(width, height) when every image has the same size and it is known without reading files."""
        return None

    @staticmethod
    def from_any(
        images: Any,
        *,
        path_column: str | None = None,
        label_column: str | None = None,
        labels_from_subfolders: bool = False,
    ) -> ImageSource:
        """An image source from a folder, a CSV file, paths, an array, PIL images or a torch Dataset.

        Anything else is refused with what was given and what is expected:

        >>> ImageSource.from_any(["free prize now", "see you at 7"])
        Traceback (most recent call last):
        ...
        ValueError: images: got a list of 2 strings that are not image files (the first: 'free prize now'); ...
        """
        if isinstance(images, ImageSource):
            return images
        given = describe_given(images)
        if isinstance(images, (str, os.PathLike)):
            path, is_dir, exists = looked_up(images)
            if is_dir:
                return PathSource.from_folder(path, labels_from_subfolders=labels_from_subfolders)
            if path.suffix.lower() == ".csv":
                return PathSource.from_csv(path, path_column=path_column, label_column=label_column)
            what = "is neither a folder nor a .csv file" if exists else "does not exist"
            raise ValueError(f"images: got {given}, which {what}; give {IMAGES}")
        if isinstance(images, ImageFolder):
            return PathSource.from_folder(images.root, labels_from_subfolders=images.labels_from_subfolders)
        if images is None or isinstance(images, (Mapping, Iterator)) or type(images).__name__ == "DataFrame":
            raise ValueError(f"images: got {given}; give {IMAGES}{_hint(images)}")
        if type(images).__name__ == "Series" or (isinstance(images, np.ndarray) and images.dtype.kind in "USO"):
            images = list(images)  # paths (or texts, refused below), not pixels
        if hasattr(images, "detach") or isinstance(images, np.ndarray):
            return ArraySource(images)
        if isinstance(images, (list, tuple, range)):
            if not images:
                raise ValueError(f"images: got {given}; give at least one image: {IMAGES}")
            if all(isinstance(p, (str, os.PathLike)) for p in images):
                first = next(iter(images))
                if not any(_could_be_image_file(p) for p in images[:100]):
                    raise ValueError(
                        f"images: got {given} that are not image files (the first: {short_text(str(first))!r}); "
                        f"give {IMAGES}. To label texts, use Labeler(texts, labels=...)"
                    )
                return PathSource([Path(p).expanduser() for p in images])
            if all(_is_pil(im) for im in images):
                return PILSource(list(images))
            if any(x is None or isinstance(x, (str, numbers.Number, Mapping)) for x in images[:100]):
                raise ValueError(f"images: got {given}; give {IMAGES}")
        if hasattr(images, "__getitem__") and hasattr(images, "__len__") and len(images):
            return DatasetSource(images)
        raise ValueError(f"images: got {given}; give {IMAGES}")


class PathSource(ImageSource):
    """Image files; ids are the paths as given (relative to the folder or CSV they came from)."""

    def __init__(self, paths: Sequence[Path], *, ids: Sequence[Hashable] | None = None, known=None, root=None):
        if not len(paths):
            raise ValueError("images: the list of image paths is empty")
        self.root = Path(root) if root is not None else None
        self.paths = [Path(p) for p in paths]
        self.ids = list(ids) if ids is not None else [str(p) for p in paths]
        if len(set(self.ids)) != len(self.ids):
            repeated = [(p, n) for p, n in Counter(self.ids).items() if n > 1]
            listed = ", ".join(f"{str(p)!r} ({n} times)" for p, n in repeated[:3])
            more = f" and {len(repeated) - 3} more" if len(repeated) > 3 else ""
            raise ValueError(f"images: the same image path is listed more than once: {listed}{more}; give each once")
        self.known = list(known) if known is not None else [UNLABELED] * len(self.paths)

    @classmethod
    def from_folder(cls, root: Path, *, labels_from_subfolders: bool = False) -> PathSource:
        folder = ImageFolder(root, labels_from_subfolders=labels_from_subfolders)
        return cls(
            [folder.root / p for p in folder.paths],
            ids=list(folder.paths),
            known=[folder.label_of(i) for i in range(len(folder))],
            root=folder.root,
        )

    @classmethod
    def from_csv(cls, csv: Path, *, path_column: str | None = None, label_column: str | None = None) -> PathSource:
        """Rows of a CSV: a path column (relative paths are relative to the CSV) and maybe a label column."""
        import pandas as pd

        if not csv.is_file():
            raise ValueError(f"images: CSV file {str(csv)!r} does not exist")
        df = pd.read_csv(csv)
        found = list(df.columns)
        path_col = path_column or next((c for c in found if str(c).lower() in PATH_COLUMNS), None)
        if path_col is None or path_col not in found:
            wanted = repr(path_column) if path_column else f"one of {list(PATH_COLUMNS)}"
            raise ValueError(
                f"images: {csv.name} has columns {found}; expected a path column ({wanted}) "
                f"and optionally a label column ({list(LABEL_COLUMNS)}). Name them with path_column= and label_column=."
            )
        label_col = label_column or next((c for c in found if str(c).lower() in LABEL_COLUMNS), None)
        if label_column is not None and label_column not in found:
            raise ValueError(f"images: {csv.name} has columns {found}; the label column {label_column!r} is not one")
        if df[path_col].isna().any():
            rows = df.index[df[path_col].isna()].tolist()[:5]
            raise ValueError(f"images: {csv.name}: column {path_col!r} is empty on row(s) {rows}")
        rel = [str(p) for p in df[path_col]]
        known = [UNLABELED] * len(df)
        if label_col is not None:
            known = [UNLABELED if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in df[label_col]]
        return cls([_resolve(csv.parent, p) for p in rel], ids=rel, known=known, root=csv.parent)

    def content(self, i: int) -> bytes:
        return self.paths[i].read_bytes()

    def image(self, i: int) -> Any:
        from PIL import Image

        with Image.open(self.paths[i]) as im:
            im.load()
            return _plain_mode(im)


class ArraySource(ImageSource):
    """An array (N, H, W) or (N, H, W, C) of pixels, or a torch tensor (N, C, H, W)."""

    def __init__(self, images: Any):
        arr = images.detach().cpu().numpy() if hasattr(images, "detach") else np.asarray(images)
        if hasattr(images, "detach") and arr.ndim == 4 and arr.shape[1] in (1, 3, 4) and arr.shape[-1] not in (1, 3, 4):
            arr = arr.transpose(0, 2, 3, 1)  # torch's channels-first
        if arr.ndim == 4 and arr.shape[-1] == 1:
            arr = arr[..., 0]
        if not (arr.ndim == 3 or (arr.ndim == 4 and arr.shape[-1] in (3, 4))) or len(arr) == 0:
            raise ValueError(
                f"images: got {describe_given(arr)}; an image array is (N, H, W) or (N, H, W, C) with C in 1, 3, 4"
                + ("; for rows of numbers use Labeler(pandas.DataFrame(X), ...)" if arr.ndim == 2 else "")
            )
        if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
            raise ValueError(f"images: an image array must hold numbers, got dtype {arr.dtype}")
        if not np.isfinite(arr).all():
            raise ValueError("images: the image array holds NaN or infinite pixels")
        self.array = arr
        self.ids = list(range(len(arr)))
        self.known = [UNLABELED] * len(arr)
        # pixel scale: uint8 as is; anything else is stretched from [0, max] (digits are 0..16)
        top = float(arr.max()) if arr.dtype != np.uint8 else 255.0
        self.scale = 255.0 / top if top > 0 else 1.0

    def native_size(self) -> tuple[int, int]:
        return (self.array.shape[2], self.array.shape[1])

    def content(self, i: int) -> np.ndarray:
        return self.array[i]

    def image(self, i: int) -> Any:
        from PIL import Image

        a = self.array[i]
        if a.dtype != np.uint8:
            a = np.clip(np.rint(a.astype(np.float64) * self.scale), 0, 255).astype(np.uint8)
        return Image.fromarray(a)


class PILSource(ImageSource):
    """A list of PIL images held by the caller."""

    def __init__(self, images: list[Any]):
        self.images = images
        self.ids = list(range(len(images)))
        self.known = [UNLABELED] * len(images)

    def image(self, i: int) -> Any:
        return _plain_mode(self.images[i])

    def content(self, i: int) -> Any:
        return self.images[i]


class DatasetSource(ImageSource):
    """A torch Dataset (or any indexable) of images or ``(image, target)`` pairs; targets are not labels."""

    def __init__(self, dataset: Any):
        self.dataset = dataset
        self.ids = list(range(len(dataset)))
        self.known = [UNLABELED] * len(dataset)
        first = self._x(0)
        self._scale = 255.0
        if not _is_pil(first):
            arr = _as_hwc(first)
            if not np.issubdtype(arr.dtype, np.integer):
                self._scale = 255.0 if float(arr.max(initial=0)) <= 1.0 else 1.0
        # a dataset with a random transform gives another image each time: its items are told by index
        self.by_index = content_hash(first) != content_hash(self._x(0))
        if self.by_index:
            warnings.warn(
                "images: the dataset gives another image each time an item is read (a random transform?), so "
                "a label is kept with the item's index, not its content: give the same dataset in the same "
                "order to get the labels back",
                UserWarning,
                stacklevel=4,
            )

    def _x(self, i: int) -> Any:
        item = self.dataset[i]
        return item[0] if isinstance(item, (tuple, list)) else item

    def content(self, i: int) -> Any:
        return f"dataset item {i}" if self.by_index else self._x(i)

    def image(self, i: int) -> Any:
        from PIL import Image

        x = self._x(i)
        if _is_pil(x):
            return _plain_mode(x)
        arr = _as_hwc(x)
        if arr.dtype != np.uint8:
            arr = np.clip(np.rint(arr.astype(np.float64) * self._scale), 0, 255).astype(np.uint8)
        return Image.fromarray(arr)


# ------------------------------------------------------------------ helpers
def encode_image(image: Any, max_side: int = 512) -> tuple[bytes, str]:
    """PNG bytes (lossless, for small or few-colour images) or JPEG bytes (photos), at most ``max_side``.

    >>> from PIL import Image
    >>> data, mime = encode_image(Image.new("L", (8, 8)))
    >>> mime, data[:4]
    ('image/png', b'\\x89PNG')
    """
    from PIL import Image

    image = _plain_mode(image)
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    w, h = image.size
    if w * h <= 128 * 128 or image.mode == "L" and w * h <= 256 * 256 or image.mode == "RGBA":
        image.save(buf, format="PNG", compress_level=1)
        return buf.getvalue(), "image/png"
    image.convert("RGB").save(buf, format="JPEG", quality=88)
    return buf.getvalue(), "image/jpeg"


def _plain_mode(image: Any) -> Any:
    if image.mode in ("L", "RGB", "RGBA"):
        return image
    if image.mode in ("1", "I;16", "I", "F"):
        return image.convert("L") if image.mode == "1" else _stretch_to_l(image)
    return image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")


def _stretch_to_l(image: Any) -> Any:
    from PIL import Image

    a = np.asarray(image, dtype=np.float64)
    top = a.max() if a.size and a.max() > 0 else 1.0
    return Image.fromarray(np.clip(np.rint(a / top * 255), 0, 255).astype(np.uint8))


def _is_pil(x: Any) -> bool:
    return type(x).__module__.startswith("PIL.") and hasattr(x, "mode") and hasattr(x, "size")


def _as_hwc(x: Any) -> np.ndarray:
    arr = x.detach().cpu().numpy() if hasattr(x, "detach") else np.asarray(x)
    if arr.ndim == 3 and arr.shape[0] in (1, 3, 4) and arr.shape[-1] not in (1, 3, 4):
        arr = arr.transpose(1, 2, 0)
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim not in (2, 3):
        raise ValueError(f"images: a dataset item must be an image (H, W[, C]) or (C, H, W); got shape {arr.shape}")
    return arr


def _could_be_image_file(p: str | os.PathLike[str]) -> bool:
    if str(p).lower().endswith(tuple(IMAGE_EXTENSIONS)):
        return True
    try:
        return Path(p).expanduser().is_file()
    except (OSError, ValueError):  # a long text is no file name (ENAMETOOLONG), nor one holding a NUL
        return False


def _hint(images: Any) -> str:
    if isinstance(images, Iterator):
        return " (from a generator: list(...) of its images)"
    if type(images).__name__ == "DataFrame":
        return " (for a table of image paths: its path column as a list, or the CSV file; for rows: Labeler(df))"
    return ""


def _resolve(base: Path, path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else base / p


__all__ = ["IMAGE_EXTENSIONS", "ImageSource", "encode_image"]
