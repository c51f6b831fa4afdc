"""Leases on a real PostgreSQL server: eight annotator processes label one pool at once, one of them is
killed with SIGKILL while it holds leases."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from postgres_server import INITDB

from hitl_widgets import LabelStore
from hitl_widgets.store.leases import LeaseBook, in_overlap

pytestmark = pytest.mark.skipif(not os.path.exists(INITDB), reason="PostgreSQL server binaries not installed")
POOL, PER_ANNOTATOR, OVERLAP, LEASE = 1700, 200, 0.1, 4.0

WORKER = textwrap.dedent("""
    import random, sys, time
    from hitl_widgets import LabelStore
    from hitl_widgets.store.leases import LeaseBook
    url, name, n, pool, overlap, lease, hold = sys.argv[1:8]
    store = LabelStore(url, session="pool")
    book = LeaseBook(store, name, lease_seconds=float(lease), overlap=float(overlap))
    order = list(range(int(pool)))
    random.Random(name).shuffle(order)                 # everyone wants different items first, then the same
    order = order[:50] + sorted(order[50:])
    for _ in range(int(n)):
        (item,) = book.claim(order, 1)
        store.record_label(item, item % 3, annotator=name)
        print("ACK", item, flush=True)
    if hold == "1":                                    # take leases and vanish without a word
        print("HELD", *book.claim(order, 5), flush=True)
        time.sleep(600)
""")


def start(url: str, name: str, n: int, hold: bool) -> subprocess.Popen:
    args = [url, name, str(n), str(POOL), str(OVERLAP), str(LEASE), "1" if hold else "0"]
    return subprocess.Popen([sys.executable, "-c", WORKER, *args], stdout=subprocess.PIPE, text=True)


def lease_intervals(url: str) -> dict[int, list[tuple[float, float, str]]]:
    """Per item: (start, end, annotator) of every lease, ended by its expiry, a release or the holder's label."""
    store = LabelStore(url, session="pool")
    answered = {(r.item_id, r.annotator): r.created_at for r in store.events()}
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT item_id, annotator, created_at, expires_at FROM hitl_leases WHERE kind = 'lease' ORDER BY id"
        ).all()
    out: dict[int, list[tuple[float, float, str]]] = {}
    for item_json, who, began, expires in rows:
        item = json.loads(item_json)
        answer = answered.get((item, who))
        end = min(expires, answer) if answer is not None and answer >= began else expires
        out.setdefault(item, []).append((began, end, who))
    return out


def most_at_once(spans: list[tuple[float, float, str]]) -> int:
    """The most different annotators holding one item at the same moment."""
    best = 0
    for t, _, _ in spans:
        best = max(best, len({who for b, e, who in spans if b <= t < e}))
    return best


@pytest.mark.slow
def test_eight_annotators_at_once_and_one_killed_while_holding_leases(postgres_url):
    LabelStore(postgres_url, session="pool")  # the tables, before eight processes race to make them
    LeaseBook(LabelStore(postgres_url, session="pool"), "setup")
    workers = {f"a{i}": start(postgres_url, f"a{i}", PER_ANNOTATOR, hold=i == 7) for i in range(8)}
    acked: dict[str, list[int]] = {name: [] for name in workers}
    held: list[int] = []
    late = LeaseBook(LabelStore(postgres_url, session="pool"), "late", lease_seconds=LEASE, overlap=OVERLAP)
    for name in ["a7", *[n for n in workers if n != "a7"]]:
        for line in workers[name].stdout:
            word, *items = line.split()
            if word == "ACK":
                acked[name].append(int(items[0]))
            else:
                held = [int(i) for i in items]
                workers[name].send_signal(signal.SIGKILL)  # holding five leases
                killed_at = time.time()
                now = late.claim(held, 5)  # nobody else gets them while the leases last (but the overlap's second)
                assert all(in_overlap(i, OVERLAP) for i in now)
                break
        workers[name].wait(120)
    assert len(held) == 5 and all(len(a) == PER_ANNOTATOR for a in acked.values())

    store = LabelStore(postgres_url, session="pool")
    labels = [(r.item_id, r.annotator) for r in store.events() if r.kind == "label"]
    assert sorted(labels) == sorted((i, name) for name, items in acked.items() for i in items)  # none lost
    assert len(set(labels)) == len(labels)  # nobody labeled an item twice
    per_item: dict[int, int] = {}
    for item, _ in labels:
        per_item[item] = per_item.get(item, 0) + 1
    assert all(n <= (2 if in_overlap(i, OVERLAP) else 1) for i, n in per_item.items())
    assert any(n == 2 for n in per_item.values())  # the overlap did go to two annotators

    for item, spans in lease_intervals(postgres_url).items():  # never two holders at once outside the overlap
        assert most_at_once(spans) <= (2 if in_overlap(item, OVERLAP) else 1), (item, spans)

    time.sleep(max(0.0, killed_at + LEASE + 0.5 - time.time()))
    labelers = {i: {who for j, who in labels if j == i} for i in held}
    still_open = [i for i in held if len(labelers[i]) < (2 if in_overlap(i, OVERLAP) else 1)]
    back = late.claim(held, 5)
    assert sorted(back) == sorted(still_open)  # after the leases ran out: free again, unless labeled enough by others
