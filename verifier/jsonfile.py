"""The one reader for every JSON document the tool reads (instances, networks, certificates, checkpoints).

It decides, once, what a well-formed document is: UTF-8 text of at most `MAX_BYTES` bytes; valid JSON with
no duplicate key in any object (a document with `lambda` twice would be checked with one value and read by a
person with the other); nesting at most `MAX_DEPTH` deep; integers of at most `numbers.MAX_DIGITS` digits;
decimals kept exact (`Decimal`). Anything else raises the error type the caller names, with one line that
names the file and the problem.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from .errors import InputError, VerifierError
from .numbers import MAX_DIGITS

__all__ = ["MAX_BYTES", "MAX_DEPTH", "load_json", "parse_json"]

MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64


class _Invalid(Exception):
    pass


def _object(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _Invalid(f"duplicate key {key!r}")
        out[key] = value
    return out


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Invalid(f"an integer with {len(text.lstrip('-'))} digits (at most {MAX_DIGITS} are allowed)")
    return int(text)


def _decimal(text: str) -> Decimal:
    if len(text) > MAX_DIGITS:
        raise _Invalid(f"a number written with {len(text)} characters (at most {MAX_DIGITS} are allowed)")
    return Decimal(text)


def _constant(text: str):
    raise _Invalid(f"{text} is not a number (JSON has no NaN or Infinity)")


def _depth(value) -> int:
    """Nesting depth, computed without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _error(error: type[VerifierError], where: str, problem: str) -> VerifierError:
    return InputError(where, problem) if error is InputError else error(f"{where}: {problem}")


def parse_json(text: str | bytes, where: str, error: type[VerifierError] = InputError):
    """Parse `text` under the rules above; `where` names the source in the error message."""
    def fail(problem: str) -> VerifierError:
        return _error(error, where, problem)

    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise fail(f"larger than {MAX_BYTES} bytes")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise fail(f"not UTF-8 text (byte {exc.start})") from None
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_int=_integer, parse_float=_decimal,
                           parse_constant=_constant)
    except _Invalid as exc:
        raise fail(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise fail(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise fail(f"nested more than {MAX_DEPTH} levels deep") from None
    if _depth(value) > MAX_DEPTH:
        raise fail(f"nested more than {MAX_DEPTH} levels deep")
    return value


def load_json(path: str | Path, error: type[VerifierError] = InputError):
    """Read and parse a JSON file under the rules above."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _error(error, str(path), f"larger than {MAX_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise _error(error, str(path), f"cannot read file ({exc.strerror or exc})") from None
    return parse_json(data, str(path), error)
