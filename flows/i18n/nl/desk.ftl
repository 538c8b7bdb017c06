# Het wijkteam-bureau: hulpvragen van bewoners, antwoorden op ideeën, en de chatcommando's van het wijkteam.
# Teksten voor bewoners: B1, korte zinnen, één vraag per bericht, trefwoorden in hoofdletters.
# Teksten die met desk- beginnen zijn voor het wijkteam (altijd Nederlands).

## Hulpvraag van een bewoner (na HULP)

help-offer = Wil je dat iemand van het wijkteam je een bericht stuurt?
help-offer-yes = Ja, graag
help-offer-no = Nee, dank je
help-subject-ask = Waar gaat het over? Schrijf het in één zin.
    Of stuur SLA OVER als je het liever niet zegt.
help-declined = Goed. Stuur HULP als je later toch hulp wilt.
help-opened = Dank je wel. Iemand van het wijkteam stuurt je een bericht.
help-already-open = Je hulpvraag staat al bij het wijkteam. Stuur gewoon een bericht, dan zet ik het erbij.
help-added = Ik heb je bericht bij je hulpvraag gezet. Het wijkteam leest het.
help-relayed = Ik heb je bericht doorgestuurd naar { $name }.
help-closed-resident = Het wijkteam heeft je hulpvraag afgesloten. Stuur HULP als je nog iets nodig hebt.
help-when-open = Het wijkteam is nu aan het werk. Je krijgt zo snel mogelijk antwoord.
    Werktijden: { $hours }.
help-when-closed = Het wijkteam werkt weer { $day } om { $time }. Dan krijg je antwoord.
    Werktijden: { $hours }.
help-when-hours = Werktijden van het wijkteam: { $hours }.
help-today = vandaag
help-tomorrow = morgen
help-days-range = { $from } t/m { $to }
help-signature = Groetjes, { $name } — { $team }
help-signature-team = Groetjes, { $team }
help-answer-back = Antwoord gewoon op dit bericht.
help-team = het wijkteam
help-team-nazareth = wijkteam Nazareth
help-team-pottenberg = wijkteam Pottenberg

## Nieuws over een idee van een bewoner

idea-status-bekeken = Het wijkteam heeft je idee bekeken: “{ $idea }”
idea-status-gepland = Goed nieuws over je idee “{ $idea }”. We gaan ermee aan de slag!
idea-status-gedaan = Je idee “{ $idea }” is uitgevoerd. Dank je wel!
idea-status-niet-haalbaar = Over je idee “{ $idea }”: het lukt helaas niet. Dank je wel voor het meedenken.
idea-reply-intro = Een antwoord op je idee “{ $idea }”:

## Chatcommando's van het wijkteam

desk-help-wijkteam = Commando's voor het wijkteam:
    /flash — nieuwsflits naar bewoners
    /flash peiling nummer — flits aan wie die peiling beantwoordde
    /flash thema wonen — flits aan wie een gedaan idee over wonen stuurde
    /poll — peiling starten
    /straatpraat — straatpraat-sessie aankondigen
    /ideas — ideeën bekijken (of: /ideas nieuw, /ideas nazareth)
    /idea 12 status gepland — status van idee 12
    /idea 12 reply je tekst — antwoord aan de bedenker
    /hulpvragen — hulpvragen die open staan
    /neem 12 — hulpvraag 12 oppakken
    /antwoord 12 je tekst — bericht aan de bewoner
    /sluit 12 — hulpvraag 12 sluiten
    /results — cijfers (of: /results 1a2b3c4d voor de antwoorden van een peiling)
    /annuleer — stoppen met een commando
    /annuleer nummer — flits, straatpraat of peiling annuleren
    /sluit-peiling nummer — peiling nu sluiten
desk-help-analyst = Commando's voor analisten:
    /results — cijfers (of: /results 1a2b3c4d voor de antwoorden van een peiling)
    Exports maak je met de opdrachtregel: straatpraat export.
