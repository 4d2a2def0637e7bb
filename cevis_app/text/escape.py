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
# GFM turns bare URLs and e-mail addresses into links *after* escapes are read, so a
# backslash does not stop them: an invisible WORD JOINER (U+2060) inside "://", after
# "www" and after "@" does, and the text still looks the same.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(:)(?=\\?/\\?/)|(?i:(www))(?=\\?\.)|(@)")
LATEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                  "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}"}


def markdown(text) -> str:
    r"""``text`` as literal Markdown: punctuation backslash-escaped, ``<`` as ``&lt;``, one line,
    and no bare URL or e-mail address left for GFM to turn into a link.

    >>> markdown("**pwned** [x](y)")
    '\\*\\*pwned\\*\\* \\[x\\]\\(y\\)'
    >>> markdown("<img src=x>")
    '&lt;img src\\=x\\>'
    """
    flat = _NEWLINES.sub(" ", str(text))  # a newline could start a heading, list or block
    unlinked = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, flat)
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", unlinked)
    return escaped.replace("\\<", "&lt;")


def latex_text(text) -> str:
    r"""``text`` as upright text in a formula: ``\text{...}`` with LaTeX's specials escaped.

    >>> latex_text("a_b$")
    '\\text{a\\_b\\$}'
    """
    flat = _NEWLINES.sub(" ", str(text))
    return r"\text{" + "".join(LATEX_SPECIALS.get(ch, ch) for ch in flat) + "}"
