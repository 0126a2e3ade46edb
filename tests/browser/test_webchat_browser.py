"""The web chat in a real browser: Debian's headless Chromium driven by Playwright, against the
real running server. A person goes through a greeting and a WRAP step by keyboard alone; then
axe-core (from node_modules) checks the page against WCAG 2.0, 2.1 and 2.2 A and AA.

Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Set
ALONGSIDE_SKIP_BROWSER=1 to skip these on a machine without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.services.webchat.content import load_webchat_content
from bot.services.wrap.content import load_wrap_content
from bot.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WAIT_MS = 60_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("ALONGSIDE_SKIP_BROWSER") == "1", reason="browser tests skipped by setting"),
]


@pytest.fixture(scope="module")
async def browser():
    from playwright.async_api import async_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (or set ALONGSIDE_SKIP_BROWSER=1).")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


class ChatPage:
    """One browser tab on the chat page, with what it reported (console errors, CSP)."""

    def __init__(self, page, url: str) -> None:
        self.page = page
        self.url = url
        self.problems: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.problems.append(message.text))
        page.on("pageerror", lambda error: self.problems.append(str(error)))

    async def open(self) -> None:
        await self.page.goto(self.url)
        connected = load_webchat_content().status["connected"]
        await self.page.wait_for_function(
            "text => document.getElementById('status').textContent === text", arg=connected, timeout=WAIT_MS
        )

    async def focused(self) -> dict:
        return await self.page.evaluate(
            """() => { const e = document.activeElement; const style = getComputedStyle(e);
                       return {id: e.id, tag: e.tagName, text: e.textContent.trim(),
                               outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)}; }"""
        )

    async def reload(self) -> None:
        """Reload the page and wait until it shows the conversation again (and its buttons:
        the page shows them in the same step as the messages)."""
        shown = await self.page.locator("#messages .message").count()
        await self.page.reload()
        await self.open()
        await self.page.wait_for_function(
            "n => document.querySelectorAll('#messages .message').length >= n", arg=shown, timeout=WAIT_MS
        )

    async def suggested(self) -> list[str]:
        """The quick-reply buttons on screen now."""
        if await self.page.locator("#suggestions").is_hidden():
            return []
        return await self.page.locator("#suggestions button").all_inner_texts()

    async def bot_messages(self) -> int:
        return await self.page.locator("#messages .message.bot").count()

    async def send_by_keyboard(self, text: str) -> str:
        """Type into the focused box, press Enter; the text of the bot's replies."""
        before = await self.bot_messages()
        await self.page.keyboard.type(text)
        await self.page.keyboard.press("Enter")
        return await self.replies_after(before)

    async def replies_after(self, before: int) -> str:
        # The page marks the turn done when the server acknowledges, after its last reply.
        await self.page.wait_for_function(
            "n => document.getElementById('chat').dataset.turn === 'done'"
            " && document.querySelectorAll('#messages .message.bot').length > n",
            arg=before,
            timeout=WAIT_MS,
        )
        texts = await self.page.locator("#messages .message.bot").all_inner_texts()
        return "\n".join(texts[before:])

    async def axe_violations(self) -> list[dict]:
        await self.page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the CSP stays strict
        results = await self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        assert len(results["passes"]) >= 10, "axe-core checked almost nothing: is the page empty?"
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results["violations"]
        ]


@pytest.fixture
async def chat(browser, running_app):
    context = await browser.new_context(viewport={"width": 1024, "height": 768})
    page = ChatPage(await context.new_page(), f"http://localhost:{running_app.port}/webhooks/webchat/")
    yield page
    await context.close()


async def test_a_greeting_and_a_wrap_step_by_keyboard_alone_with_no_accessibility_violations(chat):
    await chat.open()
    await chat.page.keyboard.press("Tab")
    assert (await chat.focused())["text"] == load_webchat_content().page["help_link"]  # first, always
    await chat.page.keyboard.press("Tab")
    assert (await chat.focused())["id"] == "messages"  # the log can be scrolled by keyboard
    await chat.page.keyboard.press("Tab")
    focused = await chat.focused()
    assert focused["id"] == "message" and focused["outline"] != "none" and focused["outlineWidth"] >= 2

    greeting = await chat.send_by_keyboard("hello")
    assert "I'm Alongside" in greeting
    # The quick replies sit just before the message box: Shift+Tab reaches them.
    await chat.page.keyboard.press("Shift+Tab")
    await chat.page.keyboard.press("Shift+Tab")
    focused = await chat.focused()
    assert focused["tag"] == "BUTTON" and focused["text"] == "For me" and focused["outline"] != "none"
    before = await chat.bot_messages()
    await chat.page.keyboard.press("Enter")
    assert "here for yourself" in await chat.replies_after(before)
    assert (await chat.focused())["id"] == "message"  # back in the box after a quick reply

    prompt = load_wrap_content().question("triggers").prompt
    assert prompt in await chat.send_by_keyboard("I want to write down my triggers")
    saved = await chat.send_by_keyboard("crowds, loud music")
    assert "crowds" in saved and "loud music" in saved

    assert await chat.axe_violations() == []
    assert chat.problems == []  # no script errors, nothing refused by the Content-Security-Policy


