"""The composition audit (bench/audit_composition.py, issue 13) finds each fault it counts.

Each small PDF below holds exactly one known fault (or none, the control); the audit must
count exactly that. The last test runs it on every bundled material and paper, prints the
counts and asserts that they are all zero.
"""

from __future__ import annotations

import sys

import pytest
from helpers import PROJECT_DIR

sys.path.insert(0, str(PROJECT_DIR / "bench"))

import audit_composition  # noqa: E402

TEXT = "利用者の生活を支える仕事" * 10  # no character that kinsoku moves, all one em wide
PAGE_CSS = ('@page { size: 100mm 120mm; margin: 10mm } '
            'body { margin: 0; font: 10pt/1.7 "BIZ UDMincho" } '
            'p { width: 20em; margin: 0 0 1em; text-align: justify; text-indent: 0 } '
            'p.indent { text-indent: 1em; margin: 0 } '
            'h2 { width: 20em; margin: 0 0 1em; font: 700 14pt/1.5 "BIZ UDGothic" }')
NONE = dict.fromkeys(audit_composition.KINDS, 0)

CASES = {
    # justified paragraphs (first lines indented, last lines ragged: allowed) and a heading
    # broken at a phrase boundary (利用者の生活を｜支えるために)
    "clean": (f'<h2>利用者の生活を<br>支えるために</h2>'
              f'<p class="indent">{TEXT[:46]}。</p><p class="indent">{TEXT[3:50]}。</p>', {}),
    "a line crossing the margin": ('<p style="margin-left: -5mm">利用者の生活</p>', {"crossings": 1}),
    "a ragged justified line": (f'<p>{TEXT[:20]}{TEXT[:14]}<br>{TEXT[:20]}{TEXT[:6]}。</p>', {"short": 1}),
    "a widow": (f'<p>{TEXT[:21]}。</p>', {"widows": 1}),
    "a line starting with 、": (f'<p>{TEXT[:20]}<br>、{TEXT[:6]}。</p>', {"kinsoku": 1}),
    "a heading broken as 連／携": ('<h2>多職種連<br>携について</h2>', {"midword": 1}),
    # JLReq: a line may end with its punctuation set half width (the glyph in the left half),
    # and 「）、」 is set with the bracket's blank half taken away: neither is a fault
    "line-end punctuation at half width": (f'<p>{TEXT[:19]}<span style="margin-right: -5pt">、</span><br>{TEXT[:19]}あ<br>{TEXT[:6]}。</p>', {}),
    "a bracket and a comma set close": (f'<p>{TEXT[:17]}<span style="margin-right: -5pt">）</span>、あ<span style="margin-right: -5pt">。</span><br>'
                                   f'{TEXT[:19]}あ<br>{TEXT[:6]}。</p>', {}),
}


def audit_html(body: str, tmp_path) -> dict:
    from generator.render.pdf import html_to_pdf

    pdf, _ = html_to_pdf(f'<html lang="ja"><style>{PAGE_CSS}</style><body>{body}</body></html>')
    path = tmp_path / "test.pdf"
    path.write_bytes(pdf)
    return audit_composition.audit(path, margin_mm=10, justified=True)


@pytest.mark.parametrize("case", CASES)
def test_each_check_counts_exactly_its_fault(case, tmp_path):
    body, expected = CASES[case]
    result = audit_html(body, tmp_path)
    assert result["total"] == {**NONE, **expected}, result["faults"]
    assert result["pages"] == [result["total"]]


def test_the_faults_are_named_with_their_text(tmp_path):
    result = audit_html(CASES["a heading broken as 連／携"][0], tmp_path)
    assert [(f["kind"], f["page"], f["text"]) for f in result["faults"]] == [("midword", 1, "多職種連／携について")]
    result = audit_html(CASES["a line crossing the margin"][0], tmp_path)
    [fault] = result["faults"]
    assert fault["text"] == "利用者の生活" and fault["detail"] == "5.0 mm out"


def test_ragged_text_is_not_counted_short(tmp_path):
    from generator.render.pdf import html_to_pdf

    html = f'<html lang="ja"><style>{PAGE_CSS}</style><p>{TEXT[:20]}{TEXT[:14]}<br>{TEXT[:20]}{TEXT[:6]}。</p></html>'
    path = tmp_path / "ragged.pdf"
    path.write_bytes(html_to_pdf(html)[0])
    assert audit_composition.audit(path, margin_mm=10)["total"] == NONE  # not a handout: ragged by default


def test_the_audit_runs_on_every_bundled_material_and_paper(tmp_path, capsys):
    results = audit_composition.audit_bundled(tmp_path)
    with capsys.disabled():
        print("\n" + audit_composition.table(results))
    assert list(results) == [name for name, _ in audit_composition.BUNDLED]
    for name, result in results.items():
        assert result["pages"], name
        assert set(result["total"]) == set(audit_composition.KINDS)
    # Issue 13: every material composed (generator/render/compose.py) has none of the faults.
    faults = {name: result["faults"] for name, result in results.items() if any(result["total"].values())}
    assert not faults, faults
