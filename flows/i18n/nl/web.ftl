# Het wijkteam-bureau in de browser (/desk). Teksten voor medewerkers, niet voor bewoners.
# Kort en duidelijk: één vraag per tekst, korte zinnen.

web-app-name = Straatpraat bureau
web-skip-link = Naar de inhoud
web-nav-label = Bureau
web-nav-inbox = Hulpvragen
web-nav-admin-staff = Medewerkers
web-nav-admin-tokens = Toegangscodes
web-nav-admin-sessions = Aanmeldingen
web-nav-results = Uitslagen
web-language-switch = English
web-signed-in-as = Aangemeld als { $name } ({ $role })
web-sign-out = Afmelden
web-role-wijkteam = wijkteam
web-role-analyst = analist
web-role-admin = beheerder
web-csrf-refused = Dit formulier is verlopen of komt niet van deze pagina. Laad de pagina opnieuw.
web-forbidden-title = Geen toegang
web-forbidden = Deze pagina is niet voor jouw rol.
web-not-found-title = Niet gevonden
web-not-found = Deze pagina bestaat niet.
web-bad-input = Dit klopt niet: { $problem }
web-back-home = Terug naar het bureau

web-sign-in-title = Aanmelden
web-sign-in-intro = Je meldt je aan met de chat waarmee je het wijkteam-werk doet. Je krijgt een code van de bot.
web-sign-in-channel = Kanaal
web-sign-in-user = Jouw gebruikersnaam of nummer in dat kanaal
web-sign-in-user-hint = Zoals de beheerder je heeft toegevoegd. Bijvoorbeeld 31612345678 voor WhatsApp.
web-sign-in-send = Stuur mij een code
web-channel-whatsapp-cloud = WhatsApp (zakelijk)
web-code-title = Code invullen
web-code-sent = Sta je in het team? Dan stuurt de bot je nu een code in je chat.
web-code-valid = De code werkt { $minutes } minuten.
web-code-label = Code van 6 cijfers
web-code-submit = Aanmelden
web-code-again = Een nieuwe code vragen
web-code-wrong = Deze code klopt niet, of is verlopen. Je mag het nog { $tries } keer proberen.
web-code-locked = Te vaak een verkeerde code. Probeer het na { $time } opnieuw.
web-code-message = Je code voor het Straatpraat bureau: { $code }
    De code werkt { $minutes } minuten. Deel hem met niemand.
web-signed-out = Je bent afgemeld.

web-home-title = Bureau
web-home-intro = Welkom, { $name }. Kies hierboven wat je wilt doen.
web-home-analyst = Als analist vind je de cijfers op de pagina met uitslagen.

web-inbox-title = Hulpvragen
web-inbox-waiting = { $count } wachten op iemand
web-inbox-views = Welke hulpvragen
web-view-open = Open
web-view-mine = Van mij
web-view-flagged = Te lang open
web-view-closed = Gesloten
web-inbox-empty = Geen hulpvragen hier.
web-inbox-live = De lijst ververst vanzelf.
web-col-number = Nummer
web-col-opened = Binnengekomen
web-col-area = Buurt
web-col-subject = Onderwerp
web-col-status = Stand
web-no-subject = (geen onderwerp)
web-status-open = Open
web-status-taken = Van { $name }
web-status-closed = Gesloten
web-flagged = Te lang open: niemand nam hem een werkdag op

