"""Uploaded bytes -> the rows of a CSV file, or an InputError that says plainly why not.

Spreadsheets write many variants of "CSV": CR-only line ends (Excel's "CSV (Macintosh)"),
CRLF, a UTF-8 byte-order mark ("CSV UTF-8"), UTF-16 with a byte-order mark ("Unicode
text"). All of them are read. Anything else (a binary file, another encoding, a
malformed quote, a cell longer than the csv module takes) is refused with a message
naming the line, never a ``_csv.Error`` traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re

from cevis import InputError

MAX_CSV_BYTES = 1024 * 1024  # = server.maxUploadSize = 1 in .streamlit/config.toml (Streamlit's MB is MiB)
SHOWN_CHARS = 40  # echoed cells are cut to this: a message must stay one short line
# UTF-32 first: its little-endian mark starts with UTF-16's
BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
                    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
                    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
                    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
                    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a text CSV (tab, CR, LF are)


def shown(value, limit: int = SHOWN_CHARS) -> str:
    """``value`` as a quoted, one-line, length-capped string for an error message.

    >>> shown("abc")
    "'abc'"
    >>> shown("x" * 100, 5)
    "'xxxxx…' (100 characters)"
    """
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}"[:-1] + f"…' ({len(text):,} characters)"


def decode_csv_text(data) -> str:
    """The text of an uploaded file: UTF-8 (BOM or not), or UTF-16/32 with a BOM."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"the upload is a {type(data).__name__}; expected the bytes of a CSV file")
    data = bytes(data)
    if len(data) > MAX_CSV_BYTES:
        raise InputError(f"the file has {len(data):,} bytes; at most {MAX_CSV_BYTES:,} (1 MB) "
                         "are read")
    codec, name = "utf-8", None
    for bom, bom_codec, bom_name in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            data, codec, name = data[len(bom):], bom_codec, bom_name
            break
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        if name and name != "UTF-8":
            raise InputError(f"the file starts with a {name} byte-order mark but is not {name} "
                             f"text (byte {err.start:,})") from None
        raise InputError(f"the file is not UTF-8 text (byte {err.start:,} is not); save it as "
                         "'CSV UTF-8' or plain CSV and upload it again") from None
    bad = CONTROL.search(text)
    if bad:
        raise InputError(f"the file holds a control character (code {ord(bad.group()):#04x}) at "
                         f"character {bad.start():,}: it is not a CSV text file (a spreadsheet "
                         "such as .xlsx, or UTF-16 without a byte-order mark?)")
    return text


def _csv_error(err: csv.Error, line: int) -> InputError:
    if "field larger than field limit" in str(err):
        return InputError(f"line {line:,}: a cell longer than {csv.field_size_limit():,} "
                          "characters; expected numbers and column names")
    return InputError(f"line {line:,}: not valid CSV ({err})")


def read_csv_rows(data, header_hint: str) -> list[list[str]]:
    """The non-blank rows of a CSV file, header first; CR, LF and CRLF line ends alike.

    >>> read_csv_rows(b"label,prediction\\r1,0.9\\r\\r0,0.2\\r", "'label,prediction'")
    [['label', 'prediction'], ['1', '0.9'], ['0', '0.2']]
    """
    text = decode_csv_text(data)
    # newline="" hands the csv module the raw line ends, which it splits on all three kinds
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # a stray quote is an error
    try:
        rows = [row for row in reader if any(c.strip() for c in row)]
    except csv.Error as err:
        raise _csv_error(err, reader.line_num) from None
    if not rows:
        raise InputError(f"the file is empty; expected a header {header_hint} and one row per "
                         "sample")
    return rows


def csv_body(rows, max_rows: int, where: str) -> list[list[str]]:
    """The rows under the header: at least one, at most ``max_rows``."""
    body = rows[1:]
    if not body:
        raise InputError("the file has a header but no rows; expected one row per sample")
    if len(body) > max_rows:
        raise InputError(f"the file has {len(body):,} rows; at most {max_rows} fit {where}")
    return body


def shown_header(cells) -> str:
    """A header row for a message: its first cells, each cut short."""
    head = ", ".join(shown(c, 20) for c in cells[:8])
    return f"[{head}{', …' if len(cells) > 8 else ''}]"


def number(raw, where: str) -> float:
    """A cell (typed, from a file or from an editor) -> a finite float, or an InputError."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise InputError(f"{where}: {shown(raw)} is not a number")
    try:
        value = float(str(raw).strip())
    except (ValueError, OverflowError):
        raise InputError(f"{where}: {shown(str(raw).strip())} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {shown(raw)} is not a finite number")
    return value
