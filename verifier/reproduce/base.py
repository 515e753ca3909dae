"""What every section of `reproduce` shares: the run's `Settings`, the `Section` record claims.json holds, the
`Definition` each section module declares (its cases, units and computation), the one codec between a section's
typed data and its JSON, and the steps every section takes (a shipped instance, an instance file written beside the
report, one census with its checkpoint and certificates)."""

from __future__ import annotations

import types
import typing
from contextlib import nullcontext
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Callable, ContextManager, Protocol

from ..census import run_census
from ..files import write_json
from ..instance import Instance
from ..landscape import Context
from ..parallel import Tasks
from ..shipped import data_root

__all__ = ["Settings", "Section", "Definition", "Cases", "Prose", "named", "to_json", "from_json", "shipped",
           "save_instance", "census_row"]


@dataclass
class Settings:
    """What a run depends on. `tick` advances the progress bar by one unit (see `plan`); `bar(name)` opens an
    inner bar for one long census (a context manager yielding ``advance(done, total)``, as `progress.progress_bar`),
    so a unit that takes an hour in the full run still shows its own progress and ETA; `steps` replaces the step
    budget of the sections that train (`Definition.with_steps`; None: the mode's own)."""

    out: Path
    quick: bool = True
    seed: int = 0
    tick: Callable[[], None] = lambda: None
    tasks: Tasks | None = None
    bar: Callable[[str], ContextManager[Callable]] = lambda name: nullcontext(lambda done, total=None: None)
    steps: int | None = None


@dataclass(frozen=True)
class Prose:
    """What the report says of a section's data: the verdict sentence, whether the data support the claim
    (None: undecided), the Markdown body and the figure files it drew."""

    verdict: str
    supported: bool | None
    body: list[str]
    figures: list[str]


@dataclass(frozen=True)
class Section:
    """One claim as claims.json records it: the paper's claim in a sentence, whether the data support it
    (`verdict`, with counts), the Markdown body (tables and notes), the figure files, every number (`data`, the
    section's typed record) and the time it took."""

    key: str
    title: str
    claim: str
    verdict: str
    supported: bool | None
    body: list[str]
    figures: list[str] = field(default_factory=list)
    data: Any = None
    seconds: float = 0.0


class Cases(Protocol):
    """A section's cases in one mode: the instances its results depend on, every other parameter that changes a
    result (both part of its cache key) and its progress units (one per census, per training unit, per catalog)."""

    @property
    def instances(self) -> list[Instance]: ...

    @property
    def parameters(self) -> list: ...

    @property
    def units(self) -> int: ...


@dataclass(frozen=True)
class Definition:
    """One section of the report as its module declares it: `cases(quick, seed)`, `compute(settings, cases)`
    (ticking `cases.units` times) returning an instance of `data` (a dataclass read back by `from_json`); a
    section whose runs have a step budget declares `with_steps(cases, steps)`, its cases with that budget."""

    key: str
    title: str
    claim: str
    cases: Callable[[bool, int], Cases]
    compute: Callable[[Settings, Any], Any]
    data: type
    with_steps: Callable[[Any, int], Any] | None = None


# --- the codec between typed records and their JSON -----------------------------------------------------------

def named(json_name: str | None = None, optional: bool = False, **options) -> Any:
    """A dataclass field whose JSON key is `json_name` (when it is not a Python name, e.g. "2^n"); an `optional`
    field is left out of the JSON while it is None."""
    return field(metadata={"json": json_name, "optional": optional}, **options)


def _key(f) -> str:
    return f.metadata.get("json") or f.name


def to_json(value: Any) -> Any:
    """A record (nested dataclasses, lists, dicts) as JSON-ready values, each field under its JSON key."""
    if is_dataclass(value) and not isinstance(value, type):
        return {_key(f): to_json(getattr(value, f.name)) for f in fields(value)
                if not (f.metadata.get("optional") and getattr(value, f.name) is None)}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def from_json(cls: type, value: dict) -> Any:
    """The record of type `cls` whose JSON `to_json` wrote (fields it left out take their defaults)."""
    hints = typing.get_type_hints(cls)
    return cls(**{f.name: _decode(hints[f.name], value[_key(f)]) for f in fields(cls) if _key(f) in value})


def _decode(hint: Any, value: Any) -> Any:
    """`value` (JSON) as the type `hint` names: dataclasses and the lists and dicts of them are rebuilt, an optional
    one through its non-None member that matches the JSON's shape; every other value is kept as it is."""
    if value is None:
        return None
    if is_dataclass(hint):
        return from_json(hint, value)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and args:
        return [_decode(args[0], v) for v in value]
    if origin is dict and len(args) == 2:
        return {k: _decode(args[1], v) for k, v in value.items()}
    if origin in (typing.Union, types.UnionType):
        shape = dict if isinstance(value, dict) else list if isinstance(value, list) else None
        for arg in args:
            if shape is not None and (typing.get_origin(arg) or arg) is shape or (shape is dict and is_dataclass(arg)):
                return _decode(arg, value)
    return value


# --- steps every section takes ---------------------------------------------------------------------------------

def shipped(folder: str, name: str) -> Instance:
    """A shipped instance file, `<data root>/<folder>/<name>.json` (`shipped.data_root`)."""
    return Instance.load(data_root() / folder / f"{name}.json")


def save_instance(settings: Settings, instance: Instance) -> str:
    """Write `instance` to `instances/` beside the report; its path there."""
    path = Path("instances") / f"{instance.name}.json"
    write_json(settings.out / path, instance.to_dict())
    return str(path)


def census_row(settings: Settings, section: str, context: Context, **options) -> dict:
    """One census (one progress unit), its checkpoint under `checkpoints/` and its certificates under
    `certificates/`: the census's own JSON record with the width `m` and its certificates folder."""
    m = context.width
    folder = Path(section) / context.instance.name / f"width-{m}"
    with settings.bar(f"{section} {context.instance.name} m={m}") as advance:
        census = run_census(context, out=settings.out / "checkpoints" / folder,
                            certificates=settings.out / "certificates" / folder, tasks=settings.tasks,
                            progress=advance, **options)
    row = {"m": m, **census.to_dict(), "certificates": str(Path("certificates") / folder)}
    settings.tick()
    return row