web-request-title = Hulpvraag { $id }
web-request-area = Buurt
web-request-language = Taal van de bewoner
web-request-status = Stand
web-request-opened = Binnengekomen
web-request-thread = Gesprek
web-request-no-messages = Nog geen berichten.
web-request-resident = Bewoner
web-request-staff = { $name } (wijkteam)
web-request-unreachable = Deze bewoner is gestopt. Je kunt geen bericht meer sturen.
web-request-take = Neem deze hulpvraag
web-request-taken = Hulpvraag { $id } is nu van jou.
web-request-reply-label = Je bericht aan de bewoner
web-request-reply-hint = Je ziet eerst hoe de bewoner het krijgt. Met je voornaam eronder.
web-request-preview = Bekijk je bericht
web-request-preview-title = Zo krijgt de bewoner je bericht
web-request-send = Versturen
web-request-edit = Terug en aanpassen
web-request-sent = Verstuurd naar de bewoner.
web-request-stored = Bewaard. De bewoner is niet te bereiken.
web-request-close = Sluit deze hulpvraag
web-request-closed = Hulpvraag { $id } is gesloten. { $days ->
        [one] Na { $days } dag wordt hij gewist.
       *[other] Na { $days } dagen wordt hij gewist.
    }
web-request-is-closed = Deze hulpvraag is gesloten.
web-request-empty = Schrijf eerst een bericht.

web-staff-title = Medewerkers
web-staff-add = Medewerker toevoegen
web-staff-channel = Kanaal
web-staff-user = Gebruikersnaam of nummer
web-staff-role = Rol
web-staff-name = Voornaam
web-staff-name-hint = Bewoners zien deze naam onder je berichten.
web-staff-added = Medewerker { $id } toegevoegd.
web-staff-updated = Medewerker { $id } aangepast.
web-staff-remove = Verwijderen
web-staff-removed = Medewerker { $id } verwijderd.
web-staff-col-number = Nummer
web-staff-col-channel = Kanaal
web-staff-col-user = Gebruiker
web-staff-col-role = Rol
web-staff-col-name = Naam
web-col-actions = Acties

web-tokens-title = Toegangscodes
web-tokens-intro = Toegangscodes zijn voor programma's en de pagina met uitslagen.
web-tokens-create = Nieuwe toegangscode
web-tokens-name = Naam
web-tokens-role = Rol
web-tokens-days = Geldig, in dagen
web-tokens-created = Kopieer deze code nu. Je ziet hem hierna niet meer.
web-tokens-revoke = Intrekken
web-tokens-revoked = Toegangscode { $id } is ingetrokken.
web-tokens-col-created = Gemaakt
web-tokens-col-expires = Verloopt
web-tokens-col-last-used = Laatst gebruikt
web-tokens-col-state = Stand
web-tokens-active = Werkt
web-tokens-inactive = Ingetrokken of verlopen
web-tokens-never = Nooit

web-sessions-title = Aanmeldingen
web-sessions-intro = Wie is nu aangemeld, in het bureau of bij de uitslagen.
web-sessions-kind-staff = Bureau: medewerker { $id }
web-sessions-kind-token = Uitslagen: toegangscode { $id }
web-sessions-col-who = Wie
web-sessions-col-since = Sinds
web-sessions-col-until = Tot
web-sessions-end = Beëindigen
web-sessions-ended = Aanmelding { $id } is beëindigd.
web-sessions-this = Dit ben jij

web-nav-ideas = Ideeën
web-ideas-title = Ideeën
web-ideas-filters = Zoeken en filteren
web-ideas-status = Status
web-ideas-area = Buurt
web-ideas-theme = Thema
web-ideas-search = Woorden in het idee
web-ideas-all = Alle
web-ideas-apply = Toon ideeën
web-ideas-count = { $total ->
        [one] { $total } idee gevonden.
       *[other] { $total } ideeën gevonden.
    } Pagina { $page } van { $pages }.
