"""SDK exceptions to the project's errors, at the adapter boundary."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    DecodeError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)

from vending.azure.models import AzureReadError
from vending.errors import AzureCheckError

# What the SDK raises, besides AzureError, when an answer cannot be read: ValueError (UnicodeDecodeError,
# JSONDecodeError and msrest's DeserializationError among them), TypeError/KeyError/AttributeError from an
# unexpected shape, RecursionError from very deep JSON.
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, RecursionError)
LOGIN_HINT = (
    "run `az login` (or `az login --tenant <tenant>`), or configure workload identity for the "
    "pipeline (see docs/azure.md)"
)


def error_code(exc: HttpResponseError) -> str | None:
    if exc.error is not None and exc.error.code:
        return str(exc.error.code)
    return None


def error_message(exc: AzureError) -> str:
    if isinstance(exc, HttpResponseError) and exc.error is not None and exc.error.message:
        return str(exc.error.message)
    text = str(exc.message or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_error(what: str, exc: HttpResponseError) -> AzureReadError:
    return AzureReadError(what, exc.status_code, error_code(exc), error_message(exc))


def authentication_error(endpoint: str, exc: AzureError) -> AzureCheckError:
    return AzureCheckError(f"cannot authenticate to Azure ({endpoint}): {error_message(exc)}; {LOGIN_HINT}")


@contextmanager
def translated(what: str, endpoint: str) -> Iterator[None]:
    """Run an SDK call; re-raise its failure as ``AzureReadError`` or ``AzureCheckError``."""
    try:
        yield
    except DecodeError as exc:
        raise unreadable(what, endpoint, exc) from exc
    except ClientAuthenticationError as exc:
        if exc.status_code in (401, 403) and (error_code(exc) or "").lower() == "usernotauthorized":
            raise _read_error(what, exc) from exc
        raise authentication_error(endpoint, exc) from exc
    except HttpResponseError as exc:
        raise _read_error(what, exc) from exc
    except ServiceRequestError as exc:
        raise AzureCheckError(
            f"cannot reach Azure Resource Manager at {endpoint} ({what}): {error_message(exc)}; check "
            "--arm-endpoint / VENDING_ARM_ENDPOINT, the network, and --ca-bundle / VENDING_ARM_CA_BUNDLE "
            "for a private CA"
        ) from exc
    except ServiceResponseError as exc:
        raise AzureCheckError(
            f"the connection to Azure Resource Manager at {endpoint} kept failing ({what}, retries "
            f"exhausted): {error_message(exc)}; try again later"
        ) from exc
    except AzureError as exc:
        raise AzureCheckError(f"Azure call failed ({what}) at {endpoint}: {error_message(exc)}") from exc
    except UNREADABLE as exc:
        raise unreadable(what, endpoint, exc) from exc


def unreadable(what: str, endpoint: str, exc: BaseException) -> AzureCheckError:
    """An answer the SDK could not decode or deserialize: an HTML page, garbled bytes, the wrong shape."""
    return AzureCheckError(
        f"Azure Resource Manager at {endpoint} gave an answer to {what} that is not what ARM sends "
        f"({_what_was_wrong(exc)}); check --arm-endpoint / VENDING_ARM_ENDPOINT and any proxy between you "
        "and Azure (an HTML page often comes from a TLS-inspecting proxy or a captive portal)"
    )


def _what_was_wrong(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply to read"
    if isinstance(exc, UnicodeDecodeError):
        return f"the body is not UTF-8: byte {exc.start}"
    if isinstance(exc, json.JSONDecodeError):
        return f"the body is not JSON: {exc.msg} at character {exc.pos}"
    if isinstance(exc, DecodeError):
        return f"the body is not JSON: {str(exc.message).splitlines()[0][:160]}"
    return f"the body does not have the shape ARM gives this read: {type(exc).__name__}"
