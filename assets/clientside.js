/* Clientside callbacks (namespace hgkm): URL-only UI work that needs no server round trip. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    hgkm: {
        /* The region picker: the same view with regio set (a region profile follows the region).
           `rendered` is the value the page was rendered with: the picker reports it once when it appears,
           and that must not navigate (it would drop an invalid regio the page is explaining). */
        navigateToRegion: function (region, rendered) {
            if (region === undefined || (region || null) === (rendered || null)) {
                return window.dash_clientside.no_update;
            }
            const url = new URL(window.location.href);
            if (region) {
                url.searchParams.set("regio", region);
            } else {
                url.searchParams.delete("regio");
            }
            let path = url.pathname;
            const profile = /^\/regio\/[^/]*(\/rapport)?$/.exec(path);
            if (region && profile) {
                path = "/regio/" + encodeURIComponent(region) + (profile[1] || "");
            }
            const target = path + url.search;
            const current = window.location.pathname + window.location.search;
            return target === current ? window.dash_clientside.no_update : target;
        },
        /* Keep the address bar in step with the controls without re-rendering the page. */
        replaceSearch: function (search) {
            if (typeof search !== "string") {
                return window.dash_clientside.no_update;
            }
            if (search !== window.location.search) {
                window.history.replaceState(window.history.state, "", window.location.pathname + search);
            }
            const region = new URL(window.location.href).searchParams.get("regio");
            document.querySelectorAll(".site-nav a.nav-link").forEach(function (link) {
                const target = new URL(link.getAttribute("href"), window.location.origin);
                if (region) {
                    target.searchParams.set("regio", region);
                    if (/^\/regio\/[^/]*$/.test(target.pathname)) {
                        target.pathname = "/regio/" + encodeURIComponent(region);
                    }
                } else {
                    target.searchParams.delete("regio");
                }
                link.setAttribute("href", target.pathname + target.search);
            });
            const switcher = document.getElementById("language-switch");
            if (switcher) {
                const url = new URL(window.location.href);
                const other = url.searchParams.get("lang") === "en" ? "nl" : "en";
                if (other === "nl") {
                    url.searchParams.delete("lang");
                } else {
                    url.searchParams.set("lang", other);
                }
                switcher.setAttribute("href", url.pathname + url.search);
            }
            return window.dash_clientside.no_update;
        },
    },
});
