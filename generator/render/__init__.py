"""Renderers: each turns the content model into one material (files in the output folder).

A renderer is a :class:`Renderer` subclass registered by name with :func:`register`; the
CLI's material commands, ``build --only`` choices and help come from :data:`REGISTRY`.
Renderers never open content/ and never write files themselves: they return bytes to the
:class:`~generator.writer.OutputWriter`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from generator.model import Content


@dataclass(frozen=True)
class Artifact:
    """One file a renderer made: its name under the output folder, bytes, and what it holds."""

    name: str
    data: bytes
    pages: int | None = None  # pages or slides
    kind: str = "pages"  # "pages" or "slides"


class Renderer:
    """Base class. Subclasses set ``name`` and implement :meth:`render`."""

    name: ClassVar[str]
    description: ClassVar[str]

    def __init__(self, options: dict | None = None):
        self.options = dict(options or {})

    def render(self, content: Content) -> list[Artifact]:
        """Return the files of this material. Raise PrintgenError for problems the user can fix."""
        raise NotImplementedError


REGISTRY: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    REGISTRY[cls.name] = cls
    return cls
