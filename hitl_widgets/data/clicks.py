"""How people put points on a canvas: cluster after cluster, with the brush, or in random order.

The test bed of the online mixture. A person clicks one cluster, then the
next, often spraying with the brush (a sweep back and forth across the
cluster); a teacher prepares curved shapes a mixture fits poorly. Each
sequence carries fresh held-out points of every cluster, so a model can be
scored on the clusters clicked so far without rewarding a fit that
memorised a few points.

Layouts (``layout=``):

* ``blobs``: well-separated Gaussian clusters of random size, shape and tilt;
* ``elongated``: thin, long, rotated clusters (aspect 3 to 8);
* ``overlapping``: clusters that touch or overlap their neighbours;
* ``outlier``: blobs after one stray click in a corner;
* ``cloud``, ``moons``, ``square``, ``line``, ``ring``: one broad cloud, two
  interleaved half circles, a uniform square, a noisy line and a ring, where a
  mixture of K Gaussians fits poorly. Their "clusters" are K stretches along
  the path a person would click them in.

Orders (``order=``): ``random``; ``cluster`` (cluster after cluster, random
within one); ``brush`` (cluster after cluster, each swept in bands like a
spray brush).

>>> seq = click_sequence("blobs", "cluster", n_clusters=3, seed=0)
>>> seq.points.shape[0] == seq.checkpoints[-1], len(seq.checkpoints)
(True, 3)
>>> bool((seq.cluster[: seq.checkpoints[0]] == seq.cluster[0]).all())  # the first cluster comes whole
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GAUSSIAN_LAYOUTS = ("blobs", "elongated", "overlapping", "outlier")
CURVED_LAYOUTS = ("cloud", "moons", "square", "line", "ring")
LAYOUTS = GAUSSIAN_LAYOUTS + CURVED_LAYOUTS
ORDERS = ("random", "cluster", "brush")
BOX = np.array([[-9.0, -7.0], [9.0, 7.0]])  # inside the canvas's default (-10, 10) x (-8, 8)
BRUSH_BAND = 0.8  # width of one brush stroke in data units (the brush's radius is ~0.6 on the default canvas)


@dataclass(frozen=True)
class ClickSequence:
    """Points in the order they are clicked, which cluster each belongs to, and held-out points."""

    layout: str
    order: str
    n_clusters: int
    points: np.ndarray
    cluster: np.ndarray
    checkpoints: tuple[int, ...]
    heldout: np.ndarray
    heldout_cluster: np.ndarray

    def heldout_so_far(self, n: int) -> np.ndarray:
        """Held-out points of the clusters that the first ``n`` clicks reached, in the clicks' proportions.

        A cluster with twice the clicks gets twice the held-out points, so the
        held-out points follow the distribution the clicks so far came from.
        """
        labels, counts = np.unique(self.cluster[:n], return_counts=True)
        per_cluster = np.bincount(self.heldout_cluster).max()
        parts = [
            self.heldout[self.heldout_cluster == c][: max(1, round(per_cluster * m / counts.max()))]
            for c, m in zip(labels, counts, strict=True)
            if c >= 0
        ]
        return np.concatenate(parts) if parts else self.heldout[:0]


def click_sequence(
    layout: str,
    order: str,
    *,
    n_clusters: int = 3,
    sizes: tuple[int, int] = (10, 100),
    seed: int = 0,
    heldout_per_cluster: int = 400,
) -> ClickSequence:
    """A sequence of clicks on ``layout`` in ``order``.

    Parameters
    ----------
    layout
        One of :data:`LAYOUTS`.
    order
        One of :data:`ORDERS`.
    n_clusters
        Clusters (Gaussian layouts), or stretches of the path (curved layouts).
    sizes
        Smallest and largest number of points per cluster (drawn uniformly).
    seed
        Seed of everything random.
    heldout_per_cluster
        Fresh points per cluster for scoring.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"click_sequence: layout must be one of {LAYOUTS}, got {layout!r}")
    if order not in ORDERS:
        raise ValueError(f"click_sequence: order must be one of {ORDERS}, got {order!r}")
    if n_clusters < 1:
        raise ValueError(f"click_sequence: n_clusters must be at least 1, got {n_clusters}")
    rng = np.random.default_rng(seed)
    sizes_k = rng.integers(sizes[0], sizes[1] + 1, size=n_clusters)
    if layout in GAUSSIAN_LAYOUTS:
        shapes = _place_gaussians(layout, n_clusters, rng)
        train = [_gaussian(s, n, rng) for s, n in zip(shapes, sizes_k, strict=True)]
        test = [_gaussian(s, heldout_per_cluster, rng) for s in shapes]
        frames = [s[3] for s in shapes]
    else:
        train, test, frames = _curved(layout, sizes_k, heldout_per_cluster, rng)
    if order == "brush":
        train = [_sweep(P, angle) for P, angle in zip(train, frames, strict=True)]
    else:
        train = [rng.permutation(P) for P in train]
    points = np.concatenate(train)
    cluster = np.repeat(np.arange(n_clusters), [len(P) for P in train])
    if layout == "outlier":
        corner = BOX[1] - rng.uniform(0.2, 1.0, 2)
        points, cluster = np.concatenate([[corner], points]), np.concatenate([[-1], cluster])
    checkpoints = tuple(int(c) for c in np.cumsum([len(P) for P in train]) + (layout == "outlier"))
    if order == "random":
        perm = rng.permutation(len(points))
        points, cluster = points[perm], cluster[perm]
    return ClickSequence(
        layout=layout,
        order=order,
        n_clusters=n_clusters,
        points=points,
        cluster=cluster,
        checkpoints=checkpoints,
        heldout=np.concatenate(test),
        heldout_cluster=np.repeat(np.arange(n_clusters), [len(P) for P in test]),
    )