desk-not-allowed = Dit commando is alleen voor het wijkteam.
desk-nothing-to-cancel = Er is niets om te stoppen.
desk-not-sent = Gestopt. Er is niets naar bewoners gegaan.
desk-already-sent = Dit is al verstuurd.
desk-try-again = Dat lukte niet. Probeer het nog een keer.
desk-confirm-send = Versturen?
desk-confirm-launch = Peiling starten?
desk-confirm-save = Opslaan?
desk-confirm-yes = Ja
desk-confirm-no = Nee, niet doen
desk-area-ask = Voor welke buurt?
desk-area-both = Nazareth en Pottenberg
desk-area-all = Iedereen
desk-area-unknown = buurt onbekend
desk-audience = Voor: { $audience }.
desk-audience-wave = iedereen die peiling { $id } beantwoordde
desk-audience-theme = wie een idee over { $theme } stuurde dat nu gedaan is
desk-audience-count = Voor: { $audience }. { $count ->
        [one] Dat is nu { $count } bewoner.
       *[other] Dat zijn nu { $count } bewoners.
    }

desk-flash-ask-nl = Nieuwsflits. Stuur de tekst in het Nederlands.
desk-flash-ask-en = Stuur nu de tekst in het Engels.
    Geen Engelse tekst? Stuur dan SLA OVER.
desk-flash-rsvp-ask = Mogen bewoners laten weten dat ze komen?
desk-rsvp-yes = Ja, vraag: kom je?
desk-rsvp-no = Nee
desk-flash-preview = Zo zien bewoners de flits:
desk-preview-language = In het { $language }:
desk-texts-hint = Ook in een andere taal: stuur de taalcode en dan de tekst.
    Zoals: ar … (codes: { $list })
desk-texts-need-nl = Eerst de tekst in het Nederlands: stuur nl met de tekst erachter.
desk-flash-sent = Verstuurd. Nummer van de flits: { $id }
desk-flash-already = Deze flits is al verstuurd. Nummer: { $id }
desk-audience-languages = taal: { $list }
desk-audience-channels = kanaal: { $list }
desk-audience-topics = onderwerp: { $list }
desk-audience-ages = leeftijd: { $list }
desk-topics-unknown = Dat onderwerp ken ik niet. Kies uit: { $list }. Of stuur: onderwerp alle.
desk-ages-unknown = Die leeftijd ken ik niet. Kies uit: { $list }. Of stuur: leeftijd alle.
desk-when-now = Gaat nu uit.
desk-when-at = Gaat uit op { $day } om { $time }.
desk-when-quiet = Dat is na de stille uren ({ $start }–{ $end }). In de stille uren sturen we niets.
desk-flash-change-hint = Later versturen: stuur een tijd, zoals morgen 10:00.
    Alleen één taal of kanaal: stuur bijvoorbeeld taal en, of kanaal telegram.
    Alleen over één onderwerp: stuur bijvoorbeeld onderwerp ouderen.
    Alleen voor één leeftijd: stuur bijvoorbeeld leeftijd 65+.
desk-when-past = Dat tijdstip is al voorbij. Stuur een tijd die nog komt.
desk-when-passed = Het tijdstip is intussen voorbij. Stuur een nieuwe tijd, of: nu.
desk-languages-unknown = Die taal ken ik niet. Kies uit: { $list }. Of stuur: taal alle.
desk-channels-unknown = Dat kanaal ken ik niet. Kies uit: { $list }. Of stuur: kanaal alle.
desk-flash-scheduled = Ingepland op { $day } om { $time }. Nummer van de flits: { $id }
desk-session-ask-at = Straatpraat-sessie. Wanneer begint hij? Stuur dag en tijd, zoals: vrijdag 19:00.
desk-session-at-retry = Dat begrijp ik niet. Stuur dag en tijd, zoals: vrijdag 19:00 of 12 december 14:00.
desk-session-at-past = Dat tijdstip is al voorbij. Stuur een dag en tijd die nog komen.
desk-session-ask-where = Waar is de sessie? Bijvoorbeeld: buurthuis ’t Trefpunt.
desk-session-ask-who = Wie van de gemeente komt er?
desk-session-ask-nl = Wil je er nog iets bij zeggen? Stuur de tekst in het Nederlands.
    Niets erbij: stuur dan SLA OVER.
desk-session-preview = Zo zien bewoners de aankondiging:
desk-session-reminder = Wie komt, krijgt een herinnering op { $day } om { $time }.
desk-session-change-hint = Alleen één taal of kanaal: stuur bijvoorbeeld taal en, of kanaal telegram.
desk-session-sent = Aangekondigd. Nummer van de sessie: { $id }
desk-session-already = Deze sessie is al aangekondigd. Nummer: { $id }

