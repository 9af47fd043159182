"""Reading CODEOWNERS text into rules, and reporting what GitHub would reject."""

from __future__ import annotations

from pathlib import Path

from vending.codeowners.model import MAX_BYTES, CodeOwnersFile, Matcher, Rule
from vending.codeowners.syntax import owner_problem, pattern_problems, split_line
from vending.errors import Finding
from vending.trunk.layout import CODEOWNERS_LOCATIONS

LOCATIONS = CODEOWNERS_LOCATIONS


def parse_codeowners(text: str, source: str = "CODEOWNERS") -> CodeOwnersFile:
    """Parse CODEOWNERS text; comments and blank lines are dropped, line numbers kept.

    Lines GitHub would reject are kept with their problems and ignored when matching.
    A file of 3 MB or more matches nothing, as GitHub does not load it.
    """
    rules = tuple(rule for number, line in enumerate(_lines(text), start=1) if (rule := _parse_line(number, line)))
    size = len(text.encode("utf-8", errors="surrogatepass"))
    return CodeOwnersFile(source=source, rules=rules, size=size, matcher=Matcher(rules, enabled=size < MAX_BYTES))


def lint_codeowners(text: str, source: str) -> list[Finding]:
    """Every line GitHub would report as an error, and a file too large to load."""
    parsed = parse_codeowners(text, source)
    findings = [
        Finding(file=source, field=f"line {rule.line}", message=problem, line=rule.line)
        for rule in parsed.rules
        for problem in rule.problems
    ]
    if parsed.oversized:
        message = f"file is {parsed.size} bytes; GitHub ignores a CODEOWNERS file of 3 MB or more"
        findings.insert(0, Finding(file=source, field="", message=message))
    return findings


def find_codeowners(repo_dir: Path) -> Path | None:
    """The CODEOWNERS file GitHub would use in a checked-out repository, if any."""
    for location in LOCATIONS:
        candidate = repo_dir / location
        if candidate.is_file():
            return candidate
    return None


def _lines(text: str) -> list[str]:
    return [line.removesuffix("\r") for line in text.split("\n")]


def _parse_line(number: int, line: str) -> Rule | None:
    tokens = split_line(line)
    if not tokens:
        return None
    pattern, owners = tokens[0], tuple(tokens[1:])
    problems = pattern_problems(pattern)
    problems += [problem for owner in owners if (problem := owner_problem(owner))]
    return Rule(line=number, pattern=pattern, owners=owners, problems=tuple(problems))
