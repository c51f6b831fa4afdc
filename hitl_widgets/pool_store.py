"""Where a pool's labels live in a store: its own namespace, found by its items' content.

One database can hold the labels of many pools (the default ``labels.db``
in a folder holds every pool labeled there), each under its own namespace
(the store's ``session``). A session finds its pool's namespace by looking
at which one holds answers about its items (same id, same content hash),
so a pool reopened, or grown by appending items, gets exactly its labels
back, and a label is never read back as another pool's. How a store is
given decides where a *new* pool goes:

- no store (``store=None``): the default store, ``labels.db`` in the
  working folder, with a namespace of its own for each pool;
- a path or URL: its ``"default"`` namespace, for one pool; if that holds
  another pool's labels, the store is refused and nothing is changed;
- a :class:`~hitl_widgets.store.LabelStore`: the namespace it names, which
  must be empty or hold this pool.
"""

from __future__ import annotations

import hashlib
import os

from .data import Pool
from .store import LabelStore
from .store.pools import StoredPool

DEFAULT_STORE = "labels.db"
NAMED_ITEMS = 16  # a new pool's namespace is named after its first items (the same as it grows)


def open_pool_store(store: LabelStore | str | os.PathLike[str] | None, pool: Pool) -> LabelStore:
    """The store (and namespace) that holds ``pool``'s labels; refused when a store given holds another pool.

    >>> import numpy as np
    >>> store = LabelStore(":memory:")
    >>> _ = store.record_label(0, "cat", item_hash=Pool.from_array(np.ones((2, 2))).item_hash(0))
    >>> open_pool_store(store, Pool.from_array(np.ones((3, 2)))).session   # the same items, one more
    'default'
    >>> open_pool_store(store, Pool.from_array(np.zeros((3, 2))))          # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the store sqlite:// holds the labels of another pool ('default': 1 answer about 1 item ...
    """
    if isinstance(store, LabelStore):
        held = {p.name: p for p in store.pools()}.get(store.session)
        if held is not None and not _hits(held, pool):
            raise ValueError(_another_pool(store, held))
        return store
    named = store is not None
    base = LabelStore(DEFAULT_STORE if store is None else store)
    held = base.pools()
    found = _holding(held, pool, prefer=base.session)
    if found is not None:
        return base.with_session(found.name)
    if not named:
        return base.with_session(pool_namespace(pool))
    occupied = next((p for p in held if p.name == base.session), None)
    if occupied is None:
        return base
    raise ValueError(_another_pool(base, occupied))


def pool_namespace(pool: Pool) -> str:
    """The namespace a new pool gets in the default store: named after its first items' content.

    >>> import numpy as np
    >>> pool_namespace(Pool.from_array(np.ones((20, 2)))) == pool_namespace(Pool.from_array(np.ones((40, 2))))
    True
    """
    first = "".join(pool.item_hash(row) for row in range(min(len(pool), NAMED_ITEMS)))
    return "pool-" + hashlib.blake2b(first.encode(), digest_size=6).hexdigest()


def _hits(held: StoredPool, pool: Pool, *, moved: bool = True) -> int:
    """How many of the sampled items the namespace answered are items of ``pool``: same id and content, or
    (``moved``) the same content elsewhere in the pool, which hashes the whole pool once."""
    find = pool.row_of if moved else pool.row_at
    return sum(find(item, item_hash) is not None for item, item_hash in held.sample)


def _holding(held: list[StoredPool], pool: Pool, *, prefer: str) -> StoredPool | None:
    """The namespace that holds most of ``pool``'s items (``prefer`` on a tie), or ``None``.

    Items at their ids are looked at first; only when no namespace holds
    any is the whole pool hashed, to find a pool whose items moved.
    """
    for moved in (False, True):
        scored = [(_hits(p, pool, moved=moved), p.name == prefer, p) for p in held]
        scored = [s for s in scored if s[0] > 0]
        if scored:
            return max(scored, key=lambda s: s[:2])[2]
    return None


def _another_pool(store: LabelStore, held: StoredPool) -> str:
    where = store.address
    return (
        f"the store {where} holds the labels of another pool ({held.describe()}); none of the items it "
        "answered is an item of this pool (by id and content). Nothing was changed. To label this pool, "
        "leave out store= (the default store, labels.db, keeps each pool apart), give another store "
        f"(store='another.db'), or name a second pool in this one: store=LabelStore({where!r}, session='name')"
    )
