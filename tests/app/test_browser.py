"""The app in a real browser: ``streamlit run`` on a free port, headless Chromium on every page.

Each test asserts on the DOM the browser rendered and saves a screenshot of the page; the folder
is printed at the end of the module's run.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.app.chromium import Browser, chromium_binary
from tests.app.apptest import SCREENSHOTS
from tests.app.test_app_cmd import free_port, stop, wait_healthy

pytestmark = [
    # The first test asking for the built lake builds it from the snapshot: minutes on two busy cores.
    pytest.mark.timeout(3600),
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.spark,
    pytest.mark.skipif(chromium_binary() is None, reason="chromium is not installed (apt-get install -y chromium)"),
]

H1 = "[...document.querySelectorAll('h1')].map(h => h.innerText.trim())"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory, request):
    """The folder of this run's screenshots; its path is printed in the summary (tests/app/conftest.py)."""
    folder = tmp_path_factory.mktemp("app-screenshots")
    request.config.stash[SCREENSHOTS] = folder
    return folder


@pytest.fixture(scope="module")
def server(built_lake, tmp_path_factory):
    """``streamlit run app/streamlit_app.py`` on a free port, reading the built lake; stopped at the end."""
    from app.cli.app_cmd import command

    home = tmp_path_factory.mktemp("streamlit-home")
    port = free_port()
    env = {**os.environ, "BHNAV_ENV": "local", "BHNAV_LAKE_DIR": str(built_lake.lake_dir), "HOME": str(home)}
    process = subprocess.Popen(command(port, "127.0.0.1"), env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_healthy(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def _open(browser, url: str, ready: str, shot: Path) -> str:
    dom = browser.open(url, ready)
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000, "the screenshot is not an empty image"
    return dom


def _no_error_panel(browser) -> None:
    alerts = browser.evaluate("[...document.querySelectorAll('[data-testid=stAlertContentError]')]"
                              ".map(e => e.innerText)")
    assert alerts == [], alerts
    assert not browser.evaluate("!!document.querySelector('[data-testid=stException]')")


def test_navigator_page_draws_the_map(browser, server, screenshots):
    ready = "!!document.querySelector('[data-testid=stDeckGlJsonChart] canvas')"
    _open(browser, f"{server}/", ready, screenshots / "navigator.png")
    assert "BH Strategic Navigator" in browser.evaluate(H1)
    _no_error_panel(browser)
    size = browser.evaluate("(() => { const c = document.querySelector('[data-testid=stDeckGlJsonChart] canvas');"
                            " return [c.width, c.height]; })()")
    assert size[0] > 300 and size[1] > 300, size
    assert browser.evaluate("document.querySelectorAll('[data-testid=stVegaLiteChart]').length") >= 1
    statuses = browser.evaluate("[...document.querySelectorAll('.bhnav-status')].map(e => e.dataset.status)")
    assert statuses and set(statuses) == {"fresh"}


TOP = "[...document.querySelectorAll('.bhnav-top li')].map(li => li.dataset.codigo)"
SLIDER = ("[...document.querySelectorAll('[data-testid=stSlider] input[type=range]')]"
          ".find(i => i.getAttribute('aria-label') === {label!r})")


def test_navigator_what_if_weight_changes_the_ranking(browser, server, screenshots):
    browser.open(f"{server}/", "document.querySelectorAll('.bhnav-top li').length === 5")
    before = browser.evaluate(TOP)
    assert browser.evaluate(f"{SLIDER.format(label='Income')}.value") == "0.3"
    # The income weight to its maximum from the keyboard, as a person would: focus its slider, press End.
    assert browser.evaluate(f"(() => {{ const i = {SLIDER.format(label='Income')}; i.focus(); "
                            "return document.activeElement === i; })()")
    browser.press("End")
    browser.open(None, f"JSON.stringify({TOP}) !== {json.dumps(json.dumps(before))}")
    browser.screenshot(screenshots / "navigator-what-if.png")
    _no_error_panel(browser)
    after = browser.evaluate(TOP)
    assert len(after) == 5 and after != before, (before, after)
    assert browser.evaluate(f"{SLIDER.format(label='Income')}.value") == "1"
    assert "What-if weights: mobility 0.40, income 1.00" in browser.text()


def test_assets_page_shows_a_status_cell_per_asset(browser, server, screenshots, built_lake):
    from assets.definitions import load_graph

    ready = "document.querySelectorAll('[data-testid=stTable] tbody tr').length > 0"
    _open(browser, f"{server}/assets", ready, screenshots / "assets.png")
    assert "Assets" in browser.evaluate(H1)
    _no_error_panel(browser)
    rows = browser.evaluate("[...document.querySelectorAll('[data-testid=stTable] tbody tr')]"
                            ".map(r => [...r.querySelectorAll('td')].map(c => c.innerText.trim()))")
    assert len(rows) == len(load_graph())
    header = browser.evaluate("[...document.querySelectorAll('[data-testid=stTable] thead th')]"
                              ".map(c => c.innerText.trim())")
    status = [r[header.index("Freshness")] for r in rows]
    assert "● fresh" in status
    colour = browser.evaluate(
        "(() => { const cells = [...document.querySelectorAll('[data-testid=stTable] tbody td')];"
        " const c = cells.find(td => td.innerText.trim() === '● fresh');"
        " return getComputedStyle(c).backgroundColor; })()")
    assert colour == "rgb(200, 247, 197)", "fresh cells are green"


def test_asset_page_draws_the_lineage_graph(browser, server, screenshots):
    ready = "!!document.querySelector('[data-testid=stGraphVizChart] svg')"
    browser.open(f"{server}/asset?asset=bairro_indicadores", ready)
    assert "bairro_indicadores" in browser.evaluate(H1)
    browser.evaluate("[...document.querySelectorAll('[role=tab]')].find(t => t.innerText.includes('Lineage')).click()")
    browser.open(None, "[...document.querySelectorAll('[role=tab]')]"
                       ".some(t => t.innerText.includes('Lineage') && t.getAttribute('aria-selected') === 'true')")
    browser.screenshot(screenshots / "asset.png")
    _no_error_panel(browser)
    nodes = browser.evaluate("[...document.querySelectorAll('[data-testid=stGraphVizChart] svg g.node title')]"
                             ".map(t => t.textContent)")
    assert {"bairros", "bairro_indicadores", "apetite_investidor"} <= set(nodes)
    links = browser.evaluate("[...document.querySelectorAll('[data-testid=stPageLink] a')].map(a => a.href)")
    assert any(link.endswith("asset?asset=apetite_investidor") for link in links), links
    # The graph's nodes are links too: clicking one opens that asset's page.
    browser.evaluate("[...document.querySelectorAll('[data-testid=stGraphVizChart] svg g.node')]"
                     ".find(g => g.querySelector('title').textContent === 'apetite_investidor')"
                     ".querySelector('a').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    browser.open(None, "location.search === '?asset=apetite_investidor' && [...document.querySelectorAll('h1')]"
                       ".some(h => h.innerText.includes('apetite_investidor'))")


def test_trends_page_draws_its_charts(browser, server, screenshots):
    ready = "document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 4"
    _open(browser, f"{server}/trends", ready, screenshots / "trends.png")
    assert "Trends" in browser.evaluate(H1)
    _no_error_panel(browser)


def test_sql_page_runs_the_example_query(browser, server, screenshots):
    browser.open(f"{server}/sql", "!!document.querySelector('textarea')")
    assert "SQL" in browser.evaluate(H1)
    assert "bhnav_analytics.acidentes_mensal_regional" in browser.evaluate("document.querySelector('textarea').value")
    browser.evaluate("[...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Run').click()")
    ready = ("[...document.querySelectorAll('[data-testid=stMetricLabel]')].some(m => m.innerText === 'Bytes scanned')"
             " && !!document.querySelector('[data-testid=stDataFrame]')")
    browser.open(None, ready)
    browser.screenshot(screenshots / "sql.png")
    _no_error_panel(browser)
    labels = browser.evaluate("[...document.querySelectorAll('[data-testid=stMetric]')].map(m => m.innerText)")
    scanned = next(text for text in labels if text.startswith("Bytes scanned"))
    assert scanned.split()[-1] in ("B", "KB", "MB"), scanned
    assert browser.evaluate("[...document.querySelectorAll('button')].some(b => b.innerText.includes('Download CSV'))")