web-ideas-none = Geen ideeën gevonden.
web-ideas-paging = Pagina's
web-ideas-previous = Vorige pagina
web-ideas-next = Volgende pagina
web-ideas-col-date = Datum
web-ideas-col-text = Idee
web-ideas-col-replies = Antwoorden
web-idea-title = Idee { $id }
web-idea-text = Het idee
web-idea-status-change = Status veranderen
web-idea-status-new = Nieuwe status
web-idea-status-save = Status opslaan
web-idea-status-saved = Idee { $id } heeft nu de status: { $status }.
web-idea-status-same = Idee { $id } heeft die status al.
web-idea-author-told = De bewoner kreeg dit bericht:
web-idea-reply = Antwoord aan de bewoner
web-idea-reply-label = Je antwoord
web-idea-reply-sent = Je antwoord is verstuurd.
web-idea-unreachable = Deze bewoner krijgt geen berichten meer.
web-idea-announce = Gedane ideeën over dit thema aankondigen
web-idea-announce-hint = Een bericht aan iedereen met een gedaan idee over { $theme }. Je ziet eerst een voorbeeld.
web-idea-announce-ready = Dit is een concept voor wie een gedaan idee stuurde over { $theme }. Pas het aan en bekijk het voorbeeld.
web-idea-announce-text = Goed nieuws over jullie ideeën: { $theme }. Jullie gaven ideeën en wij deden er iets mee. Dank je wel voor het meedenken!

# Berichten (flitsen) aan bewoners.
web-nav-broadcasts = Berichten
web-broadcasts-title = Berichten aan bewoners
web-broadcasts-none = Er zijn nog geen berichten.
web-flash-new = Nieuw bericht maken
web-flash-col-when = Verstuurtijd
web-flash-col-text = Tekst
web-flash-status-scheduled = gepland
web-flash-status-sending = wordt verstuurd
web-flash-status-sent = verstuurd
web-flash-status-cancelled = geannuleerd
web-flash-compose-title = Nieuw bericht
web-flash-text-nl = Tekst in het Nederlands (verplicht)
web-flash-text-hint = Korte zinnen. Eén vraag per bericht.
web-flash-text-en = Tekst in het Engels (mag leeg)
web-flash-text-en-hint = Leeg? Dan krijgen Engelstalige bewoners de Nederlandse tekst.
web-flash-image = Afbeelding (niet verplicht)
web-flash-image-hint = Een jpg-, png- of webp-bestand van hoogstens 5 megabyte. De tekst komt eronder.
web-flash-image-too-large = Deze afbeelding is te groot. Er past hoogstens 5 megabyte. Maak hem kleiner.
web-flash-image-type = Dit bestand is geen afbeelding. Kies een jpg-, png- of webp-bestand.
web-flash-image-gone = De afbeelding is er niet meer. Kies hem opnieuw.
web-flash-image-alt = De afbeelding bij het bericht
web-flash-image-remove = Zonder deze afbeelding versturen
web-flash-areas = Wijken
web-flash-languages = Talen
web-flash-channels = Kanalen
web-flash-none-is-all = Niets aangevinkt is iedereen.
web-flash-wave = Alleen wie meedeed aan een peiling
web-flash-wave-none = Iedereen, niet alleen deelnemers
web-flash-idea-theme = Alleen schrijvers van gedane ideeën over dit thema
web-flash-idea-theme-hint = Het idee heeft de status gedaan.
web-flash-idea-theme-none = Iedereen, niet alleen wie een idee stuurde
web-flash-idea-theme-is = met een gedaan idee over { $theme }
web-flash-rsvp-legend = Aanmelden
web-flash-rsvp = Vraag: Kom je? Stuur JA.
web-flash-when = Wanneer versturen?
web-flash-when-now = Nu
web-flash-when-later = Op een later moment
web-flash-at = Datum en tijd ({ $zone })
web-flash-quiet-hint = In de stille uren wacht het bericht tot de ochtend.
web-flash-preview = Voorbeeld
web-flash-preview-title = Voorbeeld van het bericht
web-flash-to = Voor
web-flash-count = Aantal bewoners
web-flash-count-value = { $count ->
        [one] { $count } bewoner
       *[other] { $count } bewoners
    }
web-flash-goes = Verstuurtijd
web-flash-goes-now = Direct
web-flash-held = Het is nu stil. Het gaat { $time }.
web-flash-phones = Zo ziet de bewoner het
web-flash-confirm = { $count ->
        [one] Versturen naar { $count } bewoner
       *[other] Versturen naar { $count } bewoners
    }
