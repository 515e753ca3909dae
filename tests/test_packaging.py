"""What a wheel holds: every package under verifier/ and the files the package reads at run time. (The wheel
itself is built, installed non-editable and used by `.ci/run`; an editable install hides what a wheel leaves
out.)"""

import fnmatch
import tomllib
from pathlib import Path

import pytest

from verifier import reproduce

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_package_discovery_finds_every_subpackage():
    """`packages = ["verifier"]` once left verifier/checker/ out of the wheel: discovery must list every folder
    of verifier/ that holds an __init__.py, and nothing outside it (tests, proofs)."""
    find_packages = pytest.importorskip("setuptools").find_packages   # in every venv of Python 3.11 (CI's)
    find = CONFIG["packages"]["find"]
    found = set(find_packages(where=str(ROOT), include=find["include"], exclude=find.get("exclude", ())))
    on_disk = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "verifier").rglob("__init__.py")}
    assert "verifier.checker" in on_disk and found == on_disk


def test_the_instance_files_reproduce_reads_are_package_data():
    """reproduce reads its instances from verifier/data (a link to data/ that the wheel stores as files): each
    one is matched by a package-data pattern, and the link shows the repository's files."""
    patterns = CONFIG["package-data"]["verifier"]
    package = ROOT / "verifier"
    assert (package / "data").resolve() == (ROOT / "data").resolve()
    assert "py.typed" in patterns and (package / "py.typed").is_file()
    from verifier.protocol import FULL, QUICK

    cases = list(FULL.cases + QUICK.cases) + reproduce._CATALOG_CASES
    for folder, name, _ in cases:
        relative = f"data/{folder}/{name}.json"
        assert (package / relative).is_file(), relative
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
        assert reproduce._data(folder, name).n >= 1
