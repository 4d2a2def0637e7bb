"""Class names as bars, tables and formulas show them: cleaned, distinct, exactly one per class.

A name comes from a URL, a text box or a teacher's room: untrusted, so only letters, digits
and a little punctuation survive (nothing that is Markdown or LaTeX syntax).
"""

from __future__ import annotations

MAX_NAME_LENGTH = 20  # keeps bar labels readable and LaTeX short
NAME_PUNCTUATION = " -.'()&+/"  # with letters and digits of any script; no Markdown or LaTeX syntax


def _clean_name(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum() or ch in NAME_PUNCTUATION)


def default_class_name(i: int) -> str:
    return f"class {i}"


def parse_class_names(text, count: int) -> tuple[list[str], str | None]:
    """Comma-separated names -> exactly ``count`` distinct names, and a note if any was changed.

    Missing names become ``"class i"``; extra names are dropped; characters other than
    letters and digits (of any script), space and ``-.'()&+/`` are removed (they would
    be Markdown or LaTeX syntax in labels and formulas); duplicates get a suffix.

    >>> parse_class_names("panda, seal, duck", 3)
    (['panda', 'seal', 'duck'], None)
    >>> parse_class_names("cat,cat", 3)[0]
    ['cat', 'cat (2)', 'class 2']
    """
    raw = [] if not isinstance(text, str) else text.split(",")
    names: list[str] = []
    changed = False
    for i in range(count):
        given = raw[i].strip() if i < len(raw) else ""
        clean = _clean_name(given)[:MAX_NAME_LENGTH].strip()
        changed |= clean != given
        base = name = clean or default_class_name(i)
        copies = 1
        while name in names:  # bars and formulas need distinct labels
            copies += 1
            name = f"{base} ({copies})"
        names.append(name)
    dropped = len([r for r in raw[count:] if r.strip()])
    note = None
    if changed and any(r.strip() for r in raw[:count]):
        note = (f"Class names keep letters, digits, spaces and {NAME_PUNCTUATION.strip()} only, "
                f"up to {MAX_NAME_LENGTH} characters.")
    if dropped:
        note = (note + " " if note else "") + f"{dropped} name(s) beyond the {count} classes ignored."
    return names, note
