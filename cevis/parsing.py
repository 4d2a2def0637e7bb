"""User text and URL values -> clean Python values, with clear errors.

Anything a person types or a link carries is untrusted: these functions never
raise on it, they return a cleaned value (and, where something was dropped, say
what in a message the page can show).
"""

from __future__ import annotations

import re

MAX_NAME_LENGTH = 20  # keeps bar labels readable and LaTeX short
NAME_CHARACTERS = re.compile(r"[^0-9A-Za-z _\-.']")  # plain text only: safe in LaTeX and HTML


def default_class_name(i: int) -> str:
    return f"class {i}"


def parse_class_names(text, count: int) -> tuple[list[str], str | None]:
    """Comma-separated names -> exactly ``count`` distinct names, and a note if any was changed.

    Missing names become ``"class i"``; extra names are dropped; characters outside
    letters, digits, space and ``_-.'`` are removed; duplicates get a suffix.

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
        clean = NAME_CHARACTERS.sub("", given)[:MAX_NAME_LENGTH].strip()
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
        note = (f"Class names keep letters, digits, spaces and _-.' only, up to "
                f"{MAX_NAME_LENGTH} characters.")
    if dropped:
        note = (note + " " if note else "") + f"{dropped} name(s) beyond the {count} classes ignored."
    return names, note
