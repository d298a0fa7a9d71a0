"""The examples in the package docstring and the README run and say what they show."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import partyscreen

README = Path(__file__).resolve().parents[1] / "README.md"


def test_package_docstring() -> None:
    assert doctest.testmod(partyscreen).failed == 0


def test_readme_python_examples() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    examples = [b for b in blocks if b.lstrip().startswith(">>>")]
    assert examples
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for number, block in enumerate(examples):
        runner.run(parser.get_doctest(block, {}, f"README[{number}]", str(README), 0))
    assert runner.summarize(verbose=False).failed == 0
