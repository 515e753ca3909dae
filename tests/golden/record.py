"""Rewrite the golden files: `python -m tests.golden.record` from the repository root."""

import json
import tempfile
from pathlib import Path

from tests.golden.commands import COMMANDS, HERE, REPRODUCE_SECTIONS, normalize, run


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for name in COMMANDS:
            code, output, certificate = run(name, tmp)
            (HERE / f"{name}.json").write_text(
                json.dumps({"exit_code": code, "output": output, "certificate": certificate}, indent=1,
                           sort_keys=True) + "\n")
            print(name, code)
        from verifier.reproduce import reproduce

        reproduce(tmp, quick=True, sections=REPRODUCE_SECTIONS)
        claims = normalize(json.loads((Path(tmp) / "claims.json").read_text()))
        (HERE / "reproduce-quick-claims.json").write_text(json.dumps(claims, indent=1, sort_keys=True) + "\n")
        print("reproduce --quick")


if __name__ == "__main__":
    main()