desk-poll-ask = Welke peiling wil je starten? Stuur het nummer.
desk-poll-retry = Die peiling ken ik niet.
desk-poll-preview = Peiling: { $poll }. Zo begint hij voor bewoners:
desk-poll-schedule = Herinnering na 1 dag. De peiling sluit na 7 dagen.
desk-poll-launched = De peiling is gestart. Nummer: { $id }
desk-poll-already = Deze peiling is al gestart. Nummer: { $id }

desk-help-none = Er staan geen hulpvragen open.
desk-help-title = Hulpvragen die open staan: { $count }
desk-help-line = Hulpvraag { $id } · { $area } · { $date } · { $status }
desk-help-status-open = nog niet opgepakt
desk-help-status-flagged = wacht al meer dan een werkdag!
desk-help-new-notice = { $count ->
        [one] Nieuwe hulpvraag: { $list }.
       *[other] { $count } nieuwe hulpvragen: { $list }.
    } Stuur /hulpvragen om ze te zien.
desk-help-flagged-notice = Deze hulpvragen wachten al een werkdag: { $ids }. Stuur /hulpvragen om ze te zien.
desk-help-status-taken = bij { $name }
desk-help-status-closed = gesloten
desk-help-no-subject = (geen onderwerp)
desk-help-hint = Oppakken: /neem en het nummer. Antwoorden: /antwoord, het nummer en je bericht.
desk-help-not-found = Hulpvraag { $id } bestaat niet.
desk-help-already-closed = Hulpvraag { $id } is al gesloten.
desk-help-taken = Hulpvraag { $id } is nu van jou.
desk-help-taken-over = Je neemt hulpvraag { $id } over van { $name }.
desk-help-no-messages = Nog geen berichten.
desk-help-resident = Bewoner
desk-help-unreachable = Let op: deze bewoner heeft zich afgemeld. Berichten komen niet aan.
desk-help-answer-hint = Antwoorden: /antwoord { $id } en je bericht.
desk-help-preview = Zo ziet de bewoner je bericht:
desk-help-sent = Verstuurd naar de bewoner van hulpvraag { $id }.
desk-help-closed = Hulpvraag { $id } is gesloten. { $days ->
        [one] Na { $days } dag wissen we hem.
       *[other] Na { $days } dagen wissen we hem.
    }
desk-help-from-resident = Hulpvraag { $id } ({ $area }). De bewoner schrijft:
    { $text }
    Antwoorden: /antwoord { $id } en je bericht.
desk-usage-neem = Zo gebruik je het: /neem 12
desk-usage-antwoord = Zo gebruik je het: /antwoord 12 en dan je bericht.
desk-usage-sluit = Zo gebruik je het: /sluit 12

desk-ideas-none = Er zijn geen ideeën.
desk-ideas-title = Ideeën { $from } tot en met { $to }
desk-ideas-title-filtered = Ideeën { $from } tot en met { $to } ({ $filter })
desk-ideas-none-filtered = Er zijn geen ideeën met: { $filter }.
desk-ideas-no-more = Er zijn geen ideeën meer.
desk-ideas-more = Meer zien? Stuur: volgende.
desk-ideas-no-next = Er is geen volgende bladzijde. Stuur /ideas om te beginnen.
desk-usage-ideas = Zo gebruik je het: /ideas, /ideas nieuw of /ideas nazareth. Allebei kan ook: /ideas gepland pottenberg.
desk-idea-line = Idee { $id } · { $area } · { $theme } · { $date } · { $status }
desk-media-image = foto
desk-media-audio = spraakbericht
desk-media-pending = wordt opgehaald
desk-media-too-large = te groot: niet bewaard
desk-media-failed = ophalen mislukt
desk-ideas-hint = Status: /idea 12 status gepland. Antwoorden: /idea 12 reply en je tekst.
desk-usage-idea = Status zetten: /idea 12 status gepland. Antwoorden: /idea 12 reply en je tekst.
desk-idea-not-found = Idee { $id } bestaat niet.
desk-idea-bad-status = Kies een status: nieuw, bekeken, gepland, gedaan of niet haalbaar.
desk-idea-same-status = Idee { $id } heeft die status al: { $status }.
desk-idea-unreachable = De bedenker krijgt geen berichten meer. Er gaat niets naar de bewoner.
desk-idea-status-preview = Idee { $id } krijgt de status: { $status }.
desk-idea-author-gets = De bedenker krijgt dit bericht:
desk-idea-reply-preview = Zo ziet de bedenker je antwoord:
desk-idea-status-saved = Idee { $id } heeft nu de status: { $status }.
desk-idea-reply-sent = Je antwoord op idee { $id } is verstuurd.
desk-idea-status-nieuw = nieuw
desk-idea-status-bekeken = bekeken
desk-idea-status-gepland = gepland
desk-idea-status-gedaan = gedaan
desk-idea-status-niet-haalbaar = niet haalbaar

