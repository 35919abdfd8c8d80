"""UI text of the accessibility statement (/toegankelijkheid) and its footer link, Dutch and English.

The statement describes what the project does and tests; when that changes (a new test, a limit fixed), this text
changes with it and gets a new date (STATEMENT_DATE in layouts/pages/accessibility.py and `a11y_date_text`).
"""

LABELS: dict[str, tuple[str, str]] = {
    "footer_accessibility": ("Toegankelijkheid", "Accessibility"),
    # a soft hyphen: the one long Dutch word would not fit a 360 px phone in the h1's size
    "a11y_title": ("Toegankelijkheids\u00adverklaring", "Accessibility statement"),
    "a11y_intro": (
        "Iedereen moet dit dashboard kunnen gebruiken: met muis, toetsenbord of schermlezer, op een groot scherm of "
        "een telefoon, in het Nederlands of het Engels. Op deze pagina staat aan welke norm we ons houden, hoe we dat "
        "controleren, wat nog niet goed werkt en hoe u een probleem meldt.",
        "Everyone should be able to use this dashboard: with a mouse, a keyboard or a screen reader, on a large "
        "screen or a phone, in Dutch or English. This page says which standard we follow, how we check it, what does "
        "not work well yet and how to report a problem.",
    ),
    "a11y_standard_heading": ("Norm", "Standard"),
    "a11y_standard": (
        "Het dashboard moet voldoen aan de Web Content Accessibility Guidelines (WCAG) 2.1, niveau A en AA. Dat "
        "eist het Tijdelijk besluit digitale toegankelijkheid overheid van websites van de Nederlandse overheid, via "
        "de Europese norm EN 301 549.",
        "The dashboard must meet the Web Content Accessibility Guidelines (WCAG) 2.1, levels A and AA. The Dutch "
        "'Tijdelijk besluit digitale toegankelijkheid overheid' (temporary decree on digital accessibility of "
        "government) requires this of Dutch public-sector websites, through the European standard EN 301 549.",
    ),
    "a11y_wcag_link": ("WCAG 2.1 bij het W3C (Engelstalig)", "WCAG 2.1 at the W3C"),
    "a11y_status_heading": ("Stand van zaken", "Status"),
    "a11y_status": (
        "Het dashboard is nog niet onderzocht door een externe, onafhankelijke partij. Er is dus geen auditrapport. "
        "We testen het zelf, automatisch en met de hand, zoals hieronder beschreven. Wat we weten dat nog niet goed "
        "werkt, staat onder 'Bekende beperkingen'.",
        "The dashboard has not yet been audited by an external, independent party, so there is no audit report. "
        "We test it ourselves, automatically and by hand, as described below. What we know does not work well yet "
        "is listed under 'Known limits'.",
    ),
    "a11y_testing_heading": ("Hoe we testen", "How we test"),
    "a11y_test_axe": (
        "Elke pagina wordt bij elke wijziging gecontroleerd met axe-core in Chromium zonder scherm (headless): in het "
        "Nederlands en het Engels, op computerbreedte en op telefoonbreedte (360 pixels), nadat er een regio is "
        "gekozen en de tabel is getoond. Eén overtreding van de regels voor WCAG 2.0 en 2.1 niveau A en AA "
        "(wcag2a, wcag2aa, wcag21a, wcag21aa) laat de build mislukken.",
        "Every page is checked on every change with axe-core in headless Chromium: in Dutch and English, at desktop "
        "width and at phone width (360 pixels), after a region has been picked and the table shown. A single "
        "violation of the rules for WCAG 2.0 and 2.1 levels A and AA (wcag2a, wcag2aa, wcag21a, wcag21aa) makes the "
        "build fail.",
    ),
    "a11y_test_keyboard": (
        "Een test gebruikt alleen het toetsenbord (Tab, Enter en pijltjestoetsen): hij kiest een regio, opent het "
        "regioprofiel en downloadt de CSV van de eerste indicator.",
        "A test uses the keyboard only (Tab, Enter and arrow keys): it picks a region, opens the region profile and "
        "downloads the CSV of the first indicator.",
    ),
    "a11y_test_lighthouse": (
        "Lighthouse geeft elke pagina een toegankelijkheidsscore. Die scores worden gerapporteerd (commando make "
        "lighthouse); het doel is 100.",
        "Lighthouse gives every page an accessibility score. The scores are reported (command make lighthouse); the "
        "goal is 100.",
    ),
    "a11y_test_manual": (
        "Met de hand controleren we nieuwe onderdelen met het toetsenbord en op telefoonbreedte.",
        "By hand, we check new parts with the keyboard and at phone width.",
    ),
    "a11y_provided_heading": ("Wat het dashboard biedt", "What the dashboard provides"),
    "a11y_provided_summary": (
        "Elke grafiek heeft een korte tekst die de belangrijkste cijfers noemt, en een tabel met dezelfde cijfers.",
        "Every chart has a short text naming the main figures, and a table with the same figures.",
    ),
    "a11y_provided_map": (
        "De kaart heeft een lijst van alle regio's met hun cijfer ernaast.",
        "The map has a list of every region with its figure.",
    ),
    "a11y_provided_keyboard": (
        "Alle knoppen, keuzelijsten en links werken met het toetsenbord; een link 'Naar de inhoud' slaat de "
        "navigatie over en de focus is zichtbaar.",
        "Every button, selection list and link works with the keyboard; a 'Skip to content' link skips the "
        "navigation and the focus is visible.",
    ),
    "a11y_provided_colour": (
        "Informatie hangt nooit alleen van kleur af: voorlopige cijfers hebben een * en een open punt in de "
        "grafiek, en bij een ontbrekend cijfer staat de reden.",
        "No information depends on colour alone: provisional figures have a * and a hollow marker in the chart, "
        "and a missing figure comes with its reason.",
    ),
    "a11y_provided_english": (
        "Er is een Engelse versie van elke pagina (de link 'English' bovenaan).",
        "Every page has an English version (the link 'Nederlands' at the top switches back to Dutch).",
    ),
    "a11y_provided_phone": (
        "De pagina's werken op een telefoon van 360 pixels breed zonder zijwaarts scrollen.",
        "The pages work on a phone 360 pixels wide without scrolling sideways.",
    ),
    "a11y_provided_data": (
        "Alle cijfers zijn te downloaden als CSV, Excel of JSON, onder elke grafiek en op de pagina Data en API.",
        "Every figure can be downloaded as CSV, Excel or JSON, under every chart and on the Data and API page.",
    ),
    "a11y_limits_heading": ("Bekende beperkingen", "Known limits"),
    "a11y_limit_images": (
        "Grafieken die u als afbeelding (PNG of SVG) downloadt, zijn zelf niet toegankelijk. Gebruik de tabel of "
        "de downloads als CSV, Excel of JSON.",
        "Charts downloaded as an image (PNG or SVG) are not accessible themselves. Use the table or the CSV, Excel "
        "or JSON downloads.",
    ),
    "a11y_limit_modebar": (
        "De werkbalk in de grafieken (van de grafiekbibliotheek plotly) verschijnt bij het aanwijzen met de muis en "
        "heeft Engelse knopnamen; in- en uitzoomen en verschuiven werken alleen met de muis. De tabel en het "
        "menu Download bieden dezelfde cijfers.",
        "The toolbar in the charts (from the plotly charting library) appears when pointing with a mouse; zooming "
        "and panning work with a mouse only. The table and the Download menu offer the same figures.",
    ),
    "a11y_limit_map": (
        "De kaart en de punten in de grafieken zijn niet punt voor punt met het toetsenbord te bereiken, en de "
        "tekst die verschijnt bij het aanwijzen met de muis ook niet. Gebruik de tabel of de lijst.",
        "The map and the points in the charts cannot be reached point by point with the keyboard, nor can the text "
        "shown when pointing with a mouse. Use the table or the list.",
    ),
    "a11y_limit_pdf": (
        "Het regiorapport als PDF maakt uw browser (Printen, Opslaan als PDF). Of die PDF toegankelijk is (tagged "
        "PDF), hebben we niet gecontroleerd.",
        "Your browser makes the region report's PDF (Print, Save as PDF). Whether that PDF is accessible (tagged "
        "PDF) has not been checked.",
    ),
    "a11y_contact_heading": ("Problemen melden", "Reporting a problem"),
    "a11y_contact": (
        "Kunt u iets op dit dashboard niet gebruiken, of vindt u een fout in deze verklaring? Meld het via de "
        "issuetracker van het project. Noem de pagina (de link) en wat er misging; dan zoeken we een oplossing of "
        "sturen we u de cijfers op een andere manier.",
        "Is there something on this dashboard you cannot use, or did you find a mistake in this statement? Report "
        "it through the project's issue tracker. Name the page (the link) and what went wrong; we will look for a "
        "solution or send you the figures another way.",
    ),
    "a11y_placeholder_label": ("In te vullen door de uitgever:", "To be filled in by the publisher:"),
    "a11y_placeholder": (
        "het adres van de issuetracker, een contactadres voor wie geen account heeft, de termijn waarbinnen u "
        "antwoord krijgt en waar u terechtkunt als het antwoord niet volstaat.",
        "the address of the issue tracker, a contact address for people without an account, the time within which "
        "you will get an answer and where to turn when the answer is not enough.",
    ),
    "a11y_date_heading": ("Datum", "Date"),
    "a11y_date": ("Deze verklaring is opgesteld op {date}.", "This statement was drawn up on {date}."),
    "a11y_date_text": ("22 november 2026", "22 November 2026"),
}
