"""Samplers that spread a batch: informative-diverse (margin + k-means shares) and graph density."""

from __future__ import annotations

import numpy as np

from . import scores
from .base import PoolSampler, require_finite


class _PerPoolCache:
    """Remembers one expensive pool-level result (clusters, a graph) per embeddings array."""

    def _cached(self, embeddings: np.ndarray, build):
        key = (id(embeddings), embeddings.shape, float(embeddings.flat[0]), float(embeddings.flat[-1]))
        if getattr(self, "_cache_key", None) != key:
            self._cache_value = build(embeddings)
            self._cache_key = key
        return self._cache_value


class InformativeDiverseSampler(PoolSampler, _PerPoolCache):
    """Lowest-margin items, with the batch spread over k-means clusters in the pool's proportions.

    The playground's ``informative_diverse``: walk the pool by margin and take
    an item while its cluster holds less than its share of the batch; fill any
    remaining slots by margin. ``n_clusters`` defaults to the number of classes.

    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(-5, 1, (50, 2)), rng.normal(5, 1, (50, 2))])
    >>> p = np.full((100, 2), 0.5); p[:50] = [0.45, 0.55]   # the left blob is the least sure
    >>> picks = InformativeDiverseSampler(seed=0).select(4, proba=p, embeddings=X)
    >>> sorted(int(i >= 50) for i in picks)  # yet half of the batch comes from each cluster
    [0, 0, 1, 1]
    """

    needs = ("proba", "embeddings")

    def __init__(self, n_clusters: int | None = None, seed: int = 0):
        self.n_clusters = n_clusters
        self.seed = seed

    def _select(self, k, *, proba, embeddings, labeled):
        s = scores.margin(proba)
        require_finite(s, "proba", type(self).__name__)
        require_finite(embeddings, "embeddings", type(self).__name__)
        n_clusters = min(self.n_clusters or proba.shape[1], len(embeddings))
        clusters = self._cached(embeddings, lambda X: _kmeans_labels(X, n_clusters, self.seed))
        share = np.bincount(clusters, minlength=n_clusters) / len(clusters)
        ranked = scores.top_k(s, int((~labeled).sum()), exclude=labeled)
        taken = np.zeros(n_clusters, dtype=int)
        picks = []
        for i in ranked:
            if taken[clusters[i]] < share[clusters[i]] * k:
                picks.append(int(i))
                taken[clusters[i]] += 1
                if len(picks) == k:
                    return np.array(picks)
        chosen = set(picks)
        picks.extend(int(i) for i in ranked if int(i) not in chosen)
        return np.array(picks[:k])


def _kmeans_labels(X: np.ndarray, n_clusters: int, seed: int) -> np.ndarray:
    from sklearn.cluster import MiniBatchKMeans

    return MiniBatchKMeans(n_clusters, random_state=seed, n_init=3).fit_predict(X)


class GraphDensitySampler(PoolSampler, _PerPoolCache):
    """Items in dense regions of a k-nearest-neighbour graph, neighbours discounted after each pick.

    Ebert et al. (2012), as in the playground: density is the mean edge weight
    ``exp(-distance / D)`` over an item's neighbours; picking an item lowers its
    neighbours' density by its own.

    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [0.1, 0.1], [9.0, 9.0], [9.1, 9.0]])
    >>> GraphDensitySampler(n_neighbors=2).select(2, embeddings=X).tolist()
    [0, 4]
    """

    needs = ("embeddings",)

    def __init__(self, n_neighbors: int = 10, seed: int = 0):
        self.n_neighbors = n_neighbors
        self.seed = seed

    def _select(self, k, *, proba, embeddings, labeled):
        require_finite(embeddings, "embeddings", type(self).__name__)
        graph, density = self._cached(embeddings, self._graph)
        density = density.copy()
        floor = density.min() - 1.0
        density[labeled] = floor
        picks = []
        for _ in range(k):
            i = int(np.argmax(density))
            picks.append(i)
            row = graph.indices[graph.indptr[i] : graph.indptr[i + 1]]
            density[row] -= density[i]
            floor = min(floor, density.min() - 1.0)
            density[labeled] = floor
            density[picks] = floor
        return np.array(picks)

    def _graph(self, X: np.ndarray):
        from sklearn.neighbors import kneighbors_graph

        n_neighbors = min(self.n_neighbors, len(X) - 1)
        if n_neighbors < 1:
            import scipy.sparse as sp

            return sp.csr_matrix((len(X), len(X))), np.zeros(len(X))
        graph = kneighbors_graph(X, n_neighbors, mode="distance")
        graph = graph.maximum(graph.T).tocsr()  # symmetric: i ~ j if either is among the other's neighbours
        graph.data = np.exp(-graph.data / X.shape[1])
        counts = np.diff(graph.indptr)
        density = np.asarray(graph.sum(axis=1)).ravel() / np.maximum(counts, 1)
        return graph, density
