/* Printable region report: any element with data-action="print" opens the browser's print dialogue (save as PDF).
   One delegated listener instead of an inline onclick, so a Content-Security-Policy without 'unsafe-inline' holds,
   and it works for buttons Dash renders after this script has run. */
document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target.closest("[data-action='print']") : null;
    if (target) {
        event.preventDefault();
        window.print();
    }
});
