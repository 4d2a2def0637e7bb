"""CSV fuzz over the upload parsers: every upload gives a valid table or a plain InputError.

A corpus of files a spreadsheet, a careless student or a hostile tab might upload
(line ends, encodings, byte-order marks, huge cells, binary garbage, formula,
Markdown and LaTeX cells, NaN and inf, empty files, 10k rows), each through the
Binary parser (both kinds) and the Batch parser; then hypothesis over random bytes
and random CSV text. "Plain" = one line, short, no control characters. The totals
are printed (run with -s): uploads tried, tracebacks.
"""

import codecs
import math
import random

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from cevis import InputError
from cevis_app.text import parsing
from cevis_app.text import samples

MAX_MESSAGE = 400  # characters: an error is a sentence, not a dump of the file
TALLY = {"tried": 0, "tables": 0, "refused": 0, "tracebacks": 0}

CELLS = ["0", "1", "0.5", "1e-300", "-0", "NaN", "nan", "inf", "-inf", "1e999", "", " ",
         "=HYPERLINK(\"http://evil.example\",\"x\")", "=1+1", "+1", "@SUM(A1)", "**bold**",
         "[a](http://x)", "![i](http://127.0.0.1:9/x.png)", "$\\color{red}{\\Huge X}$",
         "<b>x</b>", "\"0.5\"", "\"1,5\"", "١", "²", "0x10", "1_000", "9" * 400, "é", "猫"]
HEADERS = ["label,prediction", "prediction,label", "LABEL , Prediction ,id", "target,z0,z1,z2",
           "target,p0,p1", "t0,t1,p0,p1", "t0,t1,z0,z1", "z0,z1", "", "label", "# c\nlabel,prediction"]


def _texts(rng):
    for header in HEADERS:
        width = max(1, header.count(",") + 1)
        good = {"label,prediction": "1,0.9\n0,0.2\n", "prediction,label": "0.9,1\n",
                "target,z0,z1,z2": "0,1,2,3\n2,0.5,0.5,0\n", "target,p0,p1": "1,0.3,0.7\n",
                "t0,t1,p0,p1": "1,0,0.4,0.6\n", "t0,t1,z0,z1": "0.3,0.7,1,2\n"}.get(header, "")
        yield f"{header}\n{good}"
        yield header
        for cell in CELLS:
            yield f"{header}\n" + ",".join([cell] * width) + "\n"
            yield f"{header}\n{good}" + ",".join(rng.choice(CELLS) for _ in range(width)) + "\n"
    yield ""
    yield "\n\n\n"
    yield "label,prediction\n" + "1,0.5\n" * 10_000
    yield "target,z0,z1\n" + "1,0.5,2\n" * 10_000
    yield "label,prediction\n1," + "9" * 200_000 + "\n"
    yield "label,prediction\n1,\"0.5\n"
    yield "label,prediction\n1,0.5\"x\"\n"


def _encodings(text):
    yield text.encode()
    yield text.replace("\n", "\r").encode()
    yield text.replace("\n", "\r\n").encode()
    yield codecs.BOM_UTF8 + text.encode()
    yield codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    yield codecs.BOM_UTF16_BE + text.replace("\n", "\r\n").encode("utf-16-be")
    yield text.encode("utf-16-le")  # no BOM
    yield codecs.BOM_UTF32_LE + text.encode("utf-32-le")
    yield text.encode("cp1252", errors="replace")


def corpus():
    rng = random.Random(13)
    for text in _texts(rng):
        yield from _encodings(text)
    for n in (1, 7, 100, 5000, 1_100_000):  # binary garbage, up to over the limit
        yield bytes(rng.randrange(256) for _ in range(n))
    yield b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2000))  # an .xlsx
    yield b"\x00" * 100


def _valid_samples(rows, kind):
    assert len(rows) <= samples.MAX_SAMPLES
    for t, p in rows:
        assert t in (0, 1) and math.isfinite(p)
        assert kind == "logit" or 0.0 <= p <= 1.0


def _valid_batch(batch):
    assert 1 <= len(batch) <= parsing.MAX_BATCH_ROWS
    assert 2 <= batch.num_classes <= parsing.MAX_BATCH_CLASSES
    for row in batch.preds:
        assert len(row) == batch.num_classes and all(math.isfinite(v) for v in row)


def check_upload(data: bytes) -> None:
    """Every parser on ``data``: a valid table or a plain InputError; counted in TALLY."""
    for parse in ("probability", "logit", "batch"):
        TALLY["tried"] += 1
        try:
            if parse == "batch":
                _valid_batch(parsing.parse_batch_csv(data, ignore_index=-100))
            else:
                rows, kind = samples.parse_samples_csv(data, parse)
                _valid_samples(rows, kind)
            TALLY["tables"] += 1
        except InputError as err:
            message = str(err)
            assert message and len(message) < MAX_MESSAGE, message[:500]
            assert message.isprintable(), repr(message[:500])
            TALLY["refused"] += 1
        except Exception:
            TALLY["tracebacks"] += 1
            raise


def test_the_corpus_gives_tables_or_plain_messages():
    before = dict(TALLY)
    for data in corpus():
        check_upload(data)
    tried = TALLY["tried"] - before["tried"]
    print(f"\nCSV fuzz corpus: {tried} uploads tried, {TALLY['tables'] - before['tables']} tables, "
          f"{TALLY['refused'] - before['refused']} refused, {TALLY['tracebacks']} tracebacks")
    assert tried > 3000 and TALLY["tracebacks"] == 0


def test_the_corpus_holds_what_must_be_read():
    good = "label,prediction\n1,0.9\n0,0.2\n"
    for data in list(_encodings(good))[:6] + [codecs.BOM_UTF32_LE + good.encode("utf-32-le")]:
        assert samples.parse_samples_csv(data, "probability") == ([(1, 0.9), (0, 0.2)],
                                                                  "probability")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check_upload(data)


CELL = st.one_of(st.sampled_from(CELLS), st.floats(allow_nan=True).map(repr),
                 st.text(max_size=30))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(HEADERS), st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=20),
       st.sampled_from(["\n", "\r", "\r\n"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_random_csv_text(header, rows, newline, encoding):
    text = newline.join([header] + [",".join(r) for r in rows]) + newline
    check_upload(text.encode(encoding, errors="surrogatepass"))


def teardown_module():
    print(f"\nCSV fuzz, all tests: {TALLY['tried']} uploads tried, {TALLY['tables']} tables, "
          f"{TALLY['refused']} refused, {TALLY['tracebacks']} tracebacks")
