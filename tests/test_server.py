"""The real production server over HTTP: pages, assets and bad requests."""

import json
import urllib.error
import urllib.request


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def _post(url: str, body: bytes, content_type: str = "application/json"):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_home_page_and_its_assets_are_served_locally(cbs_server):
    status, _, body = _get(cbs_server + "/")
    assert status == 200
    html = body.decode()
    assert "/assets/00-bootstrap-5.3.9.min.css" in html
    assert "cdn" not in html.lower() and "googleapis" not in html
    status, headers, css = _get(cbs_server + "/assets/00-bootstrap-5.3.9.min.css")
    assert status == 200 and css.startswith(b'@charset "UTF-8";/*!\n * Bootstrap  v5.3.9')


def test_the_dash_layout_is_served(cbs_server):
    status, _, body = _get(cbs_server + "/_dash-layout")
    assert status == 200 and json.loads(body)


def test_a_forged_callback_gets_a_400_without_internals(cbs_server):
    status, body = _post(
        cbs_server + "/_dash-update-component",
        json.dumps({"output": "..nope.children..", "outputs": [], "inputs": [], "changedPropIds": []}).encode(),
    )
    assert status == 400
    text = body.decode()
    assert "Traceback" not in text and "/work" not in text and ".py" not in text


def test_garbage_bodies_never_produce_a_server_error(cbs_server):
    for body, content_type in [
        (b"{", "application/json"),
        (b"\x00\xff" * 100, "application/json"),
        (b"x", "text/plain"),
    ]:
        status, text = _post(cbs_server + "/_dash-update-component", body, content_type)
        assert 400 <= status < 500, (body, status)
        assert b"Traceback" not in text


def test_an_unknown_component_file_is_a_plain_404(cbs_server):
    from tests.http_client import get

    status, _, body = get(cbs_server + "/_dash-component-suites/dash/no_such_file.js")
    assert status == 404 and b"Traceback" not in body
