"""Every word the browser app shows, in Norwegian bokmål (default; here) and English
(`tema.serve.words_en`).

The report's own words (theme, share, interval …) come from tema.report.words, so the
app and report.html say the same thing the same way, and so do the reasons a file could
not be read (tema.report.model_text.skip_reason, from ingest's English reason).
"""

from __future__ import annotations

from typing import Any

from tema.serve.words_en import ENGLISH

WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "app": "tema",
        "tagline": "Sorterer innspill i tema",
        "nav_batches": "Innspill",
        "nav_labels": "Merking",
        "nav_retrain": "Ny modell",
        "language_switch": "English",
        "annotator": "Merket av",
        "annotator_none": "ikke valgt",
        "annotator_set": "Bruk navnet",
        "annotator_prompt": "Skriv navnet ditt før du merker. Det lagres med hver merking.",
        "annotator_placeholder": "f.eks. kari.n",
        "kind_train": "trener den første modellen",
        "kind_batch": "sorterer innspill",
        "kind_refresh": "oppdaterer en rapport",
        "kind_suggest": "velger innspill til merking",
        "kind_labels": "lagrer merkinger",
        "kind_retrain": "trener en ny modell",
        "macro": "makro-F1",
        "job_running": "Jobb i gang",
        "job_queued": "I kø",
        "batches": "Innspill",
        "batches_none": "Ingen innspill ennå. Legg inn filer nedenfor.",
        "batch_name": "Navn",
        "batch_created": "Lagt inn",
        "batch_state": "Status",
        "batch_files": "Filer",
        "batch_units": "Innspill",
        "batch_pipeline": "Prosjektets innspill (make run)",
        "new_batch": "Legg inn nye innspill",
        "new_upload": "Last opp filer",
        "new_upload_help": "Tekst (.txt, .md), PDF, Word (.docx) og spørreskjema (.csv, .xlsx). "
        "Ta med manifest.csv eller manifest.xlsx (fil, møte, region, dato) for å fylle ut "
        "møte, region og dato. Høyst {mb} MB til sammen.",
        "new_folder": "Fra en mappe",
        "new_folder_help": "Full sti til en mappe på denne maskinen, under {roots}. tema "
        "kopierer filene og leser mappens manifest hvis den har et.",
        "new_name_placeholder": "f.eks. Innspillmøter 2025",
        # The name of a batch uploaded without one (a datetime: when it came in).
        "upload_default_name": "Opplasting {when:%d.%m.%Y kl. %H.%M}",
        "upload": "Last opp",
        "read_folder": "Les mappen",
        "files_title": "Møte, region og dato per fil",
        "no_file_taken": "Ingen av filene kunne tas inn, så det er ingenting å sortere. Rett "
        "filene og last dem opp på nytt.",
        "only_manifest": "Opplastingen hadde bare et manifest og ingen dokumenter å sortere. "
        "Last opp dokumentene sammen med manifestet.",
        "upload_again": "Last opp på nytt",
        "files_help": "Utfylt fra manifestet der det finnes; ellers er møtet filnavnet. Dato "
        "skrives ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ.",
        "file": "Fil",
        "meeting": "Møte",
        "region": "Region",
        "date": "Dato",
        "start": "Sorter innspillene",
        "stored_as": "lagret som {name}",
        "manifest_used": "Utfylt fra {name}.",
        "manifest_error": "Manifestet kunne ikke leses: {error}",
        "manifest_error_next": "Ingenting er fylt ut fra manifestet. Skriv inn møte, region og "
        "dato under, eller rett manifestet og last opp filene på nytt sammen med det.",
        "manifest_missing": "Manifestet nevner filer som ikke er med: {names}. De kommer ikke "
        "med i rapporten; last dem opp i en ny batch om de skal med.",
        "manifest_unlisted": "Ikke i manifestet: {names}. Møtet er satt til filnavnet; fyll inn "
        "møte, region og dato under.",
        "state_draft": "ikke startet",
        "state_queued": "i kø",
        "state_running": "pågår",
        "state_done": "ferdig",
        "state_failed": "feilet",
        "state_interrupted": "avbrutt",
        "progress": "Fremdrift",
        "step_check": "sjekker filene",
        "step_ingest": "leser dokumentene",
        "step_segment": "deler opp i innspill",
        "step_classify": "sorterer i tema",
        "step_report": "lager rapporten",
        "step_suggest": "velger innspill til merking",
        "step_labels": "lagrer merkingene",
        "step_train": "trener og sammenligner modellen",
        "step_score": "måler modellen på dine merkinger",
        "of": "av",
        "reload_note": "Siden oppdaterer seg selv mens jobben går.",
        "job_waiting": "Venter på tur: jobben starter når jobben foran den er ferdig.",
        "job_starting": "Jobben starter om et øyeblikk.",
        "rejected_title": "Filer som ikke kunne leses",
        "rejected_help": "Resten av innspillene ble sortert. Rett filen og legg den inn på nytt.",
        "reason": "Årsak",
        "job_error": "Jobben feilet: {error}",
        "job_failed_no_readable_file": "ingen av filene kunne leses (se listen under)",
        "job_failed_no_model": "det finnes ingen modell ennå, og den første kunne ikke trenes",
        "job_failed_stopped": "tema ble stoppet mens jobben gikk",
        "job_failed_worker_ended": "prosessen som gjorde jobben, stoppet uventet",
        "job_interrupted": "Jobben ble avbrutt ({error}). Ingen halvferdige resultater er tatt "
        "i bruk; kjør den på nytt.",
        "rerun": "Kjør på nytt",
        "continue_draft": "Fortsett",
        "delete": "Slett",
        "delete_confirm": "Innspillene og resultatene deres slettes, og det kan ikke angres. "
        "Merkinger som er lagret, beholdes.",
        "delete_title": "Slette «{name}»?",
        "delete_yes": "Ja, slett",
        "cancel": "Avbryt",
        "open_report": "Rapport",
        "open_review": "Merk innspill",
        "summary_line": "{units} fra {documents}; usikre: {uncertain}.",
        "downloads": "Last ned",
        "report_title": "Rapport: {name}",
        "drill_help": "Klikk på en andel for å se innspillene bak den.",
        "left_out_title": "Ikke med i tellingen",
        "left_out_help": "Innspillene i det som er listet her, er ikke med i tallene under.",
        "all_units": "Alle innspill",
        "unit_text": "Innspill",
        "units_title": "{theme} — {where}",
        "units_count": "{n} innspill",
        "confidence": "Sikkerhet",
        "source": "Kilde",
        # A unit's place in its file, after the file's name: "Notat.pdf, side 3", "…, rad 4".
        "source_page": "side",
        "source_row": "rad",
        "theme": "Tema",
        "uncertain_mark": "usikker",
        "page_prev": "Forrige side",
        "page_next": "Neste side",
        "back_to_report": "Tilbake til rapporten",
        "review_title": "Merk innspill: {name}",
        "order": "Rekkefølge",
        "order_suggest": "Forslag fra tema (usikre, varierte, spredt over møter)",
        "order_uncertain": "Bare usikre",
        "order_theme": "Tema: {theme}",
        "order_doc": "Dokument: {doc}",
        "show_others": "Ta med innspill andre har merket (dobbeltmerking gir kappa)",
        "apply": "Vis",
        "heading": "Overskrift",
        # A survey answer's section is the question it replies to.
        "question": "Spørsmål",
        "before": "Før",
        "after": "Etter",
        "second_theme": "Andre tema",
        "second_none": "ingen",
        "skip": "Hopp over",
        "undo": "Angre",
        "keys_help": "Tast 1–{last} velger tema og lagrer. Shift + 1–{last} legger til et andre "
        "tema først. S hopper over, U (eller Backspace) angrer. Musen virker også.",
        "left": "{n} igjen i denne rekkefølgen",
        "queue_done": "Ingen flere innspill i denne rekkefølgen.",
        "more_suggestions": "Finn flere forslag",
        "note_saved": "Lagret.",
        "note_unchanged": "Samme merking som før: ingenting endret.",
        "note_skipped": "Hoppet over.",
        "note_undone": "Angret: «{text}».",
        "note_nothing": "Ingenting å angre.",
        "note_imported": "Den siste merkingen er allerede i treningsdataene og kan ikke angres "
        "her; en ny merking av innspillet blir en konflikt til avgjørelse.",
        "note_gone": "Innspillet finnes ikke lenger i denne batchen.",
        "note_kept": "Innspillet er allerede merket, og merkingen står: «Hopp over» tar ikke "
        "bort en merking (Angre gjør det).",
        "note_stale_skip": "Ikke hoppet over: innspillet ble merket «{theme}» i en annen fane "
        "eller et annet vindu etter at denne siden ble vist, og den merkingen står. Trykk S "
        "for å gå videre, eller et tall for å endre merkingen.",
        "note_stale_label": "Ikke lagret: innspillet ble merket «{theme}» i en annen fane "
        "eller et annet vindu etter at denne siden ble vist. Velg temaet på nytt for å endre "
        "merkingen, eller trykk S for å la den stå.",
        "current_label": "Merket nå",
        "counts_title": "Merket så langt",
        "counts_you": "deg",
        "counts_all": "alle",
        "pending": "{n} venter på å bli lagt i treningsdataene.",
        "save_labels": "Lagre i treningsdataene nå",
        "labels_title": "Merking",
        "labels_intro": "Merkingene dine lagres i treningsdataene med navnet ditt og datoen, "
        "og neste nye modell lærer av dem (se «Ny modell»). Har to personer merket samme "
        "innspill ulikt, overskrives ingen av dem: uenigheten settes til side, og den som "
        "drifter tema avgjør den. Du trenger ikke gjøre noe mer; fortsett å merke.",
        "ops_title": "For den som drifter tema",
        "ops_labels": "Merkingene legges i `{labeled}` med samme kode som `tema labels "
        "import`: én ny fil per import, med merkerens navn og datoen. Et innspill som "
        "allerede er merket med et annet tema, går til `{conflicts}`; avgjør konfliktene der "
        "og kjør `tema labels import {conflicts}`.",
        "ops_imports": "Filene importene skrev:",
        "imports_title": "Lagret i treningsdataene",
        "imports_none": "Ingen merkinger er lagret ennå.",
        "import_line": "{annotator}: nye {added}, fantes fra før {already}, konflikter {conflicts}",
        "kappa_title": "Samsvar mellom merkere (Cohens kappa)",
        "kappa_none": "Ingen innspill er merket av to personer ennå.",
        "kappa_pair": "{a} og {b}: {n} innspill merket av begge",
        "kappa": "Kappa",
        "agreement": "Samsvar",
        "overall": "Totalt",
        "retrain_title": "Tren en ny modell",
        "retrain_intro": "Trener en ny modell på alle merkede innspill, dine også. Den nye "
        "modellen tas i bruk bare hvis den sorterer minst like godt som den som brukes nå; "
        "da sorteres alle batchene på nytt, og rapportene oppdateres. Ellers legges den til "
        "side, og alt fortsetter som før. Siden viser resultatet når treningen er ferdig.",
        "ops_retrain": "Merkingene som venter, importeres først. Treningen og kontrollen er "
        "de samme som `tema train`; en modell som ikke tas i bruk, legges i `{candidate}`.",
        "retrain_button": "Tren ny modell",
        "retrain_none": "Ingen ny modell er trent fra nettleseren ennå.",
        "verdict_promoted": "Tatt i bruk",
        "verdict_first model": "Tatt i bruk (første modell)",
        "verdict_forced": "Tatt i bruk med --force",
        "verdict_rejected": "Ikke tatt i bruk: lagt til side",
        "reasons": "Hvorfor",
        "basis": "Sammenlignet på",
        "current": "Gjeldende",
        "candidate": "Ny",
        "change": "Endring",
        "change_ci": "95 % KI for endringen",
        "as_cli": "For den som drifter tema: som `tema compare-models` skriver det",
        "own_title": "På dine egne merkede innspill",
        "own_line": "{n} innspill merket av brukerne, hvert sortert av en modell som ikke "
        "hadde sett det (kryssvalidering): makro-F1 {f1} ({f1_ci}), treffsikkerhet {acc} "
        "({acc_ci}).",
        "own_none": "Ingen egne merkinger ennå: merk innspill fra dine batcher, så vises "
        "modellens treff på dem her.",
        "refresh_note": "Rapportene oppdateres med den nye modellen.",
        "trained_on": "Trent på {n} merkede innspill; kryssvalidert makro-F1 {f1} ({ci}).",
        "first_model_note": "Det finnes ingen modell ennå; tema trener en fra de merkede "
        "eksemplene som følger med, før de første innspillene sorteres.",
        "not_found": "Fant ikke siden.",
        "csrf": "Skjemaet var utløpt eller kom ikke fra tema. Last siden på nytt og prøv igjen.",
        "bad_name": "Filnavnet «{name}» kan ikke brukes.",
        "bad_type": "{name}: tema leser ikke denne filtypen; bruk {types}.",
        "bad_content": "{name}: innholdet er ikke en {type}-fil.",
        "empty_file": "{name}: filen er tom.",
        "bad_folder": "Fant ikke mappen {folder}.",
        "no_folder": "Skriv inn stien til en mappe.",
        "folder_outside": "Mappen {folder} ligger utenfor mappene tema får lese ({roots}).",
        "no_files": "Ingen filer tema kan lese ble valgt.",
        "too_large_title": "Filene er for store",
        "too_large_help": "Høyst {mb} MB til sammen i én opplasting. Del filene på flere "
        "opplastinger, eller les dem fra en mappe.",
        "too_large_file": "«{file}» er større enn grensen på {mb} MB for én opplasting. Les "
        "den fra en mappe i stedet.",
        "too_large_files": "{n} av filene er hver for seg større enn grensen på {mb} MB for én "
        "opplasting. Les dem fra en mappe i stedet.",
        "too_large_all": "Filene er til sammen større enn grensen på {mb} MB for én "
        "opplasting. Del dem på flere opplastinger, eller les dem fra en mappe.",
        "too_large_alone": "for stor alene",
        "size": "Størrelse",
        "at_least": "minst",
        "wrong_host_title": "Ukjent adresse",
        "wrong_host": "tema svarer bare på adressene {hosts}, ikke på andre navn på maskinen "
        "(da kan ingen annen nettside nå appen). Åpne tema på denne adressen:",
        "back_home": "Tilbake til forsiden",
        "go_back": "Tilbake",
        "bad_request": "tema kunne ikke ta imot dette. Gå tilbake og prøv igjen.",
        "server_error": "Noe gikk galt, og tema kunne ikke vise siden. Gå tilbake og prøv "
        "igjen; skjer det igjen, si fra til den som har satt opp tema (feilen står der tema "
        "serve kjører).",
        # Why a date on the manifest form is not a date (`date_fault`'s kinds).
        "bad_date_form": "{file}: «{date}» er ikke en dato (ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ).",
        "bad_date_year": "{file}: «{date}» finnes ikke: det er ikke noe år 0.",
        "bad_date_month": "{file}: «{date}» finnes ikke: det er ingen måned {month}.",
        "bad_date_day": "{file}: «{date}» finnes ikke: det er ingen dag 0.",
        "bad_date_days": "{file}: «{date}» finnes ikke: {month_name} {year} har {days} dager.",
        "bad_date_time": "{file}: «{date}» finnes ikke: det er ikke noe slikt klokkeslett "
        "(klokken går fra 00.00 til 23.59).",
        "busy": "tema arbeider med disse innspillene nå (sorterer dem eller oppdaterer "
        "rapporten). Vent til jobben er ferdig, og prøv igjen.",
        "read_only": "Prosjektets egne innspill oppdateres med `make run`.",
        "name_needed": "Skriv et navn med bokstaver eller tall.",
        "unknown_theme": "Ukjent tema.",
    },
    "en": ENGLISH,
}


LANGUAGES = tuple(WORDS)  # nb, en


def pick_language(chosen: object, default: str) -> str:
    """The language a user chose (kept in their session) when tema speaks it, else the
    app's default, else Norwegian."""
    if isinstance(chosen, str) and chosen in WORDS:
        return chosen
    return default if default in WORDS else "nb"


def say(language: str, key: str, **values: Any) -> str:
    """The text `key` in `language`, with `values` filled in."""
    text = WORDS.get(language, WORDS["nb"]).get(key, key)
    return text.format(**values) if values else text
