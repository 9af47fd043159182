"""The docs stand on their own: every relative link leads to a file in the repository, and none cites a file
that is not shipped with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / "modules" / "subscription" / "README.md"])
LINK = re.compile(r"\]\(([^)\s#]+)(#[^)\s]*)?\)")


def relative_links(path: Path) -> list[str]:
    return [m.group(1) for m in LINK.finditer(path.read_text(encoding="utf-8")) if "://" not in m.group(1)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_to_files(doc: Path) -> None:
    missing = [link for link in relative_links(doc) if not (doc.parent / link).exists()]
    assert missing == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_citation_of_the_contract_file(doc: Path) -> None:
    assert "CONTRACT.md" not in doc.read_text(encoding="utf-8")


def test_the_docs_have_links_to_check() -> None:
    assert sum(len(relative_links(doc)) for doc in DOCS) > 10
