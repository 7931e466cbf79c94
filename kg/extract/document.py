"""The text an extractor sees: a paper's title, abstract and other text fields, split into
sentences once so every component quotes the same evidence."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import itemgetter

from kg.extract.links import url_spans
from kg.extract.names import name_like_tokens, spells_acronym
from kg.extract.scan import ACRONYM_WORD, ODD_WORD, Events, scan
from kg.extract.sentences import Sentence, split
from kg.text import lower_same_length

_OFFSET = itemgetter(0)
"""A name token's offset, the key its list is sorted by."""


@dataclass
class Document:
    """Title and body of one paper, analysed once when made (joined text, sentences, web addresses,
    cues); what only some components need is worked out on first use."""

    title: str
    body: str = ""
    metadata_code_urls: list[str] = field(default_factory=list)
    _spellers: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)
    _grouped: dict[str, dict[int, list[tuple[int, int]]]] = field(default_factory=dict, init=False, repr=False,
                                                                  compare=False)

    def __post_init__(self) -> None:
        self.text: str = f"{self.title}\n{self.body}" if self.body else self.title
        """The title and body joined, so offsets are shared across components."""
        self.lowered: str = lower_same_length(self.text)
        """`text` in lower case, every character at its offset."""
        self.urls: list[tuple[int, int]] = url_spans(self.text, self.lowered)
        """(start, end) of the web addresses in `text`: names inside one are not mentions."""
        offset = len(self.title) + 1
        body_urls = [(start - offset, end - offset) for start, end in self.urls if start >= offset]
        self.sentences: list[Sentence] = [Sentence(0, len(self.title), self.title),
                                          *split(self.body, offset, body_urls)]
        self.events: Events = scan(self.text)
        """Every rule cue and name shape in `text`, from one scan."""
        self._starts = [s.start for s in self.sentences]
        self._name_tokens: list[tuple[int, str]] | None = None
        self._acronym_words: frozenset[str] | None = None
        self._background_end = -1

    @property
    def name_tokens(self) -> list[tuple[int, str]]:
        """(offset, token) of every token shaped like a proper name, in text order."""
        if self._name_tokens is None:
            self._name_tokens = name_like_tokens(self.text, self.events)
        return self._name_tokens

    def name_tokens_in(self, start: int, end: int) -> list[tuple[int, str]]:
        """The name tokens that lie inside [start, end), in text order."""
        tokens = self.name_tokens
        first = bisect_left(tokens, start, key=_OFFSET)
        last = bisect_left(tokens, end, first, key=_OFFSET)
        return [token for token in tokens[first:last] if token[0] + len(token[1]) <= end]

    def spells_acronym(self, word: str) -> bool:
        """`word` only spells out an acronym of the text (see `names.spells_acronym`)."""
        known = self._spellers.get(word)
        if known is None:
            known = self._spellers[word] = spells_acronym(self.text, word, self._acronyms)
        return known

    @property
    def _acronyms(self) -> frozenset[str]:
        """The text's all-capital words, when it also has words with odd capitals to spell them."""
        if self._acronym_words is None:
            words = self.events.of(ACRONYM_WORD) if self.events.of(ODD_WORD) else []
            self._acronym_words = frozenset(self.text[start:end] for start, end in words)
        return self._acronym_words

    def cues_in(self, kind: str, sentence: Sentence) -> list[tuple[int, int]]:
        """The (start, end) of every cue of `kind` inside `sentence`."""
        return self._by_sentence(kind).get(sentence.start, [])

    def has(self, kind: str, sentence: Sentence) -> bool:
        """A cue of `kind` lies inside `sentence`."""
        return sentence.start in self._by_sentence(kind)

    def sentences_with(self, *kinds: str) -> list[Sentence]:
        """The abstract's sentences (not the title) that hold a cue of any of `kinds`, in order."""
        starts = set().union(*[self._by_sentence(kind) for kind in kinds])
        return [s for s in self.sentences[1:] if s.start in starts]

    def _by_sentence(self, kind: str) -> dict[int, list[tuple[int, int]]]:
        """Cues of `kind` grouped by the start of the sentence that holds them whole."""
        grouped = self._grouped.get(kind)
        if grouped is None:
            grouped = self._grouped[kind] = {}
            sentences, at = self.sentences, 0
            for start, end in self.events.of(kind):  # both in text order: one walk, no search per cue
                while at < len(sentences) and sentences[at].end <= start:
                    at += 1
                if at == len(sentences):
                    break
                sentence = sentences[at]
                if sentence.start <= start and end <= sentence.end:
                    grouped.setdefault(sentence.start, []).append((start, end))
        return grouped

    @property
    def background_end(self) -> int:
        """Offset where the paper's own work starts: abstract sentences before the first one
        about "we", "our", "this paper" are background."""
        if self._background_end < 0:
            self._background_end = next((s.start for s in self.sentences[1:] if self.has("own_work", s)),
                                        len(self.text))
        return self._background_end

    def in_background(self, position: int) -> bool:
        """True for a position in a background sentence (never the title)."""
        return len(self.title) < position < self.background_end

    def sentence_at(self, position: int) -> Sentence:
        """The sentence that contains character `position` of `text`, else the one starting nearest
        (the earlier on a tie). Sentences are in text order, so this is a binary search."""
        after = bisect_right(self._starts, position)
        if after and position < self.sentences[after - 1].end:
            return self.sentences[after - 1]
        return min(self.sentences[max(after - 1, 0):after + 1], key=lambda s: abs(s.start - position))
