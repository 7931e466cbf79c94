"""Links in free text: code repositories (GitHub, GitLab, Bitbucket, Hugging Face), project
pages and short links, normalised and de-duplicated. Survives the mess real abstracts contain:
glued prefixes (`athttps://`, `at~https://`), LaTeX `\\url{...}`, scheme-less `//github.com/...`,
trailing punctuation and `.git` or `/tree/...` suffixes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from kg.text import lower_same_length, occurrences

EXTRACTOR = "links/1"

_REPO = re.compile(
    r"(?<![\w.-])(?:https?:)?(?://)?(?:www\.)?"
    r"(?P<host>github\.com|gitlab\.com|bitbucket\.org|huggingface\.co)/"
    r"(?:(?P<kind>datasets|spaces)/)?"
    r"(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)/"
    r"(?P<name>[A-Za-z0-9_.-]+)",
    re.I,
)
# any other URL; glued words before the scheme (athttps://) are allowed
_URL = re.compile(r"(?:https?://|(?<![\w@.])www\.)[^\s<>\"'{}\\|^`]+", re.I)
_TRAILING = ".,;:!?)]}>'\""
_SPACE = re.compile(r"\s")
_DOMAIN_PATH = re.compile(r"\.(?:com|org|io|ai|net|co|ms)/\S*", re.I)
_DOMAIN_SIGNS = tuple(f".{tld}/" for tld in ("com", "org", "io", "ai", "net", "co", "ms"))
MAX_HOST = 253
"""Characters in a host name at most (RFC 1035): the search back for one stays linear."""
REPO_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co")
SHORT_LINK_HOSTS = frozenset({"aka.ms", "bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "shorturl.at"})
# path segments under a host that are site pages, not owners
NOT_OWNERS = frozenset({
    "orgs", "users", "apps", "features", "topics", "collections", "sponsors", "marketplace", "about", "settings",
    "login", "docs", "blog", "papers", "models", "learn", "tasks", "organizations",
})


@dataclass(frozen=True)
class RepoRef:
    """A code repository: `url` keeps the case as written, `id` is the lower-case node id."""

    host: str
    owner: str
    name: str
    kind: str = ""
    text: str = ""

    @property
    def path(self) -> str:
        return "/".join(p for p in (self.kind, self.owner, self.name) if p)

    @property
    def url(self) -> str:
        return f"https://{self.host}/{self.path}"

    @property
    def id(self) -> str:
        return f"repo:{self.host}/{self.path}".lower()


@dataclass
class Links:
    """What one text links to."""

    repos: list[RepoRef] = field(default_factory=list)
    project_pages: list[str] = field(default_factory=list)
    short_links: list[str] = field(default_factory=list)


def _strip(url: str) -> str:
    url = url.rstrip(_TRAILING)
    while url.count(")") > url.count("(") and url.endswith(")"):
        url = url[:-1].rstrip(_TRAILING)
    return url


def parse_repo(text: str) -> RepoRef | None:
    """The repository a URL or `owner/name` string points to, or None when it is not one."""
    match = _REPO.search(text)
    return _repo_from(match) if match else None


def _repo_from(match: re.Match[str]) -> RepoRef | None:
    host = match.group("host").lower()
    kind = (match.group("kind") or "").lower()
    owner, name = match.group("owner"), match.group("name")
    name = _strip(name)
    if name.lower().endswith(".git"):
        name = name[:-4]
    name = name.rstrip(".")
    if not name or owner.lower() in NOT_OWNERS or (kind and host != "huggingface.co"):
        return None
    return RepoRef(host=host, owner=owner, name=name, kind=kind, text=match.group(0))


def url_spans(text: str, lowered: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of every web address in `text`, with or without a scheme ("//host/...",
    "www.host", "github.com/owner/name"), in text order (`lowered`: `text` lower-cased, each
    character at its offset). Texts without the signs of one are not searched, and a host is found
    by reading back from ".com/", so the cost stays linear."""
    lowered = lower_same_length(text) if lowered is None else lowered
    spans = _addresses(text, lowered)
    if _domain_sign(lowered):
        for found in _DOMAIN_PATH.finditer(text):
            start, floor = found.start(), max(0, found.start() - MAX_HOST)
            while start > floor and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
                start -= 1
            while start < found.start() and not (text[start].isalnum() or text[start] == "_"):
                start += 1
            if start < found.start():
                spans.append((start, found.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _domain_sign(lowered: str) -> bool:
    """A domain and a path (".com/") occur in `lowered`: looked for at each slash, which takes one
    fast scan for the character where a search for each sign would read the whole text each time."""
    at = lowered.find("/")
    while at >= 0:
        if any(lowered.startswith(sign, at + 1 - len(sign)) for sign in _DOMAIN_SIGNS if at + 1 >= len(sign)):
            return True
        at = lowered.find("/", at + 1)
    return False


def _addresses(text: str, lowered: str) -> list[tuple[int, int]]:
    """Spans from "//" (with any "http:" or "https:" before it) or "www." to the next space."""
    spans = []
    for sign in ("//", "www."):
        at = lowered.find(sign)
        while at >= 0:
            space = _SPACE.search(text, at)
            end = space.start() if space else len(text)
            if end > at + len(sign):
                schemes = ("https:", "http:") if sign == "//" else ()
                scheme = next((s for s in schemes if lowered.startswith(s, at - len(s))), "")
                spans.append((at - len(scheme), end))
            at = lowered.find(sign, max(end, at + 1))
    return spans


def _near_signs(pattern: re.Pattern[str], text: str, lowered: str, signs: tuple[str, ...],
                back: int) -> Iterator[re.Match[str]]:
    """The matches of `pattern` that `finditer` would give, searched only around the places a
    sign of one occurs (a host name, "http"): from up to `back` characters before it to the next
    space, since no match holds a space. Texts without a sign cost a substring search."""
    places = occurrences(lowered, *signs)
    resume = 0
    for at in places:
        if at < resume:
            continue
        space = _SPACE.search(text, at)
        match = pattern.search(text, max(resume, at - back), space.start() if space else len(text))
        if match:
            resume = match.end()
            yield match


@lru_cache(maxsize=8)
def find_links(text: str, lowered: str | None = None) -> Links:
    """Repositories, project pages and short links in `text`, each once, in order of appearance
    (`lowered`: `text` lower-cased, each character at its offset)."""
    links = Links()
    seen: set[str] = set()
    repo_spans: list[tuple[int, int]] = []
    lowered = lower_same_length(text) if lowered is None else lowered
    for match in _near_signs(_REPO, text, lowered, REPO_HOSTS, len("https://www.")):
        repo = _repo_from(match)
        if repo is None:
            continue
        repo_spans.append(match.span())
        if repo.id not in seen:
            seen.add(repo.id)
            links.repos.append(repo)
    for match in _near_signs(_URL, text, lowered, ("http", "www."), 0):
        if any(start <= match.start() < end or match.start() <= start < match.end() for start, end in repo_spans):
            continue
        url = _strip(match.group(0))
        if url.lower().startswith("www."):
            url = "https://" + url
        host = url.split("://", 1)[-1].split("/", 1)[0].lower()
        if not host or "." not in host or url in seen:
            continue
        seen.add(url)
        if host in SHORT_LINK_HOSTS:
            links.short_links.append(url)
        elif host not in REPO_HOSTS and host != "www.github.com":
            links.project_pages.append(url)
    return links