# ---------------------------------------------------------------- Gaussians
def _gaussian(shape: tuple, n: int, rng: np.random.Generator) -> np.ndarray:
    centre, major, minor, angle = shape
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, -s], [s, c]])
    return centre + (rng.normal(size=(n, 2)) * (major, minor)) @ rot.T


def _random_shape(layout: str, rng: np.random.Generator, scale: float) -> tuple[float, float, float]:
    if layout == "elongated":
        major = rng.uniform(1.0, 2.8) * scale
        return major, max(0.25, major / rng.uniform(3.0, 8.0)), rng.uniform(0, np.pi)
    major = rng.uniform(0.4, 1.6) * scale
    return major, max(0.3, major / rng.uniform(1.0, 3.0)), rng.uniform(0, np.pi)


def _place_gaussians(layout: str, k: int, rng: np.random.Generator) -> list[tuple]:
    """Centres and shapes: separated by at least 2.5 major deviations (blobs), or chained so they touch."""
    scale = 1.0
    for _ in range(200):
        shapes: list[tuple] = []
        for _ in range(k):
            major, minor, angle = _random_shape(layout, rng, scale)
            for _ in range(300):
                centre = _candidate_centre(layout, shapes, major, rng)
                if _fits(layout, shapes, centre, major):
                    shapes.append((centre, major, minor, angle))
                    break
            else:
                break
        if len(shapes) == k:
            return shapes
        scale *= 0.93  # crowded: shrink the clusters and try again
    raise RuntimeError(f"could not place {k} clusters")


def _candidate_centre(layout: str, shapes: list[tuple], major: float, rng: np.random.Generator) -> np.ndarray:
    margin = 1.5 * major
    if layout == "overlapping" and shapes:
        c0, m0 = shapes[rng.integers(len(shapes))][:2]
        direction = rng.normal(size=2)
        return c0 + direction / np.linalg.norm(direction) * rng.uniform(1.2, 2.0) * (m0 + major)
    return rng.uniform(BOX[0] + margin, BOX[1] - margin)


def _fits(layout: str, shapes: list[tuple], centre: np.ndarray, major: float) -> bool:
    if not ((centre > BOX[0] + major).all() and (centre < BOX[1] - major).all()):
        return False
    least = 1.2 if layout == "overlapping" else 2.5
    return all(np.linalg.norm(centre - c) >= least * (m + major) for c, m, *_ in shapes)


def _sweep(P: np.ndarray, angle: float) -> np.ndarray:
    """The order a spray brush lays ``P`` down: bands across the cluster, back and forth."""
    c, s = np.cos(angle), np.sin(angle)
    u = P @ np.array([c, s])
    v = P @ np.array([-s, c])
    band = np.floor((v - v.min()) / BRUSH_BAND).astype(int)
    key = np.where(band % 2 == 0, u, -u)
    return P[np.lexsort((key, band))]


# ------------------------------------------------------------ curved shapes
def _curved(layout: str, sizes: np.ndarray, n_test: int, rng: np.random.Generator):
    """Points of a curved layout, cut into len(sizes) stretches along the path a person would follow."""
    k = len(sizes)
    n_train = int(sizes.sum())
    draw = {"cloud": _cloud, "moons": _moons, "square": _square, "line": _line, "ring": _ring}[layout]
    P, t = draw(n_train + n_test * k, rng)
    # stretches of equal mass along the path parameter t
    edges = np.quantile(t, np.linspace(0, 1, k + 1))
    part = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, k - 1)
    train, test, frames = [], [], []
    for j in range(k):
        idx = rng.permutation(np.flatnonzero(part == j))
        n_j = min(int(sizes[j]), len(idx) // 2)
        train.append(P[idx[:n_j]][np.argsort(t[idx[:n_j]])])
        test.append(P[idx[n_j : n_j + n_test]])
        frames.append(0.0)
    return train, test, frames


def _cloud(n, rng):
    P = rng.normal(size=(n, 2)) * (4.0, 2.5) @ np.array([[0.9, -0.44], [0.44, 0.9]]).T
    return P, P[:, 0]


def _moons(n, rng):
    half = n // 2
    a = rng.uniform(0, np.pi, n)
    upper = np.arange(n) < half
    x = np.where(upper, np.cos(a), 1 - np.cos(a))
    y = np.where(upper, np.sin(a), 0.5 - np.sin(a))
    P = np.c_[x - 0.5, y - 0.25] * 6.0 + rng.normal(0, 0.35, (n, 2))
    return P, np.where(upper, a, np.pi + a)


def _square(n, rng):
    P = rng.uniform(-6, 6, (n, 2))
    return P, np.floor((P[:, 1] + 6) / 2) * 100 + np.where(np.floor((P[:, 1] + 6) / 2) % 2, -P[:, 0], P[:, 0])


def _line(n, rng):
    s = rng.uniform(-1, 1, n)
    P = np.c_[8 * s, 5 * s + 1.5 * np.sin(3 * s)] + rng.normal(0, 0.3, (n, 2))
    return P, s


def _ring(n, rng):
    a = rng.uniform(0, 2 * np.pi, n)
    r = 5.5 + rng.normal(0, 0.35, n)
    return np.c_[r * np.cos(a), r * np.sin(a)], a
