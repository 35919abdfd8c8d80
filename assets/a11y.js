/* Accessibility fixes that need the live document (no inline script, so a strict Content-Security-Policy holds):
   - <html lang> and the page title follow the page (Dash renders pages client-side after navigation);
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
        const title = heading.textContent.trim() + " — " + SITE;
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

    function sync() {
        syncLanguage();
        syncTitle();
        fixDropdownProxies();
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
    sync();
})();
