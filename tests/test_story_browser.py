"""The story page (/story) in headless Chromium, as tests/test_browser.py checks the card page:
paste the three hand-written reports of examples/story/, make the story card, read the
highlights with their source counts, the disagreements, and click a source to see its sentence
marked in its article. Skipped when Playwright or Chromium is missing (as test_browser.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright (the PyPI package) is not installed")
pytest.importorskip("uvicorn", reason="the 'serve' extra (fastapi, uvicorn) is not installed")

from test_browser import UI_TIMEOUT_MS, base_url, browser  # noqa: E402,F401  (the same server and Chromium)

STORY = sorted((Path(__file__).resolve().parents[1] / "examples" / "story").glob("harbourline-*.txt"))


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_story_page(browser, base_url, viewport, tmp_path):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + "/")
    page.click("#story-link")
    page.wait_for_selector(".story-input")
    texts = [p.read_text(encoding="utf-8") for p in STORY]
    inputs = page.locator(".story-input")
    assert inputs.count() == 3
    for i, t in enumerate(texts):
        inputs.nth(i).fill(t)
    page.click("#add-article")
    page.locator(".story-input").nth(3).fill("http://127.0.0.1:9/unreachable")   # refused host: listed, story goes on
    page.click("#story-go")
    page.wait_for_selector("#story-highlights li", timeout=UI_TIMEOUT_MS * 3)
    items = page.locator("#story-highlights li").all_inner_texts()
    assert len(items) == 5
    assert any("3/3 reports" in x for x in items), items
    assert "not read: article 4" in page.locator("#story-meta").inner_text()
    rows = page.locator("#disagreements tr").all_inner_texts()
    assert any("12 passengers" in r and "17 passengers" in r for r in rows), rows
    assert any("Ines Kovacs" in r and "Tomas Reyes" in r for r in rows), rows
    assert page.locator("#additions li").count() >= 3
    # click the second source of the first highlight: its sentence is marked in its own article
    first = page.locator("#story-highlights li").first
    src = first.locator("button.src-link").nth(1)
    art = int(src.get_attribute("data-article"))
    src.click()
    mark = page.locator("#source-article mark.active")
    assert mark.count() == 1
    marked = mark.inner_text()
    assert marked and " ".join(marked.split()) in " ".join(texts[art].split())
    assert page.locator(f"#source-tabs button[data-article='{art}']").get_attribute("aria-selected") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    page.screenshot(path=str(tmp_path / f"story-{viewport['width']}.png"), full_page=True)
    assert errors == []
    context.close()


def test_story_page_text_is_not_html(browser, base_url):  # noqa: F811
    page = browser.new_page()
    page.goto(base_url + "/story")
    page.wait_for_selector(".story-input")
    page.locator(".story-input").nth(0).fill(
        "Officials said the post read <img src=x onerror=\"window.__xss = 1\"> in full on Monday. "
        "The council said it would review the claim next week. A spokesman declined to comment further.")
    page.click("#story-go")
    page.wait_for_selector("#story-highlights li", timeout=UI_TIMEOUT_MS * 3)
    assert page.evaluate("window.__xss") is None
    assert page.locator("#source-article img").count() == 0
    page.close()
