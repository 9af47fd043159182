"""The test toolkit: the CLI in-process and as a process, a clean environment, trunks, request builders.

pytest puts ``tests/`` on ``sys.path`` (``tests/conftest.py`` sits there and ``tests/`` has no
``__init__.py``), so test modules import ``testing.cli``, ``testing.environment``, ``testing.trunks``
and ``testing.requests``. The toolkit is not part of the ``vending`` wheel.
"""
