"""Shared test root: pytest puts this directory on sys.path, so tests import ``tooling`` directly."""
