"""Distance from a mention to the nearest cue of a kind within its sentence."""

from __future__ import annotations

import re

FAR = 10_000


def nearest(pattern: re.Pattern[str], sentence: str, start: int, end: int) -> int:
    """Characters between the span [start, end) of `sentence` and the closest cue outside it."""
    return min(before(pattern, sentence, start), after(pattern, sentence, end))


def before(pattern: re.Pattern[str], sentence: str, start: int) -> int:
    """Characters from the end of the last cue before `start` (FAR when there is none)."""
    ends = [cue.end() for cue in pattern.finditer(sentence, 0, start)]
    return start - max(ends) if ends else FAR


def after(pattern: re.Pattern[str], sentence: str, end: int) -> int:
    """Characters from `end` to the first cue after it (FAR when there is none)."""
    cue = pattern.search(sentence, end)
    return cue.start() - end if cue else FAR