async def test_a_reload_shows_the_same_conversation(chat):
    await chat.open()
    await chat.page.focus("#message")
    await chat.send_by_keyboard("hello")
    await chat.page.reload()
    await chat.open()
    await chat.page.wait_for_function(
        "() => [...document.querySelectorAll('#messages .message.user')].some(m => m.textContent.includes('hello'))",
        timeout=WAIT_MS,
    )
    assert "I'm Alongside" in "\n".join(await chat.page.locator("#messages .message.bot").all_inner_texts())


async def test_a_reload_keeps_the_buttons_of_the_current_question_and_never_answered_ones(chat):
    await chat.open()
    await chat.page.focus("#message")
    await chat.send_by_keyboard("hello")
    offered = await chat.suggested()
    assert "For me" in offered
    await chat.reload()
    assert await chat.suggested() == offered  # still the current question: the buttons are back

    before = await chat.bot_messages()
    await chat.page.locator("#suggestions button", has_text="For me").click()  # and they work
    assert "here for yourself" in await chat.replies_after(before)
    menu = await chat.suggested()
    assert menu and "For me" not in menu
    await chat.reload()
    assert await chat.suggested() == menu  # the new question's buttons, none of the answered ones

    await chat.page.focus("#message")
    prompt = load_wrap_content().question("triggers").prompt
    assert prompt in await chat.send_by_keyboard("I want to write down my triggers")
    assert await chat.suggested() == []  # a question without buttons
    await chat.reload()
    assert await chat.suggested() == []  # answered: no stale buttons come back
    assert chat.problems == []


async def test_on_a_small_phone_the_conversation_uses_most_of_the_screen(browser, running_app):
    """375 x 700 (a small phone): the conversation is at least 450 px tall, before and after a
    reply with buttons, the message box and Send are on screen, nothing scrolls sideways."""
    context = await browser.new_context(viewport={"width": 375, "height": 700})
    try:
        chat = ChatPage(await context.new_page(), f"http://localhost:{running_app.port}/webhooks/webchat/")
        await chat.open()

        async def check_layout() -> None:
            conversation = await chat.page.locator("#messages").bounding_box()
            assert conversation is not None and conversation["height"] >= 450, conversation
            for control in ("#message", "#send button[type=submit]"):
                assert await chat.page.locator(control).is_visible()
                box = await chat.page.locator(control).bounding_box()
                assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 700, (control, box)
            overflow = await chat.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0

        await check_layout()
        await chat.page.focus("#message")
        await chat.send_by_keyboard("hello")
        assert await chat.suggested()  # with the quick replies on screen too
        await check_layout()
        await chat.send_by_keyboard("I'm a carer")
        await chat.send_by_keyboard("menu")
        assert len(await chat.suggested()) >= 5  # the carer's choices: still one row
        await check_layout()
        last = chat.page.locator(".suggestions button").last
        await last.focus()  # off to the side, reached with Tab or by scrolling the row
        box = await last.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
        assert await chat.axe_violations() == []
        assert chat.problems == []
    finally:
        await context.close()


async def test_the_help_link_leads_to_the_crisis_contacts(chat):
    await chat.open()
    await chat.page.keyboard.press("Tab")
    await chat.page.keyboard.press("Enter")
    await chat.page.wait_for_function("() => location.hash === '#help-now'")
    help_section = await chat.page.locator("#help-now").inner_text()
    assert "116 123" in help_section and "85258" in help_section and "999" in help_section
    assert await chat.page.locator("#help-now").evaluate("e => e.getBoundingClientRect().top < window.innerHeight")


@pytest.mark.parametrize(("width", "height", "text_scale"), [(320, 640, 1), (320, 256, 1), (1024, 768, 2)])
async def test_the_page_reflows_and_its_targets_are_big_enough(browser, running_app, width, height, text_scale):
    """320 px wide (a phone, or 1280 px at 400% zoom), and text at twice its size."""
    context = await browser.new_context(viewport={"width": width, "height": height})
    try:
        chat = ChatPage(await context.new_page(), f"http://localhost:{running_app.port}/webhooks/webchat/")
        await chat.open()
        await chat.page.evaluate("scale => document.documentElement.style.fontSize = (100 * scale) + '%'", text_scale)
        await chat.page.focus("#message")
        await chat.send_by_keyboard("hello")  # quick replies on screen too
        overflow = await chat.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        small = await chat.page.evaluate(
            """() => [...document.querySelectorAll('button, textarea, .help-link')]
                   .map(e => e.getBoundingClientRect())
                   .filter(r => r.width < 24 || r.height < 24).length"""
        )
        assert small == 0
        assert await chat.axe_violations() == []
    finally:
        await context.close()