desk-results-title = Cijfers van Straatpraat
desk-results-nothing = nog niets
desk-results-residents = Bewoners die meedoen: { $list }
desk-results-help = Hulpvragen in { $days ->
        [one] { $days } dag
       *[other] { $days } dagen
    }: { $opened } nieuw, { $answered } binnen een werkdag beantwoord.
    Nu open: { $open }, waarvan { $flagged } te lang.
desk-results-ideas = Ideeën: { $list }
desk-results-joins = Aanmeldingen via flyers: { $list }
desk-results-waves = Peilingen: { $list }
desk-results-wave = { $id } { $poll } ({ $status }): { $invited } uitgenodigd, { $finished } klaar
desk-results-wave-usage = Stuur /results met het nummer van een peiling, bijvoorbeeld /results 1a2b3c4d.
    Het nummer staat bij /results.
desk-results-wave-unknown = Die peiling ken ik niet. Het nummer staat bij /results.
desk-results-wave-title = Peiling { $poll }: { $title }
desk-results-wave-running = De peiling loopt nog. De antwoorden zie je als hij klaar is.
desk-results-wave-too-few = Te weinig antwoorden om iets te laten zien.
desk-results-wave-respondents = { $n ->
        [one] Ongeveer { $n } bewoner deed mee.
       *[other] Ongeveer { $n } bewoners deden mee.
    }
desk-results-wave-open = Let op: de peiling loopt nog.
desk-results-wave-total = Alle buurten
desk-results-wave-area = { $area } ({ $n } antwoorden): { $list }
desk-results-wave-area-too-few = { $area }: te weinig antwoorden
desk-results-wave-mean = gemiddeld { $mean }
desk-results-wave-texts = Wat bewoners schreven ({ $n }, zonder namen):

## Correcties (/annuleer <id>, /sluit-peiling <id>)

desk-correction-not-found = Ik vind niets met nummer { $id }.
desk-correction-usage = Gebruik: /annuleer gevolgd door het nummer van een flits, straatpraat of peiling. Of /sluit-peiling met het nummer van een peiling.
desk-correction-flash = Nieuwsflits { $id }: “{ $label }”.
desk-correction-session = Straatpraat van { $when } in { $label }.
desk-correction-wave = Peiling “{ $label }” ({ $id }).
desk-correction-flash-cancel = Deze flits gaat dan niet meer uit. Gepland voor { $when }.
desk-correction-flash-stop = Deze flits gaat nu uit. { $count ->
        [one] { $count } bewoner heeft hem al.
       *[other] { $count } bewoners hebben hem al.
    } De rest krijgt hem dan niet meer.
desk-correction-session-cancel = De straatpraat gaat dan niet door. { $count ->
        [one] { $count } bewoner zei te komen.
       *[other] { $count } bewoners zeiden te komen.
    } Zij krijgen één bericht dat het niet doorgaat.
desk-correction-wave-cancel = De peiling gaat dan niet open. Niemand krijgt de uitnodiging.
desk-correction-wave-close = De peiling sluit dan nu, niet op { $when }. Antwoorden daarna tellen niet mee. Wie nog bezig is, krijgt een vriendelijk bericht. De herinnering gaat niet meer.
desk-correction-already-sent = Deze flits is al verstuurd. Annuleren kan niet meer.
desk-correction-already-cancelled = Dit is al geannuleerd.
desk-correction-session-past = Deze straatpraat is al geweest.
desk-correction-wave-open = Deze peiling is al open. Sluiten kan met /sluit-peiling { $id }.
desk-correction-wave-closed = Deze peiling is al gesloten.
desk-correction-wave-not-open = Deze peiling is nog niet open. Annuleren kan met /annuleer { $id }.
desk-correction-not-a-wave = Dit is geen peiling. Annuleren kan met /annuleer { $id }.
desk-confirm-cancel = Annuleren?
desk-confirm-close = Peiling nu sluiten?
desk-correction-cancelled = Geannuleerd.
desk-correction-closed = De peiling is gesloten.
