"""The server itself refuses an upload over 1 MB (server.maxUploadSize), whatever the browser says.

The uploader's own 1 MB check runs in the browser only. Here a small file is chosen
and its request body swapped for a bigger one on the way out, as a client that
skips the browser check would send it: 2 MB gets HTTP 413 and the table is kept;
0.9 MB (under the limit) is accepted by the server and then refused by the parser
for its row count, which shows the 413 comes from the size.
"""

import math

from playwright.sync_api import expect

from .helpers import wait_idle

SEED_SUM = 4.460303459760249  # the Binary page's first table
SMALL = b"label,prediction\n1,0.5\n0,0.5\n"
ROW = b"1,0.5\n"
TIMEOUT = 60_000  # ms: the machine running the suite is shared


def sum_of_losses(page):
    return page.get_by_test_id("stMetric").filter(has_text="Sum of losses") \
        .get_by_test_id("stMetricValue")


def upload_swapped(page, tmp_path, size: int):
    """Choose a small CSV file; send ``size`` bytes of CSV in its place; the server's status."""
    big = b"label,prediction\n" + ROW * ((size - 17) // len(ROW))

    def swap(route, request):
        # Chromium does not expose the file's bytes to an interceptor: build the whole
        # multipart body again, with the page's boundary, around the bigger file
        boundary = request.headers["content-type"].split("boundary=")[1].encode()
        body = (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; '
                b'filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n' + big
                + b"\r\n--" + boundary + b"--\r\n")
        route.continue_(post_data=body)

    page.route("**/_stcore/upload_file/**", swap)
    path = tmp_path / f"small_{size}.csv"
    path.write_bytes(SMALL)
    with page.expect_response(lambda r: "/_stcore/upload_file/" in r.url
                              and r.request.method == "PUT", timeout=TIMEOUT) as info:
        page.locator("input[type='file']").set_input_files(str(path))
    page.unroute("**/_stcore/upload_file/**")
    return info.value.status


def test_the_server_refuses_2_mb_and_takes_0_9_mb(page, app_url, tmp_path):
    page.goto(f"{app_url}/binary")
    wait_idle(page, timeout=TIMEOUT)
    expect(sum_of_losses(page)).to_have_text(f"{SEED_SUM:.4f}", timeout=TIMEOUT)
    page.wait_for_selector("input[type='file']", state="attached", timeout=TIMEOUT)

    assert upload_swapped(page, tmp_path, 2 * 1024 * 1024) == 413  # refused by the server
    page.wait_for_timeout(1500)
    expect(sum_of_losses(page)).to_have_text(f"{SEED_SUM:.4f}")  # the table was kept

    page.goto(f"{app_url}/binary")
    wait_idle(page, timeout=TIMEOUT)
    page.wait_for_selector("input[type='file']", state="attached", timeout=TIMEOUT)
    assert upload_swapped(page, tmp_path, 900_000) == 204  # under the limit: the server takes it
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("rows; at most 500 fit in the table", timeout=TIMEOUT)
    expect(sum_of_losses(page)).to_have_text(f"{SEED_SUM:.4f}")
    assert math.isfinite(SEED_SUM)
