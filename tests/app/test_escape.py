"""Escaping user text: the Markdown and LaTeX forms read back as the text, with no markup left.

The reference is the rule each renderer applies, written out here: CommonMark turns a
backslash before ASCII punctuation into that character (and &lt; into <); LaTeX text
mode reads the escapes listed below. Nothing is compared with cevis_app's own tables.
"""

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from cevis_app.text import escape
from cevis_app.text import formulas

HOSTILE = ["**pwned** [click here](https://evil.example/login) ![i](http://127.0.0.1:9/x.png)",
           "<img src=x onerror=alert(1)>", r"$\color{red}{\Huge PWNED}$", ":red[big]",
           "# heading", "1. list", "> quote", "`code`", "a_b_c", "&lt;b&gt;", "|a|b|", "~~s~~",
           "line\nbreak\r\n# heading", "\\", "---"]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))


def commonmark_reads(md: str) -> str:
    """What CommonMark shows for text made only of escapes and plain characters."""
    return re.sub(r"\\([!-/:-@\[-`{-~])|&lt;", lambda m: m.group(1) or "<", md)


@given(TEXT)
def test_markdown_reads_back_as_the_text_on_one_line(text):
    md = escape.markdown(text)
    shown = commonmark_reads(md)
    assert shown.replace(escape.WORD_JOINER, "") == re.sub(r"[\r\n]+", " ", text)


@given(st.one_of(TEXT, st.sampled_from(["https://evil.example/x", "WWW.evil.example",
                                         "me@evil.example", "mailto:me@evil.example"])))
def test_markdown_leaves_no_bare_link_for_gfm(text):
    """GFM links bare URLs, www. names and e-mail addresses in the text it reads."""
    shown = commonmark_reads(escape.markdown(text))
    assert "://" not in shown and "www." not in shown.lower()
    assert not re.search("@[^\u2060]", shown)


@given(TEXT)
def test_markdown_leaves_no_punctuation_unescaped(text):
    md = escape.markdown(text)
    i = 0
    while i < len(md):  # every ASCII punctuation is escaped, or is the & of &lt;
        if md.startswith("&lt;", i):
            i += 4
            continue
        if md[i] == "\\":
            assert i + 1 < len(md) and md[i + 1] in string.punctuation, md
            i += 2
            continue
        assert md[i] not in string.punctuation, (md, i)
        assert md[i] not in "\r\n"
        i += 1


LATEX_READS = {r"\textbackslash{}": "\\", r"\^{}": "^", r"\~{}": "~", r"\{": "{", r"\}": "}",
               r"\$": "$", r"\&": "&", r"\#": "#", r"\_": "_", r"\%": "%"}


def latex_reads(body: str) -> str:
    """LaTeX text mode: the escapes above; any other special character would be markup."""
    out, i = [], 0
    while i < len(body):
        for seq, ch in LATEX_READS.items():
            if body.startswith(seq, i):
                out.append(ch)
                i += len(seq)
                break
        else:
            assert body[i] not in "\\{}$&#^_%~", (body, i)  # a live special character
            out.append(body[i])
            i += 1
    return "".join(out)


@given(TEXT)
def test_latex_text_reads_back_as_the_text(text):
    tex = escape.latex_text(text)
    assert tex.startswith(r"\text{") and tex.endswith("}")
    assert latex_reads(tex[len(r"\text{"):-1]) == re.sub(r"[\r\n]+", " ", text)


def test_class_names_in_formulas_are_escaped():
    from cevis_app.views.sample import explain_sample

    sample = explain_sample([1.0, 0.0], 0)
    tex = formulas.softmax_latex(sample, [r"a&b_$\x^{}", "b"]) + formulas.loss_latex(
        sample, [r"a&b_$\x^{}", "b"])
    assert r"\text{a\&b\_\$\textbackslash{}x\^{}\{\}}" in tex
    assert "a&b" not in tex
