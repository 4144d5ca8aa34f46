"""The suite's own scheduling: under `make test` (pytest-xdist, `--dist loadgroup`) every test carries its
group (tests/conftest.py), or a module's fixtures are made on each worker and the service tests, some of
which stop the real Redis, run beside the others. It went unseen once: pytest 9.2's node ids drop the
suffix, and a conftest hook running after xdist's left it unset."""

from __future__ import annotations

import pytest


def test_a_test_run_by_loadgroup_carries_its_modules_group(request: pytest.FixtureRequest) -> None:
    if not getattr(request.config.option, "loadgroup", False):  # set on the workers of `--dist loadgroup`
        pytest.skip("only a worker of `--dist loadgroup` groups tests")
    assert request.node.nodeid.endswith("@test_suite_groups"), request.node.nodeid
