"""One label lookup for every widget and session: a label from itself, its shown name, or its key.

A page sends a class *index* (the key pressed, the button clicked); Python
callers pass the label itself or its name as shown (``"3"`` for the label
``3``). Errors name what was wrong and what the labels are, not a widget.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from ..learners.protocol import plain_label


def label_name(y: Hashable) -> str:
    """A label as shown on a page (``None``: no label, an empty string).

    >>> label_name(3), label_name("cat"), label_name(None)
    ('3', 'cat', '')
    """
    return "" if y is None else str(y)


def class_value(y: Any, classes: Sequence[Hashable], *, open_classes: bool = False) -> Hashable:
    """The label object for ``y``: one of ``classes``, or its shown name; with ``open_classes`` any new label.

    >>> class_value("7", [0, 7]), class_value(7, [0, 7])
    (7, 7)
    >>> class_value("cat", ["dog"])
    Traceback (most recent call last):
    ...
    ValueError: 'cat' is not a label; the labels are ['dog']
    """
    y = plain_label(y)
    if y is None:
        raise ValueError("no label given")
    try:
        if y in classes:
            return y
    except TypeError:
        raise ValueError(f"a label must be a string or a number, got {type(y).__name__}") from None
    if isinstance(y, str):
        for c in classes:
            if label_name(c) == y:
                return c
    if open_classes:
        return y
    raise ValueError(f"{y!r} is not a label; the labels are {list(classes)}")


def class_at(index: Any, classes: Sequence[Hashable]) -> Hashable:
    """The label at a page's class index (key ``1`` is index 0).

    >>> class_at(1, ["ham", "spam"])
    'spam'
    """
    if isinstance(index, bool) or not isinstance(index, int):
        raise ValueError(f"a label's index must be a whole number, got {index!r}")
    if not 0 <= index < len(classes):
        raise ValueError(f"there are {len(classes)} labels; key {index + 1} has none")
    return classes[index]


def check_store_labels(events: Sequence[Any], classes: Sequence[Hashable], where: str) -> None:
    """Refuse a store labeled with labels outside ``classes``, before anything changes, saying what to do.

    >>> from types import SimpleNamespace as Event
    >>> check_store_labels([Event(kind="label", label=3)], ["zero", "one"], "labels.db")
    Traceback (most recent call last):
    ...
    ValueError: the store labels.db holds labels that are not in the label set ['zero', 'one']: 3 (1 label in \
the store, 1 answer). Nothing was changed. To go on with this store, add its labels to the label set \
(['zero', 'one', 3]); to start afresh with this label set, open another store (store='another.db')
    """
    answers = [r.label for r in events if r.kind == "label"]
    stored = list(dict.fromkeys(answers))
    foreign = [y for y in stored if y not in classes]
    if not foreign:
        return
    shown = ", ".join(map(repr, foreign[:8])) + (f" and {len(foreign) - 8} more" if len(foreign) > 8 else "")
    count = f"{_plural(len(stored), 'label')} in the store, {_plural(len(answers), 'answer')}"
    raise ValueError(
        f"the store {where} holds labels that are not in the label set {list(classes)}: {shown} ({count}). "
        f"Nothing was changed. To go on with this store, add its labels to the label set "
        f"({list(classes) + foreign!r}); to start afresh with this label set, open another store "
        "(store='another.db')"
    )


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
