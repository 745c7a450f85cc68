"""The shape of the code: public library APIs only, one build path, options declared once."""

from __future__ import annotations

import ast
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from helpers import PROJECT_DIR, pdf_page_sizes, pdf_page_texts, project_copy, run_printgen, squeeze

GENERATOR = PROJECT_DIR / "generator"
# (file, code) of every accepted exception to the rules below: none.
ALLOWED: set[tuple[str, str]] = set()


def _own(module: str | None) -> bool:
    return bool(module) and (module == "generator" or module.startswith("generator."))


def _violations(path: Path, root: Path = PROJECT_DIR) -> list[tuple[str, int, str]]:
    """Private names of other code and assignments to other libraries' attributes in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    rel = str(path.relative_to(root))
    imported: set[str] = set()  # names bound to another library's module, class or function
    found = []

    def private(name: str) -> bool:  # (_ alone is gettext's name for "translate", not a private one)
        return name.startswith("_") and name != "_" and not (name.startswith("__") and name.endswith("__"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not _own(alias.name):
                    imported.add((alias.asname or alias.name).split(".")[0])
                if any(private(part) for part in alias.name.split(".")):
                    found.append((rel, node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            if not _own(node.module) and node.level == 0:
                imported.update(alias.asname or alias.name for alias in node.names)
            if any(private(part) for part in (node.module or "").split(".")):
                found.append((rel, node.lineno, f"from {node.module} import …"))
            found += [(rel, node.lineno, f"from {node.module} import {a.name}") for a in node.names if private(a.name)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append((rel, node.lineno, ast.unparse(node)))
        if isinstance(node, ast.Attribute) and ast.unparse(node) == "sys.meta_path":
            found.append((rel, node.lineno, "an import hook (sys.meta_path)"))
        # An attribute of another library set or deleted: x.attr = …, setattr(x, …)
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = [t for t in (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target])
                       if isinstance(t, ast.Attribute)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
            targets = node.args[:1]
        for target in targets:
            root = target
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            if isinstance(root, ast.Name) and root.id in imported:
                found.append((rel, node.lineno, f"assigns {ast.unparse(target)}"))
    return found


def test_no_private_names_and_no_monkey_patches_of_other_libraries():
    found = [v for path in sorted(GENERATOR.rglob("*.py")) for v in _violations(path)]
    assert [v for v in found if (v[0], v[2]) not in ALLOWED] == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    """The rules above catch each kind of fault (a check that cannot fail proves nothing)."""
    sample = tmp_path / "generator" / "sample.py"
    sample.parent.mkdir()
    sample.write_text(textwrap.dedent("""
        import ctypes.util
        from weasyprint.pdf import fonts as pdf_fonts
        from fontTools.ttLib.tables._g_l_y_f import Glyph
        from concurrent.futures import ProcessPoolExecutor
        import sys

        def f(prs, pool):
            prs.slides._sldIdLst
            pool._processes
            pdf_fonts.TTFont = None
            ctypes.util.find_library = lambda name: None
            setattr(pdf_fonts, "Font", None)
            sys.meta_path.insert(0, None)
            self._mine = 1
    """), encoding="utf-8")
    kinds = [code for _, _, code in sorted(_violations(sample, tmp_path), key=lambda v: v[1])]
    assert kinds == [
        "from fontTools.ttLib.tables._g_l_y_f import …",
        "prs.slides._sldIdLst", "pool._processes",
        "assigns pdf_fonts.TTFont", "assigns ctypes.util.find_library", "assigns pdf_fonts",
        "an import hook (sys.meta_path)",
    ]


# --- one build path, options from printgen.toml ----------------------------------------------


@pytest.fixture()
def project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(PROJECT_DIR / "content", root / "content")
    return root


def _a4_portrait(sizes):
    return all(abs(w - 595.28) < 0.5 and abs(h - 841.89) < 0.5 for w, h in sizes)


def test_printgen_toml_sets_a_materials_options_for_build_and_the_command_line_overrides_it(project):
    (project / "printgen.toml").write_text('[cards]\npaper = "A4"\n', encoding="utf-8")
    out = project / "output"
    result = run_printgen("build", "--only", "cards", cwd=project)
    assert result.exit_code == 0, result.stderr
    assert _a4_portrait(pdf_page_sizes(out / "cards.pdf"))

    # For one run, the command line wins; the next build goes back to printgen.toml.
    result = run_printgen("cards", "--paper", "A3", cwd=project)
    assert result.exit_code == 0, result.stderr
    assert {size for size in pdf_page_sizes(out / "cards.pdf")} == {(841.89, 1190.55)}
    result = run_printgen("build", cwd=project)
    assert result.exit_code == 0, result.stderr
    assert _a4_portrait(pdf_page_sizes(out / "cards.pdf"))
    assert "up to date" not in result.stdout.splitlines()[-2] or "cards" not in result.stdout.splitlines()[-2]


def test_a_material_command_and_build_share_the_incremental_build(project):
    assert run_printgen("poster", cwd=project).exit_code == 0
    again = run_printgen("build", "--only", "poster", cwd=project)
    assert again.exit_code == 0 and "up to date: poster" in again.stdout
    forced = run_printgen("poster", "--force", cwd=project)
    assert forced.exit_code == 0 and "poster.pdf" in forced.stdout


@pytest.mark.parametrize("toml, expected", [
    ('[cards]\npaper = "A7"\n', ['printgen.toml:2: error: cards.paper: expected one of A3, A4, A5, A6, A2, B4, B3, B2, found \'A7\'']),
    ('[cards]\npapr = "A4"\n', ["printgen.toml:2: error: cards.papr: unknown option; did you mean 'paper'? "
                                "(the options of [cards] are: paper, landscape, bleed, crop_marks, print_shop, theme, sheet, split)"]),
    ('[crads]\npaper = "A4"\n', ["printgen.toml:1: error: crads: unknown material; did you mean 'cards'? "
                                 "(the tables are: [handout], [cards], [poster], [deck], [kit])"]),
    ('[poster]\nbleed = nan\nlandscape = "yes"\n', [
        "printgen.toml:2: error: poster.bleed: expected a number from 0 to 20, found nan",
        "printgen.toml:3: error: poster.landscape: expected true or false, found 'yes'"]),
    ('# our settings\n[deck]\ntemplate = "missing.pptx"\n', ["printgen.toml:3: error: deck.template: file 'missing.pptx' not found"]),
    ('[cards]\npaper = A4\n', ["printgen.toml:2: error: settings: not valid TOML: Invalid value"]),
])
def test_a_mistake_in_printgen_toml_names_its_line_and_key(project, toml, expected):
    (project / "printgen.toml").write_text(toml, encoding="utf-8")
    for command in (["build"], ["cards"], ["check"]):
        result = run_printgen(*command, cwd=project)
        assert (result.exit_code, result.stderr.splitlines()) == (1, expected), command
    assert not (project / "output").exists()


def test_a_template_in_printgen_toml_is_found_beside_it(project):
    from pptx import Presentation

    Presentation().save(str(project / "ours.pptx"))  # 4:3, python-pptx's default
    (project / "printgen.toml").write_text('[deck]\ntemplate = "ours.pptx"\ntheme = "navy"\n', encoding="utf-8")
    result = run_printgen("build", "--only", "deck", cwd=project)
    assert result.exit_code == 0, result.stderr


# --- a new output kind: one renderer module and one template folder ---------------------------

FLYER = '''
"""An example output kind: a one-page flyer with the document's title."""

