"""docs/pipelines.md shows the sample pipelines exactly as the suite checks them."""

from __future__ import annotations

from pipeline_support import ADO_CONSUMER, GITHUB_CALLER, REPO


def test_the_docs_show_the_tested_samples_verbatim() -> None:
    docs = (REPO / "docs" / "pipelines.md").read_text(encoding="utf-8")
    for sample in (GITHUB_CALLER, ADO_CONSUMER):
        text = sample.read_text(encoding="utf-8")
        assert f"```yaml\n{text}```\n" in docs, sample.name
