"""Active-learning query strategies.

Pool samplers share one shape, ``select(k, *, proba=None, embeddings=None,
labeled=None) -> indices``, are seeded (``seed=``) and never modify their
inputs. ``get(name)`` builds one by name, including the playground's mixture
strings. ``ThresholdGate`` decides item by item on a stream.
"""

from .base import PoolSampler
from .diversity import GraphDensitySampler, InformativeDiverseSampler
from .gates import ThresholdGate, decide
from .kcenter import KCenterGreedySampler
from .mixture import Exp3Sampler, MixtureSampler
from .registry import SAMPLERS, get
from .uncertainty import EntropySampler, LeastConfidenceSampler, MarginSampler, UniformSampler

__all__ = [
    "SAMPLERS",
    "EntropySampler",
    "Exp3Sampler",
    "GraphDensitySampler",
    "InformativeDiverseSampler",
    "KCenterGreedySampler",
    "LeastConfidenceSampler",
    "MarginSampler",
    "MixtureSampler",
    "PoolSampler",
    "ThresholdGate",
    "UniformSampler",
    "decide",
    "get",
]
