"""arXiv identifiers: new style (2101.00001) and old style (hep-ex/0307015), versions stripped."""

from __future__ import annotations

import re

# the archive name starts only where a run of letters and hyphens does: tried from inside the run
# too, a long run that is no id (a 50 MB "id" field) would take time quadratic in its length
_ARXIV = re.compile(
    r"(?:arxiv(?:\.org/(?:abs|pdf)/|:)\s*)?"
    r"(?P<id>\d{4}\.\d{4,5}|(?<![a-z-])[a-z][a-z-]*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$",
    re.I,
)


def normalise_arxiv_id(value: object) -> str | None:
    """The bare, versionless arXiv id in `value` (an id, an abs/pdf URL, `arXiv:...`), or None."""
    if not isinstance(value, str):
        return None
    match = _ARXIV.search(value.strip())
    return match.group("id").lower() if match else None
