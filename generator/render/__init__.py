"""Renderers: each turns the content model into one material (files in the output folder).

A renderer is a :class:`Renderer` subclass registered by name with :func:`register`; the
CLI's material commands, ``build --only`` choices and help come from :data:`REGISTRY`.
Renderers never open content/ and never write files themselves: they return bytes to the
:class:`~generator.writer.OutputWriter`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # not at run time: the CLI imports this module for the material names
    from generator.model import Content


@dataclass(frozen=True)
class Artifact:
    """One file a renderer made: its name under the output folder, bytes, and what it holds."""

    name: str
    data: bytes
    pages: int | None = None  # pages or slides
    kind: str = "pages"  # "pages" or "slides"

    @property
    def count(self) -> str:
        """``"11 pages"``, ``"1 slide"``, or ``""`` when not counted."""
        if self.pages is None:
            return ""
        return f"{self.pages} {self.kind if self.pages != 1 else self.kind.removesuffix('s')}"


class Renderer:
    """Base class. Subclasses set ``name`` and implement :meth:`render`."""

    name: ClassVar[str]
    description: ClassVar[str]
    # What the material is made from, for incremental builds: the content files it reads
    # (by default all of them) and its folders under templates/.
    content_files: ClassVar[tuple[str, ...] | None] = None
    template_dirs: ClassVar[tuple[str, ...] | None] = None  # default: (name,)
    # Render time relative to the others: a parallel build starts the longest first, so the
    # last one to finish is a short one (the longest material decides the wall time).
    cost: ClassVar[float] = 1.0
    # Whether :meth:`prepare` takes long (the deck's python-pptx work, ~0.4 s): a parallel
    # build then starts this material after the first ones, whose workers would otherwise
    # wait for it.
    slow_prepare: ClassVar[bool] = False

    def __init__(self, options: dict | None = None):
        self.options = dict(options or {})

    def render(self, content: Content) -> list[Artifact]:
        """Return the files of this material. Raise PrintgenError for problems the user can fix.
        By default ``finish(content, prepare(content))``; a renderer that does not split its
        work overrides this instead."""
        return self.finish(content, self.prepare(content))

    # A renderer may split its work in two: :meth:`prepare`, which must not use WeasyPrint
    # (a parallel build runs it in a process forked before the parent imports WeasyPrint, so it
    # overlaps that import), and :meth:`finish`, given what prepare returned (pickled: it comes
    # from another process). ``render(content)`` must equal ``finish(content, prepare(content))``.
    def prepare(self, content: Content) -> object:
        raise NotImplementedError

    def finish(self, content: Content, prepared: object) -> list[Artifact]:
        raise NotImplementedError

    @property
    def prepares(self) -> bool:
        """Whether this renderer splits its work (see :meth:`prepare`)."""
        return type(self).prepare is not Renderer.prepare


REGISTRY: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    REGISTRY[cls.name] = cls
    return cls


# The modules that define the renderers, in the order `build` makes them.
RENDERER_MODULES = ("handout", "cards", "poster", "deck")


def load_renderers(names=RENDERER_MODULES) -> dict[str, type[Renderer]]:
    """Import the renderer modules (cheap: they import WeasyPrint/python-pptx only when rendering)."""
    import importlib

    for module in names:
        importlib.import_module(f"generator.render.{module}")
    return REGISTRY
