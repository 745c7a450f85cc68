"""The bundled content is a complete, word-for-word transcription of the leaflet (tests/seed.txt)."""

import re

from helpers import PROJECT_DIR, squeeze

SEED = (PROJECT_DIR / "tests" / "seed.txt").read_text(encoding="utf-8")
PAGE_FURNITURE = re.compile(r"\((?:1|2)/2\)")
MARKERS = "◼①②③④"


def seed_pieces() -> list[str]:
    """The seed, white space removed, cut at sentence ends (。？！) and at the ◼/① bullets."""
    text = squeeze(PAGE_FURNITURE.sub("", SEED))
    pieces = re.split(rf"(?<=[。？！])|[{MARKERS}]", text)
    return [p for p in pieces if p]


def published(content) -> list[str]:
    """Every text of the content as the leaflet printed it, squeezed; viewpoints also with their number."""
    texts = [squeeze(t) for t in content.published_texts()]
    texts += [squeeze(v.label) for v in content.viewpoints.viewpoints]
    return texts


def test_every_seed_sentence_is_in_the_content(content):
    texts = published(content)
    joined = "|".join(texts)
    headings = sorted(set(texts), key=len, reverse=True)
    missing = []
    for piece in seed_pieces():
        rest = piece
        # A heading (a whole text of its own) may stand glued before a sentence in the extraction.
        while rest and rest not in joined:
            heading = next((h for h in headings if rest.startswith(h)), None)
            if heading is None:
                break
            rest = rest[len(heading):]
        if rest and rest not in joined:
            missing.append(piece)
    assert missing == []


def test_every_content_text_is_in_the_seed(content):
    seed = squeeze(PAGE_FURNITURE.sub("", SEED))
    invented = [t for t in published(content) if t not in seed]
    assert invented == []


def test_reading_order_follows_the_leaflet(content):
    seed = squeeze(PAGE_FURNITURE.sub("", SEED))
    messages = [squeeze(m.title) for m in content.messages.messages]
    positions = [seed.index(t) for t in messages]
    assert positions == sorted(positions)
    for viewpoint in content.viewpoints.viewpoints:
        points = [seed.index(squeeze(p)) for p in viewpoint.points if squeeze(p) in seed]
        assert points == sorted(points)
        # the leaflet's extraction puts each viewpoint's heading right after its four points
        assert seed.index(squeeze(viewpoint.label)) > points[-1]


def test_shape_of_the_message(content):
    assert content.document.title == "介護支援専門員自身が考える今後の“目指すべき介護支援専門員像”"
    assert content.document.date == "令和3年3月"
    assert [s.heading for s in content.introduction.sections] == [
        "介護支援専門員が果たしてきた役割",
        "介護支援専門員を取り巻く環境の変化とさらなる期待",
        "これからの介護支援専門員像とは",
    ]
    assert [len(s.paragraphs) for s in content.introduction.sections] == [2, 3, 3]
    assert [v.label for v in content.viewpoints.viewpoints] == [
        "1.利用者・家族との関係において、どうあるべきか",
        "2.各居宅介護支援事業所（組織・一員）において、どうあるべきか",
        "3.各地域において、どうあるべきか",
        "4.多（他）職種連携において、どうあるべきか",
    ]
    assert [len(v.points) for v in content.viewpoints.viewpoints] == [4, 4, 4, 4]
    assert len(content.encouragement.paragraphs) == 3
    assert content.encouragement.slogan == "立場を超えた連携・協働を！"
    assert content.encouragement.bridge == "ケアマネジャーは人と人を結ぶ架け橋"
    assert len(content.messages.messages) == 20
    assert content.messages.messages[-1].title == "未来を創る、未来を拓く"


def test_no_bullet_characters_in_text(content):
    assert not [t for t in content.texts() if any(m in t for m in MARKERS)]


def test_only_the_two_known_typos_are_corrected_and_recorded(content):
    corrections = {(c.original, c.corrected) for c in content.corrections()}
    assert corrections == {("かんばりすぎ", "がんばりすぎ"), ("言語をの理解", "言語の理解")}
    seed = squeeze(SEED)
    for original, corrected in corrections:
        assert original in seed
        assert not any(original in t for t in content.texts())
