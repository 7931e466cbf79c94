"""The scripts and styles the pages need, all shipped locally: vis-network from the pyvis package
(pyvis' own template links CDNs), our CSS and JS from this package. A site writes them once under
assets/; a single view inlines them. Each page's Content-Security-Policy allows nothing else."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup

VIS_DIR = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
OWN_DIR = files("kg.views") / "static"
SOURCES = {
    "vis-network.min.js": VIS_DIR / "vis-network.min.js",
    "vis-network.css": VIS_DIR / "vis-network.css",
    "kg.css": OWN_DIR / "kg.css",
    "view.js": OWN_DIR / "view.js",
    "index.js": OWN_DIR / "index.js",
}
VIEW_ASSETS = ("vis-network.css", "kg.css", "vis-network.min.js", "view.js")
INDEX_ASSETS = ("kg.css", "index.js")
CSP_BASE = ("default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
            "base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class Asset:
    """One script or style sheet: its file name under assets/ and its text (newlines normalised)."""

    name: str
    text: Markup

    @property
    def is_script(self) -> bool:
        return self.name.endswith(".js")

    @property
    def digest(self) -> str:
        """CSP source for this text inlined in a <script> element."""
        return "'sha256-" + base64.b64encode(hashlib.sha256(self.text.encode("utf-8")).digest()).decode() + "'"


@cache
def asset(name: str) -> Asset:
    text = SOURCES[name].read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return Asset(name, Markup(text))


@dataclass(frozen=True)
class PageAssets:
    """How a page gets its assets: inlined, or linked from `prefix` (the assets folder, relative)."""

    names: tuple[str, ...]
    inline: bool
    prefix: str = ""

    @property
    def styles(self) -> list[Asset]:
        return [asset(n) for n in self.names if not asset(n).is_script]

    @property
    def scripts(self) -> list[Asset]:
        return [asset(n) for n in self.names if asset(n).is_script]

    @property
    def csp(self) -> str:
        """No remote anything; scripts only from the assets folder or, inlined, by hash."""
        scripts = " ".join(a.digest for a in self.scripts) if self.inline else "'self'"
        return f"{CSP_BASE}; script-src {scripts}"


def write_assets(folder: Path) -> None:
    """Write every asset once into `folder` (a site's assets/)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:
        (folder / name).write_text(asset(name).text, encoding="utf-8", newline="\n")
