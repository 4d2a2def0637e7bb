"""Uploaded bytes: every line ending and encoding a spreadsheet writes, or a plain refusal."""

import codecs
import math

import pytest

from cevis import InputError
from cevis_app.text import samples
from cevis_app.text.csvfile import read_csv_rows
from cevis_app.views.binary import explain_binary

ROWS = [(1, 0.9), (0, 0.2)]
TEXT = "label,prediction\n1,0.9\n0,0.2\n"


@pytest.mark.parametrize("data", [
    TEXT.encode(),
    TEXT.replace("\n", "\r").encode(),  # Excel's "CSV (Macintosh)"
    TEXT.replace("\n", "\r\n").encode(),
    TEXT.replace("\n", "\r\n", 1).replace("\n0", "\r0").encode(),  # mixed
    codecs.BOM_UTF8 + TEXT.encode(),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),  # Excel's "Unicode text"
    codecs.BOM_UTF16_BE + TEXT.replace("\n", "\r\n").encode("utf-16-be"),
    codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    ("\n\n" + TEXT.replace("\n", "\n\n")).encode(),
], ids=["lf", "cr", "crlf", "mixed", "utf8-bom", "utf16le", "utf16be-crlf", "utf32", "blank-lines"])
def test_line_ends_and_encodings_read_the_same(data):
    assert samples.parse_samples_csv(data, "probability") == (ROWS, "probability")


@pytest.mark.parametrize("data, message", [
    (TEXT.encode("utf-16-le"), r"control character \(code 0x00\).*without a byte-order mark"),
    (codecs.BOM_UTF16_LE + b"l\x00\x00\xd8", r"UTF-16 byte-order mark but is not UTF-16 text"),
    (TEXT.encode("cp1252") + "é".encode("cp1252"), r"not UTF-8 text .*CSV UTF-8"),
    (b"PK\x03\x04\x14\x00\x06\x00", r"control character.*\.xlsx"),
    (b'label,prediction\n1,"0.5\n', r"line \d: not valid CSV"),
    (b"label,prediction\n1," + b"9" * 140_000 + b"\n", r"line 2: a cell longer than 131,072"),
    (b"# only a comment\n", r"only comment lines"),
    (b"label,prediction\n1,=HYPERLINK(\"http://x\")\n", r"row 1, column 'prediction': "
     r"'=HYPERLINK\(\"http://x\"\)' is not a number"),
    (b"label,prediction\n1," + b"x" * 5000 + b"\n", r"'x{40}…' \(5,000 characters\) is not a number"),
], ids=["utf16-no-bom", "bad-utf16", "cp1252", "zip", "open-quote", "huge-field", "comments",
        "formula", "long-cell"])
def test_unreadable_files_are_refused_plainly(data, message):
    with pytest.raises(InputError, match=message) as err:
        samples.parse_samples_csv(data, "probability")
    assert len(str(err.value)) < 300 and "\n" not in str(err.value)


def test_read_csv_rows_rejects_what_is_not_bytes():
    with pytest.raises(InputError, match="the upload is a str; expected the bytes"):
        read_csv_rows("label", "x")


def test_the_record_holds_p_z_loss_and_settings_and_uploads_again():
    rows = [(1, 0.5), (0, 0.25)]
    b = explain_binary([t for t, _ in rows], probs=[p for _, p in rows])
    text = samples.samples_to_csv(rows, "probability", b)
    lines = text.splitlines()
    assert "# predictions are: probability" in lines
    assert lines[lines.index("label,prediction,p,z,loss") + 1:] == [
        f"1,0.5,0.5,0,{math.log(2):.10g}",
        f"0,0.25,0.25,{math.log(1 / 3):.10g},{-math.log(0.75):.10g}"]
    total = math.log(2) - math.log(0.75)
    assert f"sum of losses (reduction='sum'): {total:.10g}" in text
    assert f"mean loss (reduction='mean'): {total / 2:.10g}" in text
    # the record uploads again as the same table, even into a table of the other kind
    assert samples.parse_samples_csv(text.encode(), "logit") == (rows, "probability")


def test_a_logit_record_round_trips_exactly():
    rows = [(1, 0.1234567890123), (0, -33.7159), (1, 12.0)]
    b = explain_binary([t for t, _ in rows], logits=[z for _, z in rows])
    text = samples.samples_to_csv(rows, "logit", b)
    assert "BCEWithLogitsLoss" in text
    assert samples.parse_samples_csv(text.encode(), "probability") == (rows, "logit")
    # loss of t = 0, z = -33.7159 is log(1 + e^z) = e^z (to double precision)
    assert f",{math.exp(-33.7159):.10g}" in text.splitlines()[-2]


def test_an_empty_table_downloads_a_header():
    assert samples.samples_to_csv([], "logit").endswith("label,prediction\n")
