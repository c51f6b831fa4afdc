"""Interactive code paths run single-threaded.

On small shared machines, multi-threaded torch on tiny tensors ran 10-50x
slower under load; a click must not wait for a thread pool. The setting is
restored afterwards, so the user's own torch work keeps its threads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch


@contextlib.contextmanager
def single_threaded() -> Iterator[None]:
    """Run the block with one intra-op torch thread.

    >>> with single_threaded():
    ...     torch.get_num_threads()
    1
    """
    before = torch.get_num_threads()
    if before != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if before != 1:
            torch.set_num_threads(before)
