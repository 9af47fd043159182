"""Answers for the fault modes ``vending emulator --fault`` selects: bodies that are not ARM's JSON, and
list pages whose ``nextLink`` never ends or loops. (Status faults and resets stay in ``app.py``.)"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from vending.emulator.protocol import ApiResponse

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Access denied</title></head>\n"
    b"<body><h1>Blocked by the web proxy</h1><p>This site is not allowed.</p></body></html>\n"
)
# Valid JSON framing around bytes that are not UTF-8, cut off before its end.
GARBLED = b'{"value": [{"id": "/subscriptions/\xff\xfe\xfd", "displayName": "\xc3\x28'
DEEP_JSON_LEVELS = 100_000


def body_fault(kind: str) -> ApiResponse:
    """A 200 answer whose body a client cannot read as ARM's JSON."""
    if kind == "html":
        return ApiResponse(200, headers={"Content-Type": "text/html; charset=utf-8"}, raw=HTML_PAGE)
    if kind == "garbled":
        return ApiResponse(200, headers={"Content-Type": "application/json; charset=utf-8"}, raw=GARBLED)
    if kind == "deep-json":
        deep = b'{"value": ' + b"[" * DEEP_JSON_LEVELS + b"]" * DEEP_JSON_LEVELS + b"}"
        return ApiResponse(200, headers={"Content-Type": "application/json"}, raw=deep)
    raise ValueError(f"not a body fault: {kind}")


def page_fault(kind: str, response: ApiResponse, base_url: str, target: str, serial: int) -> ApiResponse:
    """A list page given a ``nextLink``: a fresh one each time (``endless-pages``) or the request's own URL
    (``loop-pages``). Other answers pass unchanged."""
    if response.status != 200 or not isinstance(response.body, dict) or "value" not in response.body:
        return response
    split = urlsplit(target)
    if kind == "loop-pages":
        link = f"{base_url}{target}"
    else:
        query = [(name, value) for name, value in parse_qsl(split.query) if name != "$skiptoken"]
        link = f"{base_url}{split.path}?{urlencode([*query, ('$skiptoken', f'endless-{serial}')])}"
    return ApiResponse(response.status, {**response.body, "nextLink": link}, response.headers)
