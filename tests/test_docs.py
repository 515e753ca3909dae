"""The documentation explains the project by itself: every citation resolves, every option is documented, and the
code on the "Testing a conjecture" page runs and leaves a counterexample the checker proves."""

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import verifier
from verifier.cli import main

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
MATHEMATICS = (DOCS / "mathematics.md").read_text()


def _project_text(*parts: str):
    for part in parts:
        path = ROOT / part
        for file in ([path] if path.is_file() else sorted(path.rglob("*"))):
            if file.suffix in {".py", ".md", ".ipynb", ".js", ".yml"} and file.is_file():
                yield file, file.read_text()


def test_nothing_cites_an_external_spec():
    """The project cites its own docs, never the internal contract SPEC that is not part of it."""
    mentions = [f"{file.relative_to(ROOT)}:{n}" for file, text in _project_text("verifier", "docs", "README.md",
                                                                                 "proofs", "mkdocs.yml")
                for n, line in enumerate(text.splitlines(), 1) if "SPEC" in line]
    assert not mentions, mentions


def test_every_cited_section_and_lemma_is_in_the_mathematics_page():
    """'docs §N' and 'docs/mathematics.md §N' name a numbered section of docs/mathematics.md; 'Lemma N.k' a lemma
    stated there in bold under that number."""
    sections = set(re.findall(r"^## (\d+)\. ", MATHEMATICS, re.M))
    lemmas = set(re.findall(r"\*\*Lemma (\d+\.\d+)", MATHEMATICS))
    assert {str(k) for k in range(1, 12)} <= sections
    cited_sections, cited_lemmas = set(), set()
    for _, text in _project_text("verifier", "docs", "README.md", "proofs", "tests"):
        for group in re.findall(r"docs(?:/mathematics\.md)? §(\d+(?:(?:-|, §| and §)\d+)*)", text):
            cited_sections |= set(re.findall(r"\d+", group))
        cited_lemmas |= set(re.findall(r"Lemma (\d+\.\d+)", text))
    assert cited_sections and cited_lemmas
    assert cited_sections <= sections, cited_sections - sections
    assert cited_lemmas <= lemmas, cited_lemmas - lemmas
    assert {lemma.split(".")[0] for lemma in lemmas} <= sections


def _commands(group: click.Group, path=()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))
        else:
            yield path + (name,), command


def test_every_option_of_every_command_is_in_the_cli_page():
    """docs/cli.md has a section per command (### `verifier COMMAND ...`) naming each of its options."""
    page = (DOCS / "cli.md").read_text()
    sections = dict(re.findall(r"^### `verifier ([a-z ]+?)(?: [A-Z][A-Z ]*)?`\n(.*?)(?=^##)", page + "\n##",
                               re.M | re.S))
    missing = []
    for path, command in _commands(main):
        name = " ".join(path)
        assert name in sections, f"docs/cli.md has no section for `verifier {name}`"
        for option in command.params:
            if isinstance(option, click.Option) and not any(
                    re.search(rf"`{re.escape(o)}[` ]", sections[name]) for o in option.opts + option.secondary_opts):
                missing.append(f"{name} {'/'.join(option.opts)}")
    assert not missing, f"options missing from docs/cli.md: {missing}"
    assert "--version" in page


def test_the_cli_page_shows_the_endpoint_verdicts_the_cli_prints():
    """The endpoint example prints `near near-...`: the page shows the verdict words of `Outcome`."""
    page = (DOCS / "cli.md").read_text()
    shown = re.findall(r"^near +(\S+)", page, re.M)
    assert shown and all(verdict in {o.value for o in verifier.Outcome} for verdict in shown), shown


def _python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(), re.S)


def test_the_testing_page_runs_fails_shrinks_and_saves_a_checked_counterexample(tmp_path, monkeypatch):
    """The worked conjecture fails; the shrunk counterexample is written, and the exact checker (Python and
    `verifier check --instance`) proves it; the page's own checking code runs; the second property holds."""
    monkeypatch.chdir(tmp_path)
    conjecture, checking, dead_neurons = _python_blocks(DOCS / "testing.md")
    namespace: dict = {}
    exec(compile(conjecture, "<docs/testing.md>", "exec"), namespace)
    with pytest.raises(AssertionError, match="19/16"):
        namespace["test_width_one_is_benign_in_one_dimension"]()
    instance = verifier.Instance.load("counterexamples/width-one-benign.json")
    assert (instance.n, instance.d, instance.lam) == (2, 1, verifier.parse_rational("1/4", "lambda"))
    exec(compile(checking, "<docs/testing.md>", "exec"), {})
    run = CliRunner().invoke(main, ["check", "counterexamples/width-one-benign.cert.json",
                                    "--instance", "counterexamples/width-one-benign.json"])
    assert run.exit_code == 0 and "verdict: spurious-local-minima" in run.output, run.output
    exec(compile(dead_neurons, "<docs/testing.md>", "exec"), namespace)
    namespace["test_dead_neurons_only_at_global_minima"]()


def test_the_readme_property_test_is_the_testing_page_conjecture():
    """The README shows the page's conjecture verbatim (the page's test runs it); neither imports internals."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Writing your own property test", 1)[1].split("\n## ", 1)[0]
    (snippet,) = re.findall(r"```python\n(.*?)```", section, re.S)
    assert snippet == _python_blocks(DOCS / "testing.md")[0]
    for text in (readme, (DOCS / "testing.md").read_text()):   # the public API only
        assert not re.search(r"from verifier\.(landscape|census|parallel|instance) import|Context\(|classify_network",
                             text)


def test_the_docs_typeset_mathematics_with_arithmatex():
    """mkdocs renders $...$ with pymdownx.arithmatex (generic) and MathJax; the mathematics page uses it."""
    config = (ROOT / "mkdocs.yml").read_text()
    assert "pymdownx.arithmatex" in config and "generic: true" in config and "javascripts/mathjax.js" in config
    assert (DOCS / "javascripts" / "mathjax.js").is_file()
    assert "testing.md" in config
    assert MATHEMATICS.count("$$") >= 16 and "\\lVert" in MATHEMATICS
