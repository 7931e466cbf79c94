"""The text an extractor sees: a paper's title, abstract and other text fields, split into
sentences once so every component quotes the same evidence."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from kg.extract.rules import rules
from kg.extract.sentences import Sentence, split


@dataclass
class Document:
    """Title and body of one paper; `text` joins them so offsets are shared across components."""

    paper_id: str
    title: str
    body: str = ""
    metadata_code_urls: list[str] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        return f"{self.title}\n{self.body}" if self.body else self.title

    @cached_property
    def sentences(self) -> list[Sentence]:
        title = Sentence(0, len(self.title), self.title)
        offset = len(self.title) + 1
        return [title] + [Sentence(s.start + offset, s.end + offset, s.text) for s in split(self.body)]

    @cached_property
    def background_end(self) -> int:
        """Offset where the paper's own work starts: abstract sentences before the first one
        about "we", "our", "this paper" are background."""
        for sentence in self.sentences[1:]:
            if rules().own_work.search(sentence.text):
                return sentence.start
        return len(self.text)

    def in_background(self, position: int) -> bool:
        """True for a position in a background sentence (never the title)."""
        return len(self.title) < position < self.background_end

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, position: int) -> Sentence:
        """The sentence that contains character `position` of `text`, else the one starting nearest
        (the earlier on a tie). Sentences are in text order, so this is a binary search."""
        after = bisect_right(self._starts, position)
        if after and position < self.sentences[after - 1].end:
            return self.sentences[after - 1]
        return min(self.sentences[max(after - 1, 0):after + 1], key=lambda s: abs(s.start - position))
