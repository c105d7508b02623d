"""Values a frame carries in ``attrs`` that cannot change, so that pandas need not copy them.

pandas deep-copies a frame's ``attrs`` into every frame or column an operation returns
(``DataFrame.__finalize__``): a header report or a file's notes carried by the rows of an
inventory were copied thousands of times per estimate — a few percent of the test suite's time.
:func:`frozen` gives such a value as dicts and lists that refuse every change; ``copy.deepcopy``
hands them back as they are, which is safe only because nothing can change them. They compare,
print and serialise (``json``, ``pickle``) as the plain dict or list they hold.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any, NoReturn

import numpy as np

#: Types whose values never change: shared as they are.
_ATOMS = (str, int, float, complex, bytes, type(None), _dt.date, _dt.time, _dt.timedelta, np.generic)


def _refuse(self: object, *args: object, **kwargs: object) -> NoReturn:
    raise TypeError(f"{type(self).__name__} cannot change (a value carried in a frame's attrs)")


class FrozenDict(dict):
    """A dict that refuses every change; ``copy.copy``/``copy.deepcopy`` give it back itself.

    >>> import copy
    >>> report = frozen({"used": {"Nom": "name"}, "notes": []})
    >>> copy.deepcopy(report) is report, report == {"used": {"Nom": "name"}, "notes": []}
    (True, True)
    >>> report["used"]["Type"] = "category"
    Traceback (most recent call last):
    TypeError: FrozenDict cannot change (a value carried in a frame's attrs)
    """

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, memo: dict) -> FrozenDict:
        return self

    def __reduce__(self) -> tuple:
        return (FrozenDict, (dict(self),))


class FrozenList(list):
    """A list that refuses every change; ``copy.copy``/``copy.deepcopy`` give it back itself."""

    __slots__ = ()
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse

    def __copy__(self) -> FrozenList:
        return self

    def __deepcopy__(self, memo: dict) -> FrozenList:
        return self

    def __reduce__(self) -> tuple:
        return (FrozenList, (list(self),))


class FrozenTuple(tuple):
    """A tuple ``copy.deepcopy`` gives back itself (its items cannot change either)."""

    __slots__ = ()

    def __copy__(self) -> FrozenTuple:
        return self

    def __deepcopy__(self, memo: dict) -> FrozenTuple:
        return self


def frozen(value: Any) -> Any:
    """``value`` with its dicts, lists and tuples frozen (:class:`FrozenDict`, :class:`FrozenList`,
    :class:`FrozenTuple`), all the way down. ``value`` itself, unchanged, when it holds
    anything that could change and is not a dict or list (an array, a mutable object): such a
    value is copied by pandas as before.

    >>> frozen({"notes": [1, "a"]})["notes"].__class__.__name__, frozen([[], bytearray()]).__class__.__name__
    ('FrozenList', 'list')
    """
    try:
        return _frozen(value)
    except _Mutable:
        return value


class _Mutable(Exception):
    """A value that could change inside what :func:`frozen` was given."""


def _frozen(value: Any) -> Any:
    if type(value) is dict:
        return FrozenDict({k: _frozen(v) for k, v in value.items()})
    if type(value) is list:
        return FrozenList(_frozen(v) for v in value)
    if type(value) is tuple:
        return FrozenTuple(_frozen(v) for v in value)
    if _immutable(value):
        return value
    raise _Mutable(type(value).__name__)


def _immutable(value: Any) -> bool:
    """Whether nothing in ``value`` can change: atoms, frozen containers of such, frozen
    dataclasses of such (a message, a header match).
    """
    if isinstance(value, (FrozenDict, FrozenList, *_ATOMS)):
        return True
    if isinstance(value, tuple | frozenset):
        return all(_immutable(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return bool(value.__dataclass_params__.frozen) and all(  # type: ignore[attr-defined]
            _immutable(getattr(value, field.name)) for field in dataclasses.fields(value)
        )
    return False
