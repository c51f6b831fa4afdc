"""One label lookup for every widget and session: a label from itself, its shown name, or its key.

A page sends a class *index* (the key pressed, the button clicked); Python
callers pass the label itself or its name as shown (``"3"`` for the label
``3``). Errors name what was wrong and what the labels are, not a widget.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from .learners.protocol import plain_label


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
