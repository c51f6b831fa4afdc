"""Errors a user can act on: what was given, in a few words, and the name of what they called."""

from __future__ import annotations

import functools
import inspect
import numbers
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

SHORT = 40  # characters of a string quoted in a message


def looked_up(path_like: str | os.PathLike[str]) -> tuple[Path, bool, bool]:
    """A string or path as a path: ``(path, is a folder, exists)``; a text that cannot be a path is neither.

    >>> looked_up("free prize, call now")[1:]
    (False, False)
    """
    path = Path(path_like).expanduser()
    try:
        return path, path.is_dir(), path.exists()
    except (OSError, ValueError):  # a long text is no path (ENAMETOOLONG), nor one holding a NUL
        return path, False, False


def describe_given(x: Any) -> str:
    """``x`` described for an error message: its kind, its size, and what it holds.

    >>> describe_given([]), describe_given("hello world"), describe_given([1, 2.5]), describe_given(None)
    ('an empty list', "the string 'hello world'", 'a list of 2 numbers', 'None')
    >>> describe_given(["a", 1]), describe_given(np.arange(5.0)), describe_given({"a": [1, 2]})
    ('a list of 2 items mixing numbers and strings', 'a 1-D array of 5 float64', 'a dict with 1 key')
    >>> describe_given(x for x in "ab")
    'a generator'
    """
    if x is None:
        return "None"
    if isinstance(x, str):
        return f"the string {short_text(x)!r}"
    if isinstance(x, os.PathLike):
        return f"the path {short_text(os.fspath(x))!r}"
    if isinstance(x, bool):
        return f"the bool {x}"
    if isinstance(x, numbers.Number):
        return f"the number {x.item() if isinstance(x, np.generic) else x!r}"
    if isinstance(x, Mapping):
        return f"a dict with {_count(len(x), 'key')}"
    name = type(x).__name__
    if name == "DataFrame" and hasattr(x, "columns"):
        rows = "no rows" if len(x) == 0 else _count(len(x), "row")
        return f"a DataFrame with {rows} and {_count(len(x.columns), 'column')}"
    if name == "Series" and hasattr(x, "dtype"):
        return "an empty Series" if len(x) == 0 else f"a Series of {len(x)} {_dtype(x)} values"
    if isinstance(x, np.ndarray):
        if x.ndim == 1:
            return f"a 1-D array of {len(x)} {_dtype(x)}"
        return f"a {x.ndim}-D array of shape {x.shape} ({x.dtype})"
    if isinstance(x, (list, tuple, range)):
        if len(x) == 0:
            return f"an empty {name}"
        kinds = sorted({_plural_kind(v) for v in list(x[:100])})
        if len(kinds) == 1:
            return f"a {name} of {len(x)} {kinds[0]}"
        return f"a {name} of {len(x)} items mixing {' and '.join(kinds)}"
    if inspect.isgenerator(x):
        return "a generator"
    if isinstance(x, Iterator):
        return f"an iterator ({name})"
    return f"a {name}"


def _plural_kind(v: Any) -> str:
    if v is None:
        return "None values"
    if isinstance(v, str):
        return "strings"
    if isinstance(v, numbers.Number):
        return "numbers"
    if isinstance(v, Mapping):
        return "dicts"
    if isinstance(v, np.ndarray):
        return "arrays"
    return f"{type(v).__name__} objects"


def _dtype(x: Any) -> str:
    kind = getattr(x.dtype, "kind", "")
    return "strings" if kind in ("U", "S") else str(x.dtype)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def short_text(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 3] + "..."


# builders whose own prefix a caller's name replaces (the data layer speaks of "images", a session of itself)
BUILDERS = ("images", "Pool", "Session", "StreamSession", "item_session", "image_session")
F = TypeVar("F", bound=Callable[..., Any])


def in_words_of(who: str) -> Callable[[F], F]:
    """Decorate what a user calls (a widget's constructor, a session builder) so that every ``ValueError``
    and ``TypeError`` it raises starts with ``who:``, in place of the prefix of a builder it called.

    The exception keeps its type and traceback; only its message changes.

    >>> @in_words_of("Labeler")
    ... def build(items):
    ...     raise ValueError("images: got None; give a folder of images")
    >>> build(None)
    Traceback (most recent call last):
    ...
    ValueError: Labeler: got None; give a folder of images
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def named(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except (ValueError, TypeError) as exc:
                if exc.args and isinstance(exc.args[0], str):
                    exc.args = (_in_words_of(who, exc.args[0]), *exc.args[1:])
                raise

        return named  # type: ignore[return-value]

    return decorate


def _in_words_of(who: str, message: str) -> str:
    head, sep, rest = message.partition(": ")
    if sep and head in BUILDERS:
        message = rest
    return message if message.startswith(f"{who}: ") else f"{who}: {message}"
