/* Accessibility fixes that need the live document (no inline script, so a strict Content-Security-Policy holds):
   - <html lang> and the page title follow the page (Dash renders pages client-side after navigation);
   - tables that scroll sideways can be reached and scrolled by keyboard;
   - Dash 4's dropdown puts a focusable proxy <input aria-hidden="true"> before its button (the proxy hands focus
     to the button). aria-hidden on a focusable element hides it from screen readers while keyboards reach it
     (axe: aria-hidden-focus); the proxy gets the button's name instead of aria-hidden. */
(function () {
    "use strict";
    const SITE = "Impactmonitor HGKM";

    function syncLanguage() {
        const lang = new URLSearchParams(window.location.search).get("lang") === "en" ? "en" : "nl";
        if (document.documentElement.lang !== lang) {
            document.documentElement.lang = lang;
        }
    }

    function syncTitle() {
        const heading = document.querySelector("main h1");
        if (!heading) {
            return;
        }
        const title = heading.textContent.replace(/\u00ad/g, "").trim() + " — " + SITE;  // without soft hyphens
        if (document.title !== title) {
            document.title = title;
        }
    }

    function fixDropdownProxies() {
        document.querySelectorAll("input.dash-dropdown-focus-target[aria-hidden]").forEach(function (proxy) {
            const button = proxy.nextElementSibling;
            const label = button && button.id ? document.querySelector('label[for="' + button.id + '"]') : null;
            proxy.removeAttribute("aria-hidden");
            proxy.setAttribute("aria-label", label ? label.textContent.trim() : "");
        });
    }

    /* The dropdown button is named by its value ("<id>-value-count <id>-value"), which leaves out its <label> and,
       for several values, reads the count before the values the eye sees first (axe 4.14:
       label-content-name-mismatch). Name it by label, values, count: the visible text in its visible order. */
    function nameDropdowns() {
        document.querySelectorAll("button.dash-dropdown[id]").forEach(function (button) {
            const label = document.querySelector('label[for="' + button.id + '"]');
            if (!label) {
                return;
            }
            label.id = label.id || button.id + "-label";
            const wanted = [label.id, button.id + "-value", button.id + "-value-count"].join(" ");
            if (button.getAttribute("aria-labelledby") !== wanted) {
                button.setAttribute("aria-labelledby", wanted);
            }
        });
    }

    /* A table wider than the screen scrolls sideways in its .table-responsive box: keyboard users must be able to
       reach and scroll it (axe: scrollable-region-focusable), so a box that scrolls becomes a named, focusable
       region; one that fits stays out of the tab order. */
    function scrollableTables() {
        document.querySelectorAll(".table-responsive").forEach(function (box) {
            if (box.scrollWidth > box.clientWidth + 1) {
                if (box.getAttribute("tabindex") !== "0") {
                    const caption = box.querySelector("caption");
                    box.setAttribute("tabindex", "0");
                    box.setAttribute("role", "region");
                    box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
                }
            } else if (box.getAttribute("role") === "region") {
                box.removeAttribute("tabindex");
                box.removeAttribute("role");
                box.removeAttribute("aria-label");
            }
        });
    }

    /* After navigating to another page (rendered client-side), focus that was on a link of the old page is lost to
       <body>: put it on the new page's heading, so keyboard and screen-reader users start at the new content. */
    let shownPath = window.location.pathname;
    function focusNewPage() {
        const heading = document.querySelector("main h1");
        if (window.location.pathname === shownPath || !heading) {
            return;
        }
        shownPath = window.location.pathname;
        if (document.activeElement === document.body || document.activeElement === null) {
            heading.setAttribute("tabindex", "-1");
            heading.focus({preventScroll: true});
        }
    }

    function sync() {
        syncLanguage();
        syncTitle();
        focusNewPage();
        fixDropdownProxies();
        nameDropdowns();
        scrollableTables();
    }

    let scheduled = false;
    new MutationObserver(function () {
        if (!scheduled) {  // many mutations (a chart redraw) make one sync in the next frame
            scheduled = true;
            window.requestAnimationFrame(function () {
                scheduled = false;
                sync();
            });
        }
    }).observe(document.documentElement, {subtree: true, childList: true, characterData: true});
    window.addEventListener("popstate", sync);
    window.addEventListener("resize", scrollableTables);
    document.addEventListener("toggle", scrollableTables, true);  // a <details> opened: its table may scroll
    sync();
})();
