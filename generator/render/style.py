"""What every material shares: paper sizes and colour themes, each defined once.

Renderers take their ``paper`` and ``theme`` choices from here, so a size or a theme added
here is offered by every material that can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.i18n import N_

PT_PER_MM = 72 / 25.4

# Trim sizes in mm, portrait. B sizes are JIS B (the sizes Japanese offices use), not ISO B.
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "A1": (594, 841),
    "A2": (420, 594),
    "A3": (297, 420),
    "A4": (210, 297),
    "A5": (148, 210),
    "A6": (105, 148),
    "B2": (515, 728),
    "B3": (364, 515),
    "B4": (257, 364),
    "B5": (182, 257),
}


# One palette for the whole kit (handout, cards, poster, deck). Themes are variations of it;
# templates/handout/handout.css repeats these values as CSS variables (a test holds them equal).
PALETTE: dict[str, str] = {
    "ink": "#1a1a1a",  # text; K100 at the print shop
    "muted": "#4d4d4d",  # credits, footers, secondary text
    "indigo": "#183a6b",  # headlines, bands, the handout's accent
    "indigo_tint": "#eef2f7",  # panels, the handout's tinted boxes
    "indigo_tint_head": "#dfe7f0",  # table heads
    "indigo_tint_light": "#f3f6fa",  # quotations
    "indigo_rule": "#8aa2bd",  # card borders
    "indigo_rule_light": "#c5d1de",  # light rules
    "grid": "#777777",  # table grid
    "hairline": "#999999",  # thin rules
    "writing_line": "#aaaaaa",  # lines to write on
    "gold": "#e0a020",  # rules and bars only, never text
    "white": "#ffffff",
}
# The handout's CSS variables (templates/handout/handout.css) and the palette colour each is.
HANDOUT_VARIABLES: dict[str, str] = {
    "--ink": "ink", "--muted": "muted", "--accent": "indigo", "--tint": "indigo_tint", "--rule": "indigo_rule",
    "--rule-light": "indigo_rule_light", "--tint-head": "indigo_tint_head", "--tint-light": "indigo_tint_light",
    "--grid": "grid", "--hairline": "hairline", "--writing-line": "writing_line", "--paper": "white",
}

# Print-shop values of the palette (CMYK, 0-1). Black text is K100 only; greys are K only;
# other colours not listed here are converted by :func:`cmyk`.
PALETTE_CMYK: dict[str, tuple[float, float, float, float]] = {
    PALETTE["ink"]: (0, 0, 0, 1),
    PALETTE["muted"]: (0, 0, 0, 0.8),
    PALETTE["indigo"]: (1, 0.75, 0.2, 0.35),
    PALETTE["indigo_tint"]: (0.06, 0.02, 0, 0),
    PALETTE["gold"]: (0, 0.4, 0.9, 0.05),
    PALETTE["white"]: (0, 0, 0, 0),
    "#000000": (0, 0, 0, 1),
}

# One type scale for the kit: each role's size in pt, (smallest, largest), at the distance it
# is read from (field notes: cards 2-3 m, a wall poster 1-2 m, slides projected, a handout in
# the hand). Cards are given for A3 and the poster for A2; both scale with their paper.
TYPE_SCALE: dict[str, tuple[float, float]] = {
    "card_headline": (72, 120),  # message cards read from 2-3 m: at least 72 pt on A3
    "card_text": (28, 36),  # at least 28 pt on A3
    "card_words": (72, 200),  # the slogan and the bridge, display size
    "card_viewpoint_headline": (40, 60),
    "card_viewpoint_text": (28, 28),
    "poster_title": (72, 108),  # a wall poster read from 1-2 m, on A2
    "poster_heading": (36, 48),
    "poster_text": (24, 32),
    "poster_lead": (14, 20),  # the lead, in the footer
    "poster_kicker": (24, 28),
    "slide_title": (32, 44),  # projected slides (the deck's floors)
    "slide_text": (24, 32),
    "handout_text": (9, 11),  # a printed handout (its body sizes are in handout.py's papers)
}


def cmyk(colour: str, text: bool = False) -> tuple[float, float, float, float]:
    """``#rrggbb`` for the print shop: the palette's own values; a neutral grey as K only;
    near-black text as K100 (so it prints in one ink); else the naive separation."""
    colour = colour.lower()
    if colour in PALETTE_CMYK:
        return PALETTE_CMYK[colour]
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    if text and max(r, g, b) < 0.2 and max(r, g, b) - min(r, g, b) < 0.05:
        return (0, 0, 0, 1)
    k = 1 - max(r, g, b)
    if max(r, g, b) - min(r, g, b) < 0.02:
        return (0, 0, 0, round(k, 3))
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return tuple(round(v, 3) for v in (c, m, y, k))


def css_colour(colour: str, print_shop: bool, text: bool = False) -> str:
    """The CSS of ``colour``: itself, or ``device-cmyk()`` for the print shop."""
    if not print_shop:
        return colour
    return "device-cmyk({:g} {:g} {:g} {:g})".format(*cmyk(colour, text))


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
    return Theme(name, description, paper=PALETTE["white"], ink=PALETTE["ink"], headline=dark, muted=PALETTE["muted"],
                 band=dark, band_ink=PALETTE["white"], panel=light, panel_ink=PALETTE["ink"], accent=accent)


THEMES: dict[str, Theme] = {
    t.name: t
    for t in (
        Theme("ai", N_("indigo on white (the kit's palette)"), paper=PALETTE["white"], ink=PALETTE["ink"],
              headline=PALETTE["indigo"], muted=PALETTE["muted"], band=PALETTE["indigo"], band_ink=PALETTE["white"],
              panel=PALETTE["indigo_tint"], panel_ink=PALETTE["ink"], accent=PALETTE["gold"]),
        Theme("hinata", N_("warm brown on cream"), paper="#fff8ea", ink="#2b2118", headline="#8c2f0c",
              muted="#5c4637", band="#7a2a0c", band_ink="#fff8ea", panel="#fbe6c8", panel_ink="#2b2118",
              accent="#e8891a"),
        Theme("yoru", N_("light on dark navy (heavy ink)"), paper="#102a43", ink="#f3f6f9", headline="#ffd166",
              muted="#c4d2df", band="#ffd166", band_ink="#102a43", panel="#1f3d5c", panel_ink="#f3f6f9",
              accent="#ffd166"),
        _on_white("teal", N_("dark teal on white"), "#1f4e5a", "#2a8c82", "#e6f2f0"),
        _on_white("navy", N_("navy on white"), "#1f3a5f", "#3568b0", "#e8eef7"),
        _on_white("warm", N_("brown and orange on white"), "#5a3517", "#c8691c", "#faeee2"),
        _on_white("mono", N_("black and grey on white"), "#000000", "#555555", "#eeeeee"),
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
