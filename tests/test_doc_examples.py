"""Every complete scenario shown in the README and the format reference validates: a new user's
first copy-and-paste must not meet a syntax error (a '?' in an unquoted flow-mapping value did)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model.io import ScenarioError, loads

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "scenario-format.md"]


def complete_examples() -> list[tuple[str, str]]:
    """(where, text) of each ```yaml block that is a whole scenario (a `scenario:` header and
    options or a tree, no `...` placeholders); the other blocks are fragments or outlines."""
    out = []
    for doc in DOCS:
        for k, block in enumerate(re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S), 1):
            if (re.search(r"^scenario:", block, re.M) and re.search(r"^(options|tree):", block, re.M)
                    and "..." not in block):
                out.append((f"{doc.name} yaml block {k}", block))
    return out


def test_the_docs_hold_complete_examples():
    assert len(complete_examples()) >= 2


@pytest.mark.parametrize("where, text", complete_examples(), ids=lambda x: x if " block " in str(x) else "")
def test_every_complete_example_validates(where, text):
    try:
        loads(text, where)
    except ScenarioError as e:
        pytest.fail("\n".join(str(p) for p in e.problems))
