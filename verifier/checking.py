"""What `verifier check` does with a file: one certificate, a bundle (`bundles`), or one line of a bundle.

The policy lives here, not in the command line: which lines of a bundle are checked, how they are tallied (by
claim type and by instance), the exit status (0 iff every claim is proved, 2 if a line is malformed, else 1),
and, with an expected instance (`--instance`), that a certificate about other data is not checked at all: one
line names the instance it is about, and, when a constant-1 column is the only difference, asks whether it was
made with (or without) `--bias`. Every verdict is the trusted checker's (`checker.check`); nothing here decides
a claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import certificates, checker
from .bundles import is_bundle, read_bundle
from .display import facts_lines, readable
from .errors import CertificateMalformed, InputError
from .instance import Instance

__all__ = ["CheckReport", "check_file", "split_line"]


@dataclass(frozen=True)
class CheckReport:
    """The outcome of checking a file: `payload` (the `--json` object), `lines` (for people) and `exit_status`."""

    payload: dict
    lines: list[str]
    exit_status: int


def split_line(file: str, line: int | None) -> tuple[str, int | None]:
    """`FILE#LINE` of a bundle as (FILE, LINE); any other name as given (InputError for a line below 1)."""
    if "#" in file and is_bundle(file.rsplit("#", 1)[0]) and line is None:
        file, number = file.rsplit("#", 1)
        if not number.isdigit() or int(number) < 1:
            raise InputError(f"{file}#{number}", "a line number counts from 1")
        return file, int(number)
    return file, line


def check_file(file: str, expected: Instance | None = None, instance_file: str | Path | None = None,
               line: int | None = None, progress: Callable[[int, int], None] | None = None) -> CheckReport:
    """Check the certificate `file`, every line of the bundle `file`, or only its line `line`. With `expected`
    (the data of `instance_file`), a certificate about other data is refuted without being checked. `progress`
    gets (bytes read, size) while a bundle is read."""
    if not is_bundle(file):
        if line is not None:
            raise InputError("--line", f"{file} is not a bundle (.jsonl or .jsonl.gz)")
        payload, lines = _check_one(certificates.load(file), expected, instance_file)
        return CheckReport(payload, lines, 0 if payload["proved"] else 1)
    kinds: dict[str, int] = {}
    refuted: list[dict] = []
    malformed: list[dict] = []
    instances: dict[str, dict] = {}
    checked = 0
    for number, document in read_bundle(file, progress=progress, only=line):
        try:
            if isinstance(document, CertificateMalformed):
                raise document
            payload, lines = _check_one(document, expected, instance_file)
        except CertificateMalformed as exc:
            malformed.append({"line": number, "problem": str(exc)})
            continue
        checked += 1
        if line is not None:
            return CheckReport(dict(payload, line=line), [f"{file}#{line}"] + lines, 0 if payload["proved"] else 1)
        about = instances.setdefault(payload["instance"]["digest"], dict(payload["instance"], certificates=0))
        about["certificates"] += 1
        kind = document["claim"]["type"]
        kinds[kind] = kinds.get(kind, 0) + 1
        if not payload["proved"]:
            refuted.append({"line": number, "claim": payload["claim"], "failures": payload["failures"]})
    if line is not None and not malformed:
        raise InputError("--line", f"{file} has no certificate on line {line}")
    return _bundle_report(file, checked, kinds, refuted, malformed, instances)


def _bundle_report(file: str, checked: int, kinds: dict, refuted: list, malformed: list, instances: dict
                   ) -> CheckReport:
    proved = checked - len(refuted)
    payload = {"bundle": file, "certificates": checked + len(malformed), "proved": proved, "by_claim": kinds,
               "instances": list(instances.values()), "refuted": refuted, "malformed": malformed,
               "all_proved": proved == checked and not malformed}
    lines = [f"{'proved' if payload['all_proved'] else 'NOT ALL PROVED'}: {proved} of {checked + len(malformed)} "
             f"certificates in {file} ({', '.join(f'{v} {k}' for k, v in sorted(kinds.items())) or 'none'})"]
    if len(instances) > 1:
        lines.append(f"warning: the certificates are about {len(instances)} different instances")
    lines += [f"  {about['certificates']} about instance {_instance_text(about)}" for about in list(instances.values())[:10]]
    if len(instances) > 10:
        lines.append(f"  ... {len(instances) - 10} more instances (--json lists all)")
    lines += [f"  refuted {file}#{r['line']}: {r['claim']}: {'; '.join(r['failures'])}" for r in refuted[:20]]
    lines += [f"  malformed {file}#{m['line']}: {m['problem']}" for m in malformed[:20]]
    if len(refuted) + len(malformed) > 40:
        lines.append(f"  ... {len(refuted) + len(malformed) - 40} more (--json lists all)")
    return CheckReport(payload, lines, 0 if payload["all_proved"] else 2 if malformed else 1)


def _instance_text(about: dict) -> str:
    return f"sha256 {about['digest']} (n={about['n']}, d={about['d']}, lambda={readable(about['lambda'])})"


def _check_one(document, expected: Instance | None, instance_file) -> tuple[dict, list[str]]:
    """The payload and lines for one certificate document. With `expected` (--instance), a certificate about
    other data is not checked: one line says which instance it is about (exit 1)."""
    if expected is not None:
        about = checker.instance_of(document)
        if about.digest() != expected.digest():
            return _other_instance(document, about, expected, instance_file)
    verdict = checker.check(document)
    payload = verdict.to_dict()
    if expected is not None:
        payload["instance_matches"] = True
    status = "proved" if payload["proved"] else "REFUTED"
    lines = [f"{status}: {verdict.claim}", f"  instance: {_instance_text(verdict.instance)}"
                                           + (f", the data of {instance_file}" if expected is not None else "")]
    lines += facts_lines(verdict.facts)
    lines += [f"  failure: {f}" for f in payload["failures"]]
    if verdict.proved:
        lines.append("  (exact values: --json)")
    return payload, lines


def _other_instance(document: dict, about: Instance, expected: Instance, instance_file) -> tuple[dict, list[str]]:
    """The one line for a certificate about other data than --instance, naming the bias column when that is the
    difference (the certificate's data are the file's rows with a constant-1 column, or the reverse)."""
    def with_bias(instance: Instance) -> str:
        return Instance.from_arrays(instance.X, instance.y, instance.lam, bias=True).digest()

    bias = ("made with --bias? (add --bias)" if with_bias(expected) == about.digest() else
            "made without --bias? (drop --bias)" if with_bias(about) == expected.digest() else None)
    line = (f"REFUTED: the certificate is about instance {_instance_text(checker.about(about))}, not {instance_file} "
            f"(sha256 {expected.digest()}, n={expected.n}, d={expected.d})" + (f"; {bias}" if bias else ""))
    claim = document["claim"].get("type")
    payload = {"claim": claim if isinstance(claim, str) else None, "proved": False, "instance": checker.about(about),
               "expected": dict(checker.about(expected), file=str(instance_file)), "instance_matches": False,
               "bias_column": bias is not None, "facts": {}, "failures": [line.removeprefix("REFUTED: ")],
               "reasons": []}
    return payload, [line]
