"""Feature rows for images: raw pixels of small images, or embeddings from the user's torch model.

Images are read one batch at a time, so a folder of 100,000 files never sits in
memory; unreadable files are left out and named in one warning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .image_source import ArraySource, ImageSource
from .images import warn_unreadable

PIXEL_FEATURE_LIMIT = 16 * 16  # images up to this many pixels are features as they are
PIXEL_THUMBNAIL = (16, 16)  # larger ones are shrunk to this for raw-pixel features


def image_features(
    source: ImageSource,
    *,
    embed: Callable[[Any], Any] | None = None,
    size: tuple[int, int] | None = None,
    channels: int | None = None,
    batch_size: int = 256,
    progress: bool = True,
) -> tuple[np.ndarray, list[int]]:
    """``(features, kept)``: float32 rows (one per readable image) and the indices they came from.

    Without ``embed`` a row is the image's pixels in [0, 1] (grayscale unless
    ``channels=3``), channels first, at ``size`` (width, height): the native
    size of images up to 16 x 16, else 16 x 16 thumbnails. With ``embed`` (an ``nn.Module`` or any
    callable) each batch of images goes through it as a float32 tensor
    (B, C, H, W) in [0, 1], and its (B, D) output is the rows.

    Examples
    --------
    >>> from hitl_widgets.data.image_source import ImageSource
    >>> src = ImageSource.from_any(np.full((2, 4, 4), 255, dtype=np.uint8))
    >>> X, kept = image_features(src)
    >>> X.shape, float(X.max()), kept
    ((2, 16), 1.0, [0, 1])
    """
    size, channels = feature_shape(source, embed=embed, size=size, channels=channels)
    if isinstance(source, ArraySource) and tuple(size) == source.native_size():
        return _array_features(source, embed, channels, batch_size), list(range(len(source)))

    rows: list[np.ndarray] = []
    kept: list[int] = []
    unreadable: list[str] = []
    batch: list[np.ndarray] = []
    for i in _progress(range(len(source)), progress, "reading images"):
        try:
            batch.append(_chw01(source.image(i), size, channels))
            kept.append(i)
        except Exception as exc:  # a corrupt file must not stop the other 99,999
            unreadable.append(f"{source.ids[i]} ({exc.__class__.__name__})")
        if len(batch) == batch_size:
            rows.append(_rows(np.stack(batch), embed))
            batch = []
    if batch:
        rows.append(_rows(np.stack(batch), embed))
    warn_unreadable("ImageLabeler", unreadable, stacklevel=3)
    return np.concatenate(rows), kept


def feature_shape(
    source: ImageSource,
    *,
    embed: Any = None,
    size: tuple[int, int] | None = None,
    channels: int | None = None,
) -> tuple[tuple[int, int], int]:
    """The (width, height) and channels that :func:`image_features` uses when they are not given."""
    if size is None or channels is None:
        first = _first_readable(source)
        native = source.native_size() or first.size
        if size is None:
            small = native[0] * native[1] <= PIXEL_FEATURE_LIMIT
            size = native if (embed is not None or small) else PIXEL_THUMBNAIL
        if channels is None:
            channels = (1 if first.mode == "L" else 3) if embed is not None else 1
    if channels not in (1, 3):
        raise ValueError(f"image_features: channels must be 1 or 3, got {channels}")
    if len(size) != 2 or min(size) < 1:
        raise ValueError(f"image_features: size must be (width, height), got {size}")
    return (int(size[0]), int(size[1])), int(channels)


def _first_readable(source: ImageSource) -> Any:
    errors = []
    for i in range(min(len(source), 50)):
        try:
            return source.image(i)
        except Exception as exc:
            errors.append(f"{source.ids[i]} ({exc.__class__.__name__})")
    raise ValueError(f"images: none of the first {len(errors)} images could be read: {'; '.join(errors[:5])}")


def _chw01(image: Any, size: tuple[int, int], channels: int) -> np.ndarray:
    from PIL import Image

    image = image.convert("L" if channels == 1 else "RGB")
    if image.size != tuple(size):
        image = image.resize(tuple(size), Image.Resampling.BILINEAR)
    a = np.asarray(image, dtype=np.float32) / np.float32(255.0)
    return a[None] if channels == 1 else a.transpose(2, 0, 1)


def _array_features(source: ArraySource, embed: Any, channels: int, batch_size: int) -> np.ndarray:
    """Every image of an in-memory array at its native size, without going through PIL."""
    out = []
    for start in range(0, len(source), max(batch_size, 4096)):
        a = source.array[start : start + max(batch_size, 4096)].astype(np.float32) * np.float32(source.scale / 255.0)
        if a.ndim == 3:
            a = a[:, None]
        else:
            a = a[..., :3].transpose(0, 3, 1, 2)
        if channels == 1 and a.shape[1] == 3:
            a = (a * np.array([0.299, 0.587, 0.114], np.float32)[None, :, None, None]).sum(1, keepdims=True)
        elif channels == 3 and a.shape[1] == 1:
            a = np.repeat(a, 3, axis=1)
        out.append(_rows(np.ascontiguousarray(a), embed))
    return np.concatenate(out)


def _rows(chw: np.ndarray, embed: Any) -> np.ndarray:
    if embed is None:
        return chw.reshape(len(chw), -1)
    import torch

    with torch.no_grad():
        batch = torch.from_numpy(chw)
        if isinstance(embed, torch.nn.Module):
            embed.eval()
        out = embed(batch)
    out = out.detach().cpu().numpy() if hasattr(out, "detach") else np.asarray(out)
    out = np.asarray(out, dtype=np.float32).reshape(len(chw), -1)
    if not np.isfinite(out).all():
        raise ValueError("images: the embedding model returned NaN or infinite values")
    return out


def _progress(it: range, enabled: bool, desc: str):
    if not enabled or len(it) < 2000:
        return it
    from tqdm.auto import tqdm

    return tqdm(it, desc=desc, unit="img", mininterval=0.5)
