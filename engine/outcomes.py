"""What a clause's run of windows establishes: earned-back credits and chronic failure."""

from __future__ import annotations

from collections.abc import Sequence

BREACHED = "breached"
MET = "met"


def earned_back(statuses: Sequence[str], finals: Sequence[bool], after: int) -> list[bool]:
    """Which windows have their credit earned back: a breached window followed by ``after``
    windows that all exist, are final and are ``met`` (``no_data`` and ``insufficient`` are not).

    Returns one flag per window.
    """
    flags = []
    for index, status in enumerate(statuses):
        following = range(index + 1, index + 1 + after)
        flags.append(
            status == BREACHED
            and following.stop <= len(statuses)
            and all(statuses[i] == MET and finals[i] for i in following)
        )
    return flags


def chronic(statuses: Sequence[str], breaches: int, of: int) -> tuple[int, int] | None:
    """The first window at which some ``of`` consecutive windows ending there hold ``breaches``
    breaches (also before ``of`` windows exist), with the count then; None if never.

    Returns ``(window index, breaches counted)``.
    """
    for index in range(len(statuses)):
        run = statuses[max(0, index - of + 1) : index + 1]
        count = sum(1 for status in run if status == BREACHED)
        if count >= breaches:
            return index, count
    return None
