"""Recorded status files: one path per subscription, byte-stable text, damage named by file."""

from __future__ import annotations

import pytest

from vending.errors import InputError
from vending.trunk.records import StatusRecord, parse_record, record_path


def test_a_record_reads_back_equal_and_its_text_is_stable() -> None:
    record = StatusRecord(
        "app-a", "prod", "ready", "2026-01-02T03:04:05Z", subscriptionId="00000000-0000-0000-0000-000000000001"
    )
    assert parse_record(record.text(), "p") == record
    assert record.text() == StatusRecord(**{**record.__dict__}).text()
    assert record_path("prod", "app-a").startswith("status/prod/")
    assert record_path("prod", "app-a").endswith("/app-a.json")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "not JSON"),
        ("[]", "not a JSON object"),
        ('{"name": "a", "environment": "e", "state": "odd", "since": "x"}', "'state'"),
        ('{"name": 1, "environment": "e", "state": "ready", "since": "x"}', "'name' is not a string"),
    ],
)
def test_a_damaged_record_names_its_file(text: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_record(text, "status/prod/ab/a.json")
    assert caught.value.findings[0].file == "status/prod/ab/a.json"
    assert reason in caught.value.findings[0].message
