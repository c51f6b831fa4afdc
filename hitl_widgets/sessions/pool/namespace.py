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
import warnings

from ...data import Pool
from ...store import LabelStore
from ...store.pools import StoredPool

DEFAULT_STORE = "labels.db"
NAMED_ITEMS = 16  # a new pool's namespace is named after its first items (the same as it grows)


def open_pool_store(store: LabelStore | str | os.PathLike[str] | None, pool: Pool) -> LabelStore:
    """The store (and namespace) that holds ``pool``'s labels; refused when a store given holds another pool.

    Answers a store of an earlier version kept without their items' content
    can only be matched by id: a store given by path uses them so (with a
    warning), the default store leaves them where they are.

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
        held = store.pools(only=store.namespace)
        if held and not any(_hits(held[0], pool, moved=True)):
            raise ValueError(_another_pool(store, held[0]))
        if held and not held[0].hashed:
            _warn_unchecked(store, held[0])
        return store
    named = store is not None
    base = LabelStore(DEFAULT_STORE if store is None else store)
    held = base.pools()
    found = _holding(held, pool, prefer=base.session, by_id=named)
    if found is not None:
        if not found.hashed:
            _warn_unchecked(base, found)
        return base.with_namespace(found.name)
    if not named:
        old = [p for p in held if not p.hashed and _hits(p, pool, moved=False)[1]]
        if old:
            warnings.warn(
                f"the default store {base.address} holds answers from an earlier version of hitl_widgets "
                f"({old[0].describe()}), kept without their items' content, so they cannot be told to be this "
                f"pool's: they are left out. To use them, name that store: store={base.address!r}",
                UserWarning,
                stacklevel=3,
            )
        return base.with_namespace(pool_namespace(pool))
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


def _hits(held: StoredPool, pool: Pool, *, moved: bool) -> tuple[int, int]:
    """How many of the sampled items the namespace answered are items of ``pool``: ``(by content, by id
    only)``. By content: the same id with the same content, or (``moved``) the same content anywhere in the
    pool, which hashes the whole pool once. By id only: answers kept without a hash, at an id of the pool."""
    checked = by_id = 0
    for item, item_hash in held.sample:
        if item_hash is None:
            by_id += pool.row_at(item, None) is not None
        else:
            checked += pool.row_at(item, item_hash) is not None or (moved and pool.holds(item_hash))
    return checked, by_id


def _holding(held: list[StoredPool], pool: Pool, *, prefer: str, by_id: bool) -> StoredPool | None:
    """The namespace that holds most of ``pool``'s items (``prefer`` on a tie), or ``None``.

    Items at their ids are looked at first; only when no namespace holds
    any is the whole pool hashed, to find a pool whose items moved; then,
    with ``by_id``, answers kept without a hash are taken by their ids.
    """
    for moved, which in ((False, 0), (True, 0), (False, 1)):
        if which == 1 and not by_id:
            break
        scored = [(_hits(p, pool, moved=moved)[which], p.name == prefer, p) for p in held]
        scored = [s for s in scored if s[0] > 0]
        if scored:
            return max(scored, key=lambda s: s[:2])[2]
    return None


def _warn_unchecked(store: LabelStore, held: StoredPool) -> None:
    warnings.warn(
        f"the store {store.address} holds answers from an earlier version of hitl_widgets ({held.describe()}), "
        "kept without their items' content: they are matched to this pool by id only",
        UserWarning,
        stacklevel=4,
    )


def _another_pool(store: LabelStore, held: StoredPool) -> str:
    where = store.address
    named = repr(where) if store.url.startswith("sqlite") else "url"  # a server's address hides its password
    return (
        f"the store {where} holds the labels of another pool ({held.describe()}); none of the items it "
        "answered is an item of this pool (by id and content). Nothing was changed. To label this pool, "
        "leave out store= (the default store, labels.db, keeps each pool apart), give another store "
        f"(store='another.db'), or name a second pool in this one: store=LabelStore({named}, session='name')"
    )
