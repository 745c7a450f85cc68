"""The content model: plain frozen dataclasses that know where each value came from.

No I/O here. Every piece of text is a :class:`Text`, a ``str`` that also carries the
:class:`Source` (file, line, key path) it was read from, so any later stage (glyph check,
card that does not fit, …) can name the place to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

# Ids of content items (also parts of file names: cards --split): lowercase words and hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 60

# Markers the renderers put before the points of a viewpoint (①, ②, …): at most this many points.
POINT_MARKERS = "".join(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)]))  # ①…㊿


@dataclass(frozen=True)
class Source:
    """Where a value was read: the file as shown to the user, its 1-based line, its key path."""

    path: str
    line: int | None
    key: str

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


class Text(str):
    """A string of content that remembers its :class:`Source`."""

    __slots__ = ("source",)

    def __new__(cls, value: str, source: Source | None = None) -> "Text":
        self = super().__new__(cls, value)
        self.source = source
        return self

    def __reduce__(self):
        return (Text, (str(self), self.source))


@dataclass(frozen=True)
class Correction:
    """An obvious typo fixed in the text: ``original`` is what the leaflet printed."""

    original: Text
    corrected: Text


@dataclass(frozen=True)
class Document:
    title_lines: tuple[Text, ...]
    committee: Text
    programme: Text
    date: Text
    date_iso: Text
    credit: Text

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def author(self) -> str:
        """The committee with its programme, as a PDF author or a citation names it."""
        return f"{self.programme} {self.committee}"


@dataclass(frozen=True)
class Section:
    id: Text
    heading: Text
    paragraphs: tuple[Text, ...]


@dataclass(frozen=True)
class Introduction:
    heading: Text
    subheading: Text
    opening: tuple[Text, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Viewpoint:
    id: Text
    number: int
    title: Text
    points: tuple[Text, ...]
    corrections: tuple[Correction, ...] = ()

    @property
    def label(self) -> str:
        """The numbered heading as the leaflet prints it: ``1.利用者・家族との関係において、…``."""
        return f"{self.number}.{self.title}"

    def numbered_points(self) -> list[tuple[str, Text]]:
        """``[(marker, point)]`` with the markers ①, ②, … ."""
        return list(zip(POINT_MARKERS, self.points))


@dataclass(frozen=True)
class Viewpoints:
    lead: Text
    heading: Text
    viewpoints: tuple[Viewpoint, ...]


@dataclass(frozen=True)
class Encouragement:
    title_lines: tuple[Text, ...]
    subtitle: Text
    lead: Text
    message_heading: Text
    paragraphs: tuple[Text, ...]
    slogan: Text

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def bridge(self) -> str:
        """The subtitle without its wave-dash ornaments: 「ケアマネジャーは人と人を結ぶ架け橋」."""
        return self.subtitle.strip("～〜~ 　")


@dataclass(frozen=True)
class Message:
    id: Text
    number: int
    title: Text
    body: Text
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True)
class Messages:
    heading: Text
    messages: tuple[Message, ...]


@dataclass(frozen=True)
class Content:
    """The whole message, in the leaflet's reading order."""

    document: Document
    introduction: Introduction | None  # each part but the document may be left out
    viewpoints: Viewpoints | None
    encouragement: Encouragement | None
    messages: Messages | None
    content_dir: Path = field(compare=False)

    def has(self, *parts: str) -> bool:
        """Whether the content has every one of ``parts`` (``"messages"``, ``"viewpoints"`` …)."""
        return all(getattr(self, part) is not None for part in parts)

    def counts(self) -> dict[str, int]:
        """How many of each part the content has (for summaries)."""
        viewpoints = self.viewpoints.viewpoints if self.viewpoints else ()
        return {
            "sections": len(self.introduction.sections) if self.introduction else 0,
            "viewpoints": len(viewpoints),
            "points": sum(len(v.points) for v in viewpoints),
            "messages": len(self.messages.messages) if self.messages else 0,
            "chars": sum(map(len, self.texts())),
        }

    def texts(self) -> Iterator[Text]:
        """Every piece of text in reading order (headings, paragraphs, points, …)."""
        d, i, v, e, m = self.document, self.introduction, self.viewpoints, self.encouragement, self.messages
        yield from d.title_lines
        yield from (d.programme, d.committee, d.date)
        if i:
            yield from (i.heading, i.subheading)
            yield from i.opening
            for section in i.sections:
                yield section.heading
                yield from section.paragraphs
        if v:
            yield from (v.lead, v.heading)
            for viewpoint in v.viewpoints:
                yield viewpoint.title
                yield from viewpoint.points
        if e:
            yield from e.title_lines
            yield from (e.subtitle, e.lead, e.message_heading)
            yield from e.paragraphs
            yield e.slogan
        if m:
            yield m.heading
            for message in m.messages:
                yield message.title
                yield message.body
        yield d.credit

    def corrections(self) -> Iterator[Correction]:
        for viewpoint in self.viewpoints.viewpoints if self.viewpoints else ():
            yield from viewpoint.corrections
        for message in self.messages.messages if self.messages else ():
            yield from message.corrections

    def published_texts(self) -> Iterator[str]:
        """:meth:`texts` with each recorded correction undone: the text as the leaflet printed it."""
        corrections = list(self.corrections())
        for text in self.texts():
            published = str(text)
            for c in corrections:
                if c.original.source and text.source and _same_item(c.original.source, text.source):
                    published = published.replace(c.corrected, c.original)
            yield published


def _same_item(correction: Source, text: Source) -> bool:
    """True when ``text`` belongs to the item (message, viewpoint) that holds ``correction``."""
    if correction.path != text.path:
        return False
    item = correction.key.split(".corrections", 1)[0]
    return text.key.startswith(item + ".")
