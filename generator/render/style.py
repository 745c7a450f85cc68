"""What every material shares: paper sizes and colour themes, each defined once.

Renderers take their ``paper`` and ``theme`` choices from here, so a size or a theme added
here is offered by every material that can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

PT_PER_MM = 72 / 25.4

# Trim sizes in mm, portrait. B sizes are JIS B (the sizes Japanese offices use), not ISO B.
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "A1": (594, 841),
    "A2": (420, 594),
    "A3": (297, 420),
    "A4": (210, 297),
    "B2": (515, 728),
    "B3": (364, 515),
    "B4": (257, 364),
    "B5": (182, 257),
}


@dataclass(frozen=True)
class Theme:
    """A colour theme of the kit. Every text colour is used only on the background named
    beside it; the deck uses ``headline`` for its dark text, ``accent`` and ``panel`` (its
    light tint)."""

    name: str
    description: str
    paper: str  # page background (reaches into the bleed)
    ink: str  # body text on paper
    headline: str  # headlines and point markers on paper
    muted: str  # footer text on paper
    band: str  # the band at the top of a sheet
    band_ink: str  # text on the band
    panel: str  # poster panels; the deck's light tint
    panel_ink: str  # text on panels
    accent: str  # rules and bars only, never text

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """``(what, foreground, background)`` for every text colour on its background."""
        return [
            ("text", self.ink, self.paper),
            ("headline", self.headline, self.paper),
            ("footer", self.muted, self.paper),
            ("band", self.band_ink, self.band),
            ("panel text", self.panel_ink, self.panel),
            ("panel headline", self.headline, self.panel),
        ]

    @property
    def light_paper(self) -> bool:
        """Whether dark text on this theme's paper is the rule (slides are such)."""
        return relative_luminance(self.paper) > 0.5


def _on_white(name: str, description: str, dark: str, accent: str, light: str) -> Theme:
    """A theme of dark text and one accent on white paper."""
    return Theme(name, description, paper="#ffffff", ink="#1a1a1a", headline=dark, muted="#4d4d4d",
                 band=dark, band_ink="#ffffff", panel=light, panel_ink="#1a1a1a", accent=accent)


THEMES: dict[str, Theme] = {
    t.name: t
    for t in (
        Theme("ai", "indigo on white", paper="#ffffff", ink="#1a1a1a", headline="#183a6b",
              muted="#4d4d4d", band="#183a6b", band_ink="#ffffff", panel="#edf2f9", panel_ink="#1a1a1a",
              accent="#e0a020"),
        Theme("hinata", "warm brown on cream", paper="#fff8ea", ink="#2b2118", headline="#8c2f0c",
              muted="#5c4637", band="#7a2a0c", band_ink="#fff8ea", panel="#fbe6c8", panel_ink="#2b2118",
              accent="#e8891a"),
        Theme("yoru", "light on dark navy (heavy ink)", paper="#102a43", ink="#f3f6f9", headline="#ffd166",
              muted="#c4d2df", band="#ffd166", band_ink="#102a43", panel="#1f3d5c", panel_ink="#f3f6f9",
              accent="#ffd166"),
        _on_white("teal", "dark teal on white", "#1f4e5a", "#2a8c82", "#e6f2f0"),
        _on_white("navy", "navy on white", "#1f3a5f", "#3568b0", "#e8eef7"),
        _on_white("warm", "brown and orange on white", "#5a3517", "#c8691c", "#faeee2"),
        _on_white("mono", "black and grey on white", "#000000", "#555555", "#eeeeee"),
    )
}


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio (1 to 21)."""
    a, b = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)