web-flash-change = Terug en aanpassen
web-flash-need-nl = Schrijf eerst de Nederlandse tekst.
web-flash-need-time = Kies een datum en tijd.
web-flash-time-past = Die tijd is al voorbij. Kies een latere tijd.
web-flash-refused = Dit bericht kan zo niet weg. Kijk de keuzes na.
web-flash-all-areas = alle wijken
web-flash-all-languages = alle talen
web-flash-all-channels = alle kanalen
web-flash-answered-wave = deelnemers aan peiling { $wave }
web-flash-topics = Onderwerpen
web-flash-topics-hint = Niets aangevinkt is alle onderwerpen. Bewoners zonder keuze krijgen het ook.
web-flash-about-topics = over { $topics }
web-flash-ages = Leeftijdsgroepen
web-flash-ages-hint = Niets aangevinkt is iedereen. Anders alleen wie die leeftijd gaf.
web-flash-age-groups = leeftijd { $groups }
web-age-geen = Wil het niet zeggen
web-flash-report-title = Bericht en bezorging
web-flash-created = Het bericht is aangemaakt.
web-flash-edited = De tekst is aangepast.
web-flash-cancelled = Het bericht is geannuleerd. Het gaat niet meer weg.
web-flash-too-late = Dit kan niet meer. Het bericht is al (deels) verstuurd.
web-flash-delivery = Bezorging
web-flash-live-hint = De cijfers lopen vanzelf bij. Zonder JavaScript: laad de pagina opnieuw.
web-flash-audience = Bewoners
web-flash-queued = In de wachtrij
web-flash-sent = Verstuurd
web-flash-delivered = Aangekomen (als het kanaal dat meldt)
web-flash-read = Gelezen (als het kanaal dat meldt)
web-flash-failed = Mislukt
web-flash-withdrawn = Ingetrokken
web-flash-rsvps = Aanmeldingen (JA)
web-flash-text = Tekst
web-flash-edit = Tekst aanpassen
web-flash-edit-save = Tekst opslaan
web-flash-cancel = Bericht annuleren
web-yes = ja
web-no = nee

# Peilingen (rondes) en uitslagen.
web-nav-waves = Peilingen
web-waves-title = Peilingen
web-waves-list = Rondes
web-waves-none = Er zijn nog geen rondes.
web-wave-poll = Peiling
web-wave-questions = { $count ->
        [one] { $count } vraag
       *[other] { $count } vragen
    }
web-wave-status-scheduled = gepland
web-wave-status-open = loopt
web-wave-status-closed = gesloten
web-wave-status-cancelled = geannuleerd
web-wave-launch = Een nieuwe ronde starten
web-wave-when = Wanneer begint de ronde?
web-wave-remind-hours = Herinnering na hoeveel uur?
web-wave-remind-hint = Alleen voor wie nog niet klaar is. 0 is geen herinnering.
web-wave-close-days = Sluiten na hoeveel dagen?
web-wave-launch-button = Ronde starten
web-wave-title = Ronde: { $poll }
web-wave-opens = Begint
web-wave-reminder = Herinnering
web-wave-no-reminder = geen
web-wave-closes = Sluit
web-wave-invited = Uitgenodigd
web-wave-finished = Klaar
web-wave-invitation = Uitnodiging
web-wave-delivery = { $sent } verstuurd, { $queued } in de wachtrij, { $failed } mislukt
web-wave-cancel = Ronde annuleren
web-wave-close = Nu sluiten
web-wave-launched = De ronde is gestart.
web-wave-closed = De ronde is gesloten. Antwoorden tellen niet meer mee.
web-wave-cancelled = De ronde is geannuleerd. Er gaat geen uitnodiging weg.
web-wave-not-now = Dat kan nu niet meer.
web-wave-draft = Bericht maken: jullie zeiden, wij doen
web-wave-draft-hint = Een concept met de uitslag, voor iedereen die meedeed.
web-wave-draft-ready = Dit is een concept. Pas het aan en bekijk het voorbeeld.
web-results-title = Uitslag
web-results-running = De uitslag komt als de ronde gesloten is.
web-results-too-few = Te weinig antwoorden. We tonen pas iets vanaf { $min } mensen.
web-results-too-few-short = te weinig
web-results-respondents = Ongeveer { $count } deelnemers. Groepen kleiner dan { $min } tonen we niet.
web-results-answer = Antwoord
web-results-total = Totaal
web-results-mean = Gemiddeld cijfer: { $mean }
web-results-free-texts = Wat mensen schreven, zonder naam of wijk.

