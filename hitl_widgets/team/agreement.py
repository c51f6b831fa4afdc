"""How much a team's annotators agree, on the items several of them labeled, and the final labels.

The figures come from well-kept libraries: Cohen's and Fleiss' kappa from
statsmodels' inter-rater module, Krippendorff's alpha from ``krippendorff``
(``pip install "hitl_widgets[team]"``). Every figure comes with the counts
behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from ..store import LabelRecord, LabelStore
from ..store.label_store import answers_by_annotator, namespace_of


@dataclass
class Agreement:
    """Agreement figures of one labeling session, with their counts."""

    pairs: Any  # DataFrame: annotator_a, annotator_b, items (both labeled), agreed, cohen_kappa
    fleiss_kappa: float | None
    fleiss_items: int  # items with the most common number of labels (Fleiss needs the same number per item)
    fleiss_raters: int
    alpha: float | None  # Krippendorff's alpha, nominal, on every item labeled by two or more
    alpha_items: int
    annotators: list[str]
    disagreements: list[Hashable]  # items whose annotators gave different labels

    def __repr__(self) -> str:
        def fmt(v: float | None) -> str:
            return "n/a" if v is None or np.isnan(v) else f"{v:.3f}"

        return (
            f"Agreement({len(self.annotators)} annotators; Krippendorff's alpha {fmt(self.alpha)} on "
            f"{self.alpha_items} items; Fleiss' kappa {fmt(self.fleiss_kappa)} on {self.fleiss_items} items x "
            f"{self.fleiss_raters} labels; {len(self.pairs)} pairs; {len(self.disagreements)} disagreements)"
        )


def labels_by_annotator(store: LabelStore) -> dict[Hashable, dict[str, Hashable]]:
    """{item: {annotator: their current label}} from the log (undone labels left out, a relabel replaces)."""
    return answers_by_annotator(store.events())


def agreement(store: LabelStore | str, namespace: str | None = None, *, session: str | None = None) -> Agreement:
    """Agreement on the items labeled by two or more annotators of ``store`` (a store, a path or a URL).

    >>> store = LabelStore(":memory:", namespace="team")
    >>> for item, (a, b) in enumerate([("cat", "cat"), ("dog", "dog"), ("cat", "dog"), ("dog", "dog")]):
    ...     _ = store.record_label(item, a, annotator="ana"); _ = store.record_label(item, b, annotator="bo")
    >>> result = agreement(store)
    >>> result.pairs[["items", "agreed"]].values.tolist(), result.disagreements
    ([[4, 3]], [2])
    """
    store = LabelStore.of(store, namespace_of(namespace, session, "agreement"))
    return agreement_of(store.events())


def agreement_of(records: list[LabelRecord]) -> Agreement:
    """:func:`agreement` on events read already (a dashboard reads the log once per look)."""
    import pandas as pd

    try:
        from krippendorff import alpha as krippendorff_alpha
        from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa, to_table
    except ImportError as exc:
        raise ImportError(
            f"agreement figures need krippendorff and statsmodels ({exc.name} is missing): "
            'pip install "hitl_widgets[team]"'
        ) from None

    shared = {item: by for item, by in answers_by_annotator(records).items() if len(by) >= 2}
    annotators = sorted({a for by in shared.values() for a in by})
    categories = sorted({str(y) for by in shared.values() for y in by.values()})
    code = {c: i for i, c in enumerate(categories)}
    rows = []
    for a, b in combinations(annotators, 2):
        both = [(code[str(by[a])], code[str(by[b])]) for by in shared.values() if a in by and b in by]
        kappa = None
        if both:
            table, _ = to_table(np.array(both), bins=len(categories))
            kappa = float(cohens_kappa(table, return_results=False)) if len(categories) > 1 else None
        agreed = sum(x == y for x, y in both)
        rows.append({"annotator_a": a, "annotator_b": b, "items": len(both), "agreed": agreed, "cohen_kappa": kappa})
    pairs = pd.DataFrame(rows, columns=["annotator_a", "annotator_b", "items", "agreed", "cohen_kappa"])

    counts = Counter(len(by) for by in shared.values())
    raters = counts.most_common(1)[0][0] if counts else 0
    same = [[code[str(y)] for y in by.values()] for by in shared.values() if len(by) == raters]
    fleiss = float(fleiss_kappa(aggregate_raters(np.array(same), n_cat=len(categories))[0])) if same else None
    reliability = np.full((len(annotators), len(shared)), np.nan)
    for j, by in enumerate(shared.values()):
        for a, y in by.items():
            reliability[annotators.index(a), j] = code[str(y)]
    alpha = (
        float(krippendorff_alpha(reliability_data=reliability, level_of_measurement="nominal"))
        if len(shared) and len(categories) > 1
        else None
    )
    disagreements = [item for item, by in shared.items() if len({str(y) for y in by.values()}) > 1]
    return Agreement(pairs, fleiss, len(same), raters, alpha, len(shared), annotators, disagreements)


def final_labels(store: LabelStore) -> dict[Hashable, Hashable | None]:
    """{item: final label}: an adjudicator's choice where there is one, else the majority (None on a tie).

    >>> store = LabelStore(":memory:")
    >>> _ = store.record_label(1, "cat", annotator="ana"); _ = store.record_label(1, "dog", annotator="bo")
    >>> _ = store.record_label(2, "dog", annotator="ana")
    >>> final_labels(store)
    {1: None, 2: 'dog'}
    >>> _ = store.record_final(1, "cat", annotator="judge"); final_labels(store)
    {1: 'cat', 2: 'dog'}
    """
    return finals_of(store.events())


def finals_of(records: list[LabelRecord]) -> dict[Hashable, Hashable | None]:
    """:func:`final_labels` on events read already."""
    final: dict[Hashable, Hashable | None] = {}
    for item, by in answers_by_annotator(records).items():
        top = Counter(by.values()).most_common(2)
        final[item] = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else None
    for r in records:
        if r.kind == "final":
            final[r.item_id] = r.label
    return final
