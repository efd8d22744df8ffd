"""The demo is built once for all of its tests (tests/demo/), not once per test.

`demo_built` builds it in a transaction that stays open while the package's tests run; each
test runs in a savepoint inside it (pytest-django's `db`), so what a test changes, a second
build included, is rolled back before the next, and the whole demo is rolled back after the
last. Other packages never see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from demo import builders, steps


@dataclass(frozen=True)
class Built:
    context: builders.Demo  # what the steps planned (cases, units, staff)
    result: builders.DemoResult


@pytest.fixture(scope="package")
def demo_built(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Built]:
    # Signed consent forms go to a directory of the package's own, not the project's media/.
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    media.enable()
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            context, result = steps.build_with_context(seed=2026)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()
            raise
    yield Built(context=context, result=result)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    media.disable()


@pytest.fixture
def seeded(db: None, demo_built: Built) -> builders.DemoResult:
    """The demo (seed 2026), built once for the package; the test runs in a savepoint."""
    return demo_built.result


@pytest.fixture
def built(db: None, demo_built: Built) -> builders.Demo:
    """The demo's context: what its steps planned, for the tests that read it."""
    return demo_built.context