from generator.render import Artifact, Option, Renderer, register

ORDER = 5


@register
class FlyerRenderer(Renderer):
    name = "flyer"
    description = "A one-page flyer."
    options = (Option("paper", "choice", "Paper size.", default="A5", choices=("A5", "A4")),)
    content_files = ("document.yaml",)

    def render(self, content):
        from generator.render.pdf import html_to_pdf
        from generator.templates import environment

        html = environment().get_template("flyer/flyer.html").render(doc=content.document, paper=self.settings["paper"])
        pdf, pages = html_to_pdf(html)
        return [Artifact("flyer.pdf", pdf, pages)]
'''
FLYER_TEMPLATE = """<html lang="ja"><style>@page { size: {{ paper }} } h1 { font: 20pt "BIZ UDPGothic" }</style>
<h1>{{ doc.title }}</h1></html>
"""


def test_a_new_output_kind_is_one_module_and_one_template_folder(tmp_path):
    project = project_copy(tmp_path / "printgen")
    (project / "generator" / "render" / "flyer.py").write_text(FLYER, encoding="utf-8")
    (project / "templates" / "flyer").mkdir()
    (project / "templates" / "flyer" / "flyer.html").write_text(FLYER_TEMPLATE, encoding="utf-8")
    (project / "printgen.toml").write_text('[flyer]\npaper = "A4"\n', encoding="utf-8")

    help_ = run_printgen("--help", cwd=project, project=project)
    assert "flyer" in help_.stdout
    result = run_printgen("build", "--only", "flyer", cwd=project, project=project)
    assert result.exit_code == 0, result.stderr
    assert _a4_portrait(pdf_page_sizes(project / "output" / "flyer.pdf"))
    assert "介護支援専門員像" in squeeze(pdf_page_texts(project / "output" / "flyer.pdf")[0])
    result = run_printgen("flyer", "--paper", "A5", cwd=project, project=project)
    assert result.exit_code == 0, result.stderr
    assert pdf_page_sizes(project / "output" / "flyer.pdf") == [(419.53, 595.28)]


def test_docs_list_every_option_of_printgen_toml():
    from generator.render import load_renderers

    text = (PROJECT_DIR / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `\[(\w+)\]` \| `(\w+)` \|", text, flags=re.M))
    assert rows == {(name, o.name) for name, cls in load_renderers().items() for o in cls.options}


@pytest.mark.parametrize("args, message", [
    (["cards", "--bleed", "nan"], "Invalid value for '--bleed': expected a number from 0 to 20, found nan"),
    (["poster", "--bleed", "-1"], "Invalid value for '--bleed': expected a number from 0 to 20, found -1"),
    (["cards", "--paper", "A7"], "Invalid value for '--paper': expected one of A3, A4, A5, A6, A2, B4, B3, B2, found 'A7'"),
    (["deck", "--theme", "yoru"], "Invalid value for '--theme': expected one of ai, hinata, teal, navy, warm, mono, found 'yoru'"),
])
def test_the_command_line_refuses_what_printgen_toml_refuses(tmp_path, args, message):
    result = run_printgen(*args, "--out", tmp_path / "out")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"Error: {message}")
    assert not (tmp_path / "out").exists()
