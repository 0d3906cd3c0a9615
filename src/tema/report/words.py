"""Every word the reports show, in Norwegian bokmål (default) and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Temarapport",
        "about_made": "Laget {date} av tema {version}.",
        "about_batch": "Innspill: {files} i mappen {folder}.",
        "about_batch_skipped": "Innspill: {files} i mappen {folder}; {skipped} av dem "
        "kunne ikke leses (se «Slik er tallene laget»).",
        "about_units": "Lest: {docs}; telt: {units}.",
        "about_model": "Modell: trent {date} på {n} håndmerkede innspill",
        "about_model_undated": "Modell: trent på {n} håndmerkede innspill",
        "about_labels": " (merkede data {labels})",
        "about_model_id": "; modell-ID {model}",
        "theme": "Tema",
        "count": "Antall",
        "share": "Andel",
        "interval": "95 % intervall",
        "ci_low": "Nedre 95 %",
        "ci_high": "Øvre 95 %",
        "adjusted": "Korrigert andel",
        "uncertain": "Usikre",
        "total": "Totalt",
        "all": "Alle",
        "unknown": "(ukjent)",
        "summary": "Sammendrag",
        "units": "{n} fra {docs} er sortert i tema; {unsure} ({pct}) er merket som usikre.",
        "no_units": "Ingen innspill er telt: dokumentene har bare overskrifter, lenker eller "
        "bildetekster, eller ingen tekst tema kunne lese. Andelene under sier derfor ingenting.",
        "summary_chart": "Andel per tema med 95 % intervall (strek) og andel korrigert for "
        "modellens feil (◆).",
        "by_region": "Per region",
        "by_meeting": "Per møte",
        "by_document": "Per dokument",
        "region": "Region",
        "meeting": "Møte",
        "document": "Dokument",
        "page": "Side",
        "row": "Rad",
        "shares_caption": "Andel av innspillene per tema; n = antall innspill.",
        "interval_note": "Under hver andel står 95 % intervallet: den sanne andelen ligger "
        "trolig innenfor det.",
        "small_group_note": "{mark} Færre enn {n} innspill (grå, i kursiv): andelene er svært "
        "usikre, som de brede intervallene viser. Ikke sammenlign dem med andelene i større "
        "grupper.",
        "chart_limited": "Viser de {shown} største av {total}; alle står i report.xlsx og "
        "theme_counts.csv.",
        "over_time": "Utvikling over tid",
        "period_year": "År",
        "period_month": "Måned",
        "period_date": "Dato",
        "over_time_caption": "Andel per tema etter møtedato. Avstanden mellom punktene følger "
        "tiden; en stiplet linje går over perioder uten møter.",
        "undated_note": "{n} innspill uten møtedato er ikke med her.",
        "examples": "Eksempler",
        "examples_intro": "Tre typiske innspill per tema (de modellen er sikrest på, fra "
        "ulike dokumenter der det går).",
        "review": "Usikre innspill som bør leses",
        "review_intro": "Merket som usikre: {n}. Her vises de {shown} "
        "modellen er minst sikker på; alle står i arket «{sheet}» i report.xlsx og i "
        "units.csv (kolonnen uncertain).",
        "review_none": "Ingen innspill er merket som usikre.",
        "text": "Tekst",
        "cut_text": " … [forkortet: en celle i Excel rommer ikke mer; hele teksten står i "
        "units.csv]",
        "confidence": "Sikkerhet",
        "second_theme": "Andre tema",
        "method": "Slik er tallene laget",
        "method_text": "Teksten er delt i setninger og kulepunkter; hvert svar i en "
        "spørreundersøkelse er ett innspill. Overskrifter, sitater, bildetekster, lenker og "
        "tabellrader med bare tall eller kolonnenavn telles ikke. Hvert innspill er sortert "
        "av en modell trent på håndmerkede eksempler. "
        "Innspill modellen er lite sikker på, er merket som usikre og bør leses av en "
        "person. Intervallene er 95 % Wilson-intervaller for andelen.",
        "adjusted_text": "Korrigert andel: modellen forveksler noen tema. Fra kryssvalideringen "
        "vet vi hvor ofte et innspill om ett tema blir sortert som et annet (tabellen under). "
        "Den korrigerte andelen er anslaget på den sanne fordelingen når disse forvekslingene "
        "regnes tilbake (justert «klassifiser og tell»). Den er mest pålitelig for store "
        "grupper. Forvekslingene er målt på eksempler teamet selv har skrevet ({units} "
        "innspill); på ekte innspill gjør modellen flere feil, så korreksjonen er trolig for "
        "liten. Når dere har merket minst {minimum} av deres egne innspill (tema labels "
        "import), brukes de i stedet.",
        "adjusted_text_imported": "Korrigert andel: modellen forveksler noen tema. Hvor ofte et "
        "innspill om ett tema blir sortert som et annet, er målt på {units} innspill fra "
        "deres egne møter som dere har merket selv (kryssvalidert; tabellen under). Den "
        "korrigerte andelen er anslaget på den sanne fordelingen når disse forvekslingene "
        "regnes tilbake (justert «klassifiser og tell»). Den er mest pålitelig for store "
        "grupper.",
        "adjusted_missing": "Korrigert andel mangler: kryssvaliderte prediksjoner ble ikke funnet.",
        "model_heading": "Modellen",
        "model": "Modellens kryssvaliderte makro-F1: {f1} (95 % KI {interval}).",
        "accuracy": "Treffsikkerhet (andel riktig): {value} (95 % KI {interval}).",
        "threshold": "Innspill med sikkerhet under {t} merkes som usikre.",
        "flagging": "I tillegg merkes de minst sikre innspillene som usikre, til modellens "
        "forventede treffsikkerhet for resten er {accuracy} (høyst {share} av innspillene).",
        "f1": "F1",
        "macro_f1_label": "Makro-F1",
        "accuracy_label": "Treffsikkerhet (andel riktig)",
        "confusion": "Forvekslinger i kryssvalideringen (rad: riktig tema, kolonne: "
        "modellens tema; andel av radens innspill).",
        "skipped": "Filer som ikke kunne leses",
        "unread_pages": "Sider som ikke kunne leses",
        "unread_pages_line": "{file}: side {pages} (skannet eller skadet; teksten der er ikke "
        "med i tellingen)",
        "unread_sheets": "Ark som ikke ble lest",
        "unread_sheet_line": "{file}: arket {sheets} ble ikke lest, så svarene der er ikke "
        "med i tellingen (velg arket som skal leses i kolonnen «ark» i manifestet, eller "
        "lagre hvert ark som en egen fil)",
        "unread_sheets_line": "{file}: arkene {sheets} ble ikke lest, så svarene der er ikke "
        "med i tellingen (velg arket som skal leses i kolonnen «ark» i manifestet, eller "
        "lagre hvert ark som en egen fil)",
        "and": "og",
        "generated": "Laget av tema",
        "compare_title": "Endring i andeler mellom {old} og {new}",
        "change": "Endring",
        "points": "p.p.",
        "change_interval": "95 % intervall for endringen",
        "compare_caption": "Endring i prosentpoeng med 95 % intervall (Newcombe). Strek som "
        "ikke krysser null betyr en tydelig endring.",
        "compare_method": "Intervallene for endringen er Newcombes metode med "
        "Wilson-intervallene fra hver rapport.",
        "sheet_summary": "Sammendrag",
        "sheet_regions": "Regioner",
        "sheet_meetings": "Møter",
        "sheet_documents": "Dokumenter",
        "sheet_time": "Over tid",
        "sheet_examples": "Eksempler",
        "sheet_review": "Usikre",
        "sheet_method": "Metode",
        "sheet_compare": "Sammenligning",
        "key": "Gruppe",
        "level": "Nivå",
    },
    "en": {
        "title": "Theme report",
        "about_made": "Made on {date} by tema {version}.",
        "about_batch": "Input: {files} in the folder {folder}.",
        "about_batch_skipped": "Input: {files} in the folder {folder}; {skipped} of them "
        "could not be read (see “How the numbers were made”).",
        "about_units": "Read: {docs}; counted: {units}.",
        "about_model": "Model: trained on {date} on {n} hand-labelled units",
        "about_model_undated": "Model: trained on {n} hand-labelled units",
        "about_labels": " (labelled data {labels})",
        "about_model_id": "; model ID {model}",
        "theme": "Theme",
        "count": "Count",
        "share": "Share",
        "interval": "95% interval",
        "ci_low": "Lower 95%",
        "ci_high": "Upper 95%",
        "adjusted": "Adjusted share",
        "uncertain": "Uncertain",
        "total": "Total",
        "all": "All",
        "unknown": "(unknown)",
        "summary": "Summary",
        "units": "{n} of input from {docs} were sorted into themes; {unsure} "
        "({pct}) are flagged uncertain.",
        "no_units": "No unit was counted: the documents hold only headings, links or "
        "captions, or no text tema could read. The shares below therefore say nothing.",
        "summary_chart": "Share per theme with 95% interval (line) and the share corrected for "
        "the model's errors (◆).",
        "by_region": "By region",
        "by_meeting": "By meeting",
        "by_document": "By document",
        "region": "Region",
        "meeting": "Meeting",
        "document": "Document",
        "page": "Page",
        "row": "Row",
        "shares_caption": "Share of the input per theme; n = number of units.",
        "interval_note": "Below each share is its 95% interval: the true share probably lies "
        "within it.",
        "small_group_note": "{mark} Fewer than {n} units (grey, in italics): the shares are "
        "very uncertain, as their wide intervals show. Do not compare them with the shares of "
        "larger groups.",
        "chart_limited": "Showing the {shown} largest of {total}; all are in report.xlsx and "
        "theme_counts.csv.",
        "over_time": "Over time",
        "period_year": "Year",
        "period_month": "Month",
        "period_date": "Date",
        "over_time_caption": "Share per theme by meeting date. The distance between points follows "
        "time; a dashed line spans periods without meetings.",
        "undated_note": "Units without a meeting date ({n}) are not included.",
        "examples": "Examples",
        "examples_intro": "Three typical units per theme (those the model is surest of, from "
        "different documents where possible).",
        "review": "Uncertain units to review",
        "review_intro": "Flagged uncertain: {n}. Shown here are the "
        "{shown} the model is least sure of; all are in the sheet “{sheet}” of report.xlsx "
        "and in units.csv (column uncertain).",
        "review_none": "No unit is flagged uncertain.",
        "text": "Text",
        "cut_text": " … [shortened: an Excel cell holds no more; the whole text is in units.csv]",
        "confidence": "Confidence",
        "second_theme": "Second theme",
        "method": "How the numbers were made",
        "method_text": "The text is split into sentences and bullet items; each survey answer "
        "is one unit. Headings, quotes, captions, links and table rows of only figures or "
        "column names are not counted. Each unit is "
        "sorted by a model trained on hand-labelled examples. Units the model is unsure of "
        "are flagged uncertain and should be read by a person. Intervals are 95% "
        "Wilson intervals for the share.",
        "adjusted_text": "Adjusted share: the model confuses some themes. Cross-validation tells "
        "how often a unit of one theme is sorted as another (table below). The adjusted share "
        "estimates the true distribution with these confusions undone (adjusted "
        "classify-and-count); it is most reliable for large groups. The confusions were "
        "measured on examples the team wrote itself ({units} units); on real input the model "
        "errs more often, so the correction is probably too small. Once you have labelled at "
        "least {minimum} of your own units (tema labels import), those are used instead.",
        "adjusted_text_imported": "Adjusted share: the model confuses some themes. How often a "
        "unit of one theme is sorted as another was measured on {units} units from your own "
        "meetings that you labelled yourselves (cross-validated; table below). The adjusted "
        "share estimates the true distribution with these confusions undone (adjusted "
        "classify-and-count); it is most reliable for large groups.",
        "adjusted_missing": "No adjusted share: the cross-validated predictions were not found.",
        "model_heading": "The model",
        "model": "The model's cross-validated macro-F1: {f1} (95% CI {interval}).",
        "accuracy": "Accuracy: {value} (95% CI {interval}).",
        "threshold": "Units with confidence below {t} are flagged uncertain.",
        "flagging": "Besides, the least confident units are flagged until the model's "
        "expected accuracy on the rest is {accuracy} (at most {share} of the units).",
        "f1": "F1",
        "macro_f1_label": "Macro-F1",
        "accuracy_label": "Accuracy",
        "confusion": "Confusions in cross-validation (row: true theme, column: the model's "
        "theme; share of the row's units).",
        "skipped": "Files that could not be read",
        "unread_pages": "Pages that could not be read",
        "unread_pages_line": "{file}: page(s) {pages} (scanned or damaged; their text is not "
        "counted)",
        "unread_sheets": "Sheets that were not read",
        "unread_sheet_line": "{file}: the sheet {sheets} was not read, so its answers are not "
        "counted (name the sheet to read in the manifest's sheet column, or save each sheet "
        "as a file of its own)",
        "unread_sheets_line": "{file}: the sheets {sheets} were not read, so their answers are "
        "not counted (name the sheet to read in the manifest's sheet column, or save each "
        "sheet as a file of its own)",
        "and": "and",
        "generated": "Made by tema",
        "compare_title": "Change in shares from {old} to {new}",
        "change": "Change",
        "points": "pp",
        "change_interval": "95% interval of the change",
        "compare_caption": "Change in percentage points with 95% interval (Newcombe). A line "
        "that does not cross zero is a clear change.",
        "compare_method": "Intervals of the change use Newcombe's method with the Wilson "
        "intervals of each report.",
        "sheet_summary": "Summary",
        "sheet_regions": "Regions",
        "sheet_meetings": "Meetings",
        "sheet_documents": "Documents",
        "sheet_time": "Over time",
        "sheet_examples": "Examples",
        "sheet_review": "Uncertain",
        "sheet_method": "Method",
        "sheet_compare": "Comparison",
        "key": "Group",
        "level": "Level",
    },
}