# Overzicht: de cijfers waarover het wijkteam rapporteert.
web-nav-overview = Overzicht
web-overview-title = Overzicht
web-overview-intro = Alleen aantallen. Kleine groepen (minder dan { $min }) tonen we niet precies.
web-overview-fewer = minder dan { $min }
web-overview-none = Nog niets.
web-overview-count = Aantal
web-overview-source = Bron (flyer of link)
web-overview-residents = Deelnemers per wijk
web-overview-joins = Aanmeldingen per bron
web-overview-help = { $days ->
        [one] Hulpvragen van de laatste { $days } dag
       *[other] Hulpvragen van de laatste { $days } dagen
    }
web-overview-help-opened = Binnengekomen
web-overview-help-answered = Binnen een werkdag beantwoord
web-overview-help-open = Nu nog open
web-overview-ideas = Ideeën per status
web-straatpraat-title = Straatpraat-bijeenkomsten
web-straatpraat-intro = Nodig bewoners uit voor een gesprek in de wijk. Zij kunnen vooraf een vraag sturen.
web-straatpraat-none = Er zijn nog geen bijeenkomsten.
web-session-new = Nieuwe bijeenkomst aankondigen
web-session-new-title = Bijeenkomst aankondigen
web-session-new-intro = Bewoners krijgen een uitnodiging met de vraag: Kom je? Op de dag zelf krijgen aanmelders een herinnering.
web-session-at = Datum en begintijd ({ $zone })
web-session-where = Waar
web-session-who = Wie is er
web-session-who-hint = Bijvoorbeeld: de wethouder en het wijkteam.
web-session-text-nl = Extra tekst in het Nederlands (mag leeg)
web-session-text-hint = Geen tekst? Dan noemt de uitnodiging alleen tijd, plaats en wie.
web-session-announce = Bijeenkomst aankondigen
web-session-need-place = Vul in waar het is en wie er is.
web-session-need-nl = Schrijf ook de Nederlandse tekst.
web-session-refused = Dit kan zo niet. Kijk de keuzes na.
web-session-announced = De bijeenkomst is aangekondigd.
web-session-col-when = Wanneer
web-session-status-cancelled = afgelast
web-session-status-past = geweest
web-session-title = Bijeenkomst in { $where }
web-session-summaries = Verslagen verstuurd
web-session-questions = { $count ->
    [one] Vragen vooraf (1 vraag)
   *[other] Vragen vooraf ({ $count } vragen)
}
web-session-questions-hint = Per thema. We laten nooit zien wie een vraag stelde.
web-session-questions-none = Er zijn nog geen vragen.
web-session-summary = Verslag versturen
web-session-summary-hint = Na de bijeenkomst. Het gaat naar wie zich aanmeldde of een vraag stuurde.
web-session-summary-send = Verslag versturen
web-session-summary-sent = Het verslag gaat nu weg.
web-session-cancel = Bijeenkomst afgelasten
web-session-cancelled = De bijeenkomst is afgelast. Aanmelders krijgen een bericht.
web-session-too-late = Dit kan niet meer. De bijeenkomst is al afgelast of geweest.
web-session-send-at = Uitnodiging versturen op ({ $zone })
web-session-send-at-hint = Leeg is nu. In de stille uren wacht de uitnodiging tot de ochtend.
web-session-send-before = De uitnodiging moet voor de bijeenkomst weg. Kies een eerdere tijd.
