"""User-facing errors: what was wrong, where, and what to do next.

The CLI prints these in one or two lines and exits with status 2. Anything else that
escapes is a bug. The message and the hint are catalogue messages (:mod:`greenit.i18n`),
shown in the user's language.
"""

from __future__ import annotations

import errno
import re
from typing import Any

from greenit.i18n import Joined, Message, msg

#: line breaks and tabs become spaces, other control characters (ESC…) a visible mark: an error
#: stays on its one or two lines and never drives the terminal, whatever a value holds
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    r"""``text`` on one line, without control characters.

    >>> one_line("FRA\n\x1b[2J")
    'FRA �[2J'
    """
    return _CONTROLS.sub("\ufffd", _LINE_BREAKS.sub(" ", text))


#: errno → catalogue entry of its reason, in the user's language (strerror is always English)
_OS_REASONS = {
    getattr(errno, name): f"system.os.{name}"
    for name in (
        "ENOSPC",
        "EDQUOT",
        "EACCES",
        "EPERM",
        "EROFS",
        "ENAMETOOLONG",
        "ENOENT",
        "ENOTDIR",
        "EISDIR",
        "EEXIST",
        "ELOOP",
        "EIO",
        "EBUSY",
        "ETXTBSY",
        "EFBIG",
        "EMFILE",
        "ENXIO",
        "EINVAL",
        "EXDEV",
    )
    if hasattr(errno, name)
}


def os_reason(exc: BaseException | None) -> Message | str:
    """Why the system refused (``exc.errno``) as a catalogue message; the system's words otherwise."""
    if exc is None:
        return ""
    key = _OS_REASONS.get(getattr(exc, "errno", None))
    if key is not None:
        return msg(key)
    return getattr(exc, "strerror", None) or str(exc)


def _message(value: Any, role: str) -> Any:
    """``value`` when it is a catalogue message (rendered in the reader's language), else a
    TypeError: a GreenitError says nothing in one language only.
    """
    if value is None and role == "hint":
        return None
    if isinstance(value, Message | Joined):
        return value
    raise TypeError(
        f"GreenitError's {role} must be a catalogue message (GreenitError.of(key, hint, **values)), "
        f"not {type(value).__name__}: {value!r:.80}"
    )


class GreenitError(Exception):
    """A mistake in what the user gave greenit (file, column, unit, option).

    Its message and hint are catalogue messages, French and English: build it with
    :meth:`of` (catalogue keys) or from :func:`greenit.i18n.msg` messages, never from text.
    """

    exit_code = 2

    def __init__(self, message: Message | Joined, hint: Message | Joined | None = None) -> None:
        self.message = _message(message, "message")
        self.hint = _message(hint, "hint")
        super().__init__(str(self.message))

    @classmethod
    def of(cls, key: str, hint: str | None = None, /, **params: Any) -> GreenitError:
        """The error of catalogue entry ``key``, with the hint entry ``hint`` (same values)."""
        return cls(msg(key, **params), msg(hint, **params) if hint else None)

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language), its hint on a second line."""
        text = one_line(self.message.render(lang))
        return text if self.hint is None else f"{text}\n  → {one_line(self.hint.render(lang))}"

    def __str__(self) -> str:
        return self.render()


class InputFileError(GreenitError):
    """An input file that cannot be read or whose layout is not recognised."""


class FactorTableError(GreenitError):
    """An emission-factor table that is missing, malformed or points to no source."""


class UnitError(GreenitError):
    """A quantity whose unit cannot be understood or has the wrong dimension."""
