"""Samplers by name, including the playground's mixture strings."""

from __future__ import annotations

from typing import Any

from .base import PoolSampler
from .diversity import GraphDensitySampler, InformativeDiverseSampler
from .kcenter import KCenterGreedySampler
from .mixture import Exp3Sampler, MixtureSampler
from .uncertainty import EntropySampler, LeastConfidenceSampler, MarginSampler, UniformSampler

SAMPLERS: dict[str, type[PoolSampler]] = {
    "uniform": UniformSampler,
    "least_confidence": LeastConfidenceSampler,
    "margin": MarginSampler,
    "entropy": EntropySampler,
    "kcenter": KCenterGreedySampler,
    "informative_diverse": InformativeDiverseSampler,
    "graph_density": GraphDensitySampler,
}
ALIASES = {
    "random": "uniform",
    "least-confidence": "least_confidence",
    "lc": "least_confidence",
    "k_center": "kcenter",
    "kcenter_greedy": "kcenter",
    "k-center": "kcenter",
    "coreset": "kcenter",
    "informative-diverse": "informative_diverse",
    "graph-density": "graph_density",
}


def get(name: str, *, seed: int = 0, active_sampling_percentage: float = 1.0, **params: Any) -> PoolSampler:
    """A sampler by name: one of :data:`SAMPLERS`, ``"bandit"``, or a mixture string.

    ``active_sampling_percentage`` < 1 gives that share of every batch to the
    named sampler and the rest to uniform sampling (the playground's option).

    >>> get("margin")
    MarginSampler(seed=0)
    >>> mix = get("mixture_of_samplers-margin-0.33-informative_diverse-0.33-uniform-0.34")
    >>> list(mix.samplers), mix.weights
    (['margin', 'informative_diverse', 'uniform'], [0.33, 0.33, 0.34])
    >>> get("entropy", active_sampling_percentage=0.8).weights
    [0.8, 0.2]
    >>> get("bandit").probabilities()
    {'margin': 0.5, 'uniform': 0.5}
    >>> get("best")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown sampler 'best'; choose one of: uniform, least_confidence, margin, ...
    """
    if not 0 < active_sampling_percentage <= 1:
        raise ValueError(f"active_sampling_percentage must be in (0, 1], got {active_sampling_percentage}")
    if active_sampling_percentage < 1:
        main = get(name, seed=seed, **params)
        return MixtureSampler(
            {_canonical(name): main, "uniform": UniformSampler(seed=seed + 1)},
            [active_sampling_percentage, round(1 - active_sampling_percentage, 12)],
            seed=seed,
        )
    if name.startswith("mixture_of_samplers"):
        return _parse_mixture(name, seed)
    if name in ("bandit", "bandit_discrete", "exp3"):
        arms = params.pop("samplers", ["margin", "uniform"])
        return Exp3Sampler({a: get(a, seed=seed + i) for i, a in enumerate(arms)}, seed=seed, **params)
    return SAMPLERS[_canonical(name)](seed=seed, **params)


def _canonical(name: str) -> str:
    key = ALIASES.get(name, name)
    if key not in SAMPLERS:
        choices = ", ".join([*SAMPLERS, "bandit"])
        raise ValueError(
            f"unknown sampler {name!r}; choose one of: {choices}, or 'mixture_of_samplers-NAME-WEIGHT-...'"
        )
    return key


def _parse_mixture(spec: str, seed: int) -> MixtureSampler:
    parts = spec.split("-")[1:]
    if not parts or len(parts) % 2:
        raise ValueError(f"mixture {spec!r}: expected 'mixture_of_samplers-NAME-WEIGHT[-NAME-WEIGHT...]'")
    names, weights = parts[0::2], []
    for w in parts[1::2]:
        try:
            weights.append(float(w))
        except ValueError:
            raise ValueError(f"mixture {spec!r}: weight {w!r} is not a number") from None
    if abs(sum(weights) - 1) > 0.011:
        raise ValueError(f"mixture {spec!r}: weights sum to {sum(weights):.3f}, not 1")
    samplers = {_canonical(n): get(n, seed=seed + i) for i, n in enumerate(names)}
    return MixtureSampler(samplers, weights, seed=seed)
