"""The web page in a real browser: headless Chromium driven by Playwright.

Starts the service with uvicorn in a thread on a free 127.0.0.1 port, pastes
``examples/harbour-bridge.txt``, presses the button, and checks that the
highlights appear and that clicking one marks its source sentence in the article
and scrolls it into view. Screenshots (laptop and phone widths) are saved under
pytest's ``tmp_path``.

Uses the system Chromium (``apt-get install chromium``; never ``playwright
install``). Skipped only when Playwright is not importable or no Chromium exists.
"""
from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the PyPI package) is not installed")
pytest.importorskip("uvicorn", reason="the 'serve' extra (fastapi, uvicorn) is not installed")

from newsgist.apps.service.app import Settings, create_app  # noqa: E402

# where Chromium is: the same lookup as the pasted-page renderer (NEWSGIST_CHROMIUM, then Debian's paths)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from paste_render import chromium_path  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SERVER_START_S = 120
UI_TIMEOUT_MS = 20_000
XSS_TEXT = ("Officials said the post read <img src=x onerror=\"window.__xss = 1\"> in full on Monday. "
            "The council said it would <script>window.__xss = 2</script> review the claim. "
            "A spokesman declined to comment further on the matter.")


@pytest.fixture(scope="module")
def base_url():
    import uvicorn
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(workers=1)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the newsgist server did not start")
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set NEWSGIST_CHROMIUM)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def make_card(page, base_url: str, text: str):
    page.goto(base_url + "/")
    page.fill("#input", text)
    page.click("#go")
    page.wait_for_selector("#highlights li button.hl-link", timeout=UI_TIMEOUT_MS)


def in_view(page, selector: str) -> bool:
    """The first element matching ``selector`` is visible in the window and in its scroll box."""
    return page.evaluate("""(sel) => {
        const el = document.querySelector(sel);
        if (!el) return false;
        const r = el.getBoundingClientRect();
        const box = document.getElementById('article-box').getBoundingClientRect();
        const inWindow = r.bottom > 0 && r.top < window.innerHeight;
        const inBox = r.bottom > box.top && r.top < box.bottom;
        return inWindow && inBox && r.height > 0;
    }""", selector)


def check_click_marks_sentence(page, index: int):
    buttons = page.locator("#highlights button.hl-link")
    text = buttons.nth(index).inner_text().strip()
    buttons.nth(index).click()
    page.wait_for_selector(".article .active", timeout=UI_TIMEOUT_MS)
    marked = page.evaluate("[...document.querySelectorAll('.article .active')].map(e => e.textContent).join('')")
    assert " ".join(text.split()) in " ".join(marked.split())
    assert page.locator(".article mark.active").count() >= 1      # the highlight's own <mark>s
    page.wait_for_function("""() => {
        const el = document.querySelector('.article .active');
        const r = el.getBoundingClientRect();
        const box = document.getElementById('article-box').getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.bottom > box.top && r.top < box.bottom;
    }""", timeout=UI_TIMEOUT_MS)
    assert in_view(page, ".article .active")
    assert page.locator("#highlights li.current").count() == 1
    return text


@pytest.mark.parametrize("name, viewport", [("laptop", LAPTOP), ("phone", PHONE)])
def test_highlights_link_to_sentences(browser, base_url, example, tmp_path, name, viewport):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, is_mobile=name == "phone")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_card(page, base_url, example)
    n = page.locator("#highlights button.hl-link").count()
    assert n >= 2
    assert page.locator("#article mark.hl").count() >= n
    # the tables and the folded clutter
    assert page.locator("#quotes tbody tr").count() >= 1
    assert page.locator("#entities tbody tr").count() >= 1
    assert page.locator("#figures tbody tr").count() >= 1
    assert page.locator("#removed-box").evaluate("d => d.tagName") == "DETAILS"
    assert page.locator("#removed li").count() >= 1
    speakers = page.locator("#quotes tbody tr td:first-child").all_inner_texts()
    assert any("Okafor" in x for x in speakers), speakers
    # click the last highlight (furthest down the article), then the first
    check_click_marks_sentence(page, n - 1)
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=False)
    check_click_marks_sentence(page, 0)
    page.screenshot(path=str(tmp_path / f"{name}-full.png"), full_page=True)
    if name == "phone":   # one column: the article comes after the highlights, nothing wider than the screen
        hl = page.locator("#hl-box").bounding_box()
        art = page.locator("#article-box").bounding_box()
        assert art["y"] > hl["y"] and abs(art["x"] - hl["x"]) < 2
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    else:                 # two columns side by side
        hl = page.locator("#hl-box").bounding_box()
        art = page.locator("#article-box").bounding_box()
        assert art["x"] > hl["x"] + hl["width"] - 1
    assert errors == []
    context.close()


def test_article_text_is_not_html(browser, base_url):
    page = browser.new_page()
    make_card(page, base_url, XSS_TEXT)
    assert page.evaluate("window.__xss") is None
    assert page.locator("#article img, #article script").count() == 0
    assert "<img src=x" in page.locator("#article").inner_text()
    page.close()


def test_error_is_shown(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/")
    page.fill("#input", "no sentence here at all")
    page.click("#go")
    page.wait_for_selector("#error:not([hidden])", timeout=UI_TIMEOUT_MS)
    assert "no_text" in page.locator("#error").inner_text()
    page.close()


def test_seed_groups_and_nested_quotes(browser, base_url, seed):
    """Issue 18 on the page: the seed's three al Qaeda estimates side by side with their claimants,
    and the partial quotes inside reported speech shown once, nested in it."""
    text, _ = seed
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_card(page, base_url, text)
    page.wait_for_selector("#groups-box:not([hidden])", timeout=UI_TIMEOUT_MS)
    rows = page.locator("#groups tbody tr").all_inner_texts()
    assert len(rows) == 3, rows
    assert "al Qaeda" in rows[0] and "Afghanistan" in rows[0]
    assert "Jeff Buchanan" in rows[0] and "intel estimates" in rows[0]
    assert "Jeff Buchanan" in rows[1] and "U.S. officials" in rows[2]
    assert "facilitators" in rows[2]
    quotes = page.locator("#quotes tbody tr td.quote").all_inner_texts()
    assert not any(q.strip() in ("“very active”", "“big threat”") for q in quotes), quotes
    nested = page.locator("#quotes mark.nested-quote").all_inner_texts()
    assert "very active" in nested and "big threat" in nested
    page.locator("#groups tbody tr").nth(2).click()
    page.wait_for_selector(".article .active", timeout=UI_TIMEOUT_MS)
    marked = page.evaluate("[...document.querySelectorAll('.article .active')].map(e => e.textContent).join('')")
    assert "as high as 300" in marked and "U.S. officials" in marked
    assert errors == []
    page.close()
