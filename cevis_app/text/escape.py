r"""User text shown as plain text: escaped for Markdown (and the HTML inside it) or for LaTeX.

Every string a visitor controls (URL parameters, class names, CSV cells, file names, the
messages that quote them) goes through one of these before ``st.markdown``, ``st.error``,
``st.caption``, ``st.metric`` labels or ``st.latex``; none of it may render as markup.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark, so escaping
# all of them is safe and leaves no construct (emphasis, links, images, code, tables,
# headings, lists, math `$`, Streamlit's :color[...] and :material/...: directives) alive.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'^%@;,?/])")
# `<` is escaped as an entity too: a backslash before it is not honoured inside every
# HTML context the Markdown renderer may recognise.
_NEWLINES = re.compile(r"[\r\n]+")
LATEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                  "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}"}


def markdown(text) -> str:
    r"""``text`` as literal Markdown: punctuation backslash-escaped, ``<`` as ``&lt;``, one line.

    >>> markdown("**pwned** [x](http://e)")
    '\\*\\*pwned\\*\\* \\[x\\]\\(http\\:\\/\\/e\\)'
    >>> markdown("<img src=x>")
    '&lt;img src\\=x\\>'
    """
    flat = _NEWLINES.sub(" ", str(text))  # a newline could start a heading, list or block
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", flat)
    return escaped.replace("\\<", "&lt;")


def latex_text(text) -> str:
    r"""``text`` as upright text in a formula: ``\text{...}`` with LaTeX's specials escaped.

    >>> latex_text("a_b$")
    '\\text{a\\_b\\$}'
    """
    flat = _NEWLINES.sub(" ", str(text))
    return r"\text{" + "".join(LATEX_SPECIALS.get(ch, ch) for ch in flat) + "}"
