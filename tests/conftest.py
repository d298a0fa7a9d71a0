"""Shared fixtures: where ``../shared`` is, and the rule for tests that need it.

Tests that read ``../shared`` (beside the checkout) skip with a reason when it is absent, as in
a user's fresh clone, and fail instead when ``PARTYSCREEN_REQUIRE_SHARED=1`` (set by .ci/run).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, or a skip (a failure in CI) when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = (
            f"{path.relative_to(SHARED.parent)} is absent: ../shared is not beside this checkout"
        )
        if os.environ.get("PARTYSCREEN_REQUIRE_SHARED") == "1":
            pytest.fail(f"PARTYSCREEN_REQUIRE_SHARED=1 but {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture
def shared() -> type:
    """Gives tests ``shared.path(...)``; see :func:`shared_path`."""

    class _Shared:
        path = staticmethod(shared_path)

    return _Shared
