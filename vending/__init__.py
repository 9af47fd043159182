"""vending: vend Azure subscriptions the GitOps way."""

from __future__ import annotations

from vending.version import INTERFACE_VERSION

__version__ = INTERFACE_VERSION
__all__ = ["__version__"]
