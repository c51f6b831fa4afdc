"""Combinations of samplers: a fixed mixture, and an Exp3 bandit that learns which one pays."""

from __future__ import annotations

import math

import numpy as np

from .base import PoolSampler


def split_batch(k: int, weights: list[float]) -> list[int]:
    """Split ``k`` picks over weights by largest remainder.

    >>> split_batch(10, [0.33, 0.33, 0.34])
    [3, 3, 4]
    >>> split_batch(1, [0.5, 0.5])
    [1, 0]
    """
    total = sum(weights)
    exact = [k * w / total for w in weights]
    counts = [math.floor(e) for e in exact]
    for i in sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))[: k - sum(counts)]:
        counts[i] += 1
    return counts


class MixtureSampler(PoolSampler):
    """A batch shared between samplers in fixed proportions (the playground's mixture).

    Each sampler picks its share in turn; what an earlier one picked counts as
    labeled for the next, so picks stay distinct.

    >>> from hitl_widgets.samplers import MarginSampler, UniformSampler
    >>> mix = MixtureSampler({"margin": MarginSampler(), "uniform": UniformSampler(seed=1)}, [0.5, 0.5])
    >>> p = np.tile([[0.9, 0.1]], (10, 1)); p[7] = [0.5, 0.5]
    >>> picks = mix.select(4, proba=p)
    >>> len(set(picks.tolist())), int(picks[0])
    (4, 7)
    """

    needs = ()

    def __init__(self, samplers: dict[str, PoolSampler], weights: list[float], seed: int = 0):
        if len(samplers) != len(weights) or not samplers:
            raise ValueError(f"MixtureSampler: {len(samplers)} samplers but {len(weights)} weights")
        if any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValueError(f"MixtureSampler: weights must be non-negative with a positive sum, got {weights}")
        self.samplers = samplers
        self.weights = weights
        self.seed = seed

    def _select(self, k, *, proba, embeddings, labeled):
        taken = labeled.copy()
        picks: list[int] = []
        for sampler, count in zip(self.samplers.values(), split_batch(k, self.weights), strict=True):
            if count:
                chosen = sampler.select(count, proba=proba, embeddings=embeddings, labeled=taken)
                taken[chosen] = True
                picks.extend(chosen.tolist())
        return np.array(picks)


class Exp3Sampler(PoolSampler):
    """An Exp3 bandit over samplers (the playground's ``bandit_discrete``).

    Each ``select`` draws one sampler by the Exp3 probabilities and uses its
    picks; ``update(reward)``, with a reward in [0, 1] such as the accuracy
    gain after the batch was labeled, reweights the sampler that was used.

    >>> from hitl_widgets.samplers import MarginSampler, UniformSampler
    >>> bandit = Exp3Sampler({"margin": MarginSampler(), "uniform": UniformSampler()}, gamma=0.2, seed=0)
    >>> _ = bandit.select(2, proba=np.full((6, 2), 0.5))
    >>> bandit.update(1.0)
    >>> round(sum(bandit.probabilities().values()), 6)
    1.0
    """

    needs = ()

    def __init__(self, samplers: dict[str, PoolSampler], gamma: float = 0.1, seed: int = 0):
        if not samplers:
            raise ValueError("Exp3Sampler: give at least one sampler")
        if not 0 < gamma <= 1:
            raise ValueError(f"Exp3Sampler: gamma must be in (0, 1], got {gamma}")
        self.samplers = samplers
        self.gamma = gamma
        self.seed = seed

    def _log_weights(self) -> np.ndarray:
        if getattr(self, "_logw", None) is None:
            self._logw = np.zeros(len(self.samplers))
        return self._logw

    def probabilities(self) -> dict[str, float]:
        """The current probability of using each sampler."""
        logw = self._log_weights()
        w = np.exp(logw - logw.max())
        p = (1 - self.gamma) * w / w.sum() + self.gamma / len(w)
        return dict(zip(self.samplers, p.tolist(), strict=True))

    def _select(self, k, *, proba, embeddings, labeled):
        p = np.array(list(self.probabilities().values()))
        self._arm = int(self.rng.choice(len(p), p=p))
        self._arm_p = float(p[self._arm])
        sampler = list(self.samplers.values())[self._arm]
        return sampler.select(k, proba=proba, embeddings=embeddings, labeled=labeled)

    def update(self, reward: float) -> None:
        """Credit ``reward`` (clipped to [0, 1]) to the sampler used for the last batch."""
        if getattr(self, "_arm", None) is None:
            return
        r = min(max(float(reward), 0.0), 1.0)
        self._log_weights()[self._arm] += self.gamma * (r / self._arm_p) / len(self.samplers)
        self._arm = None
