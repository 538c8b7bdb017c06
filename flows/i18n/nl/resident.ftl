# Teksten voor bewoners, in B1-Nederlands.
# Korte zinnen (hooguit 12 woorden), één vraag per bericht, de je-vorm.
# Trefwoorden staan in hoofdletters. Emoji alleen als versiering, nooit als enige uitleg.
# Elke id staat ook in en.ftl. Geen lege regels binnen een tekst.

## Aanmelden

welcome = Hallo! 👋 Dit is Straatpraat, van het wijkteam en de gemeente Maastricht.
    Ik ben een computer, geen mens.
    Via mij geef je je mening over je buurt.
language-ask = In welke taal wil je praten?
    Which language do you want to use?
consent-ask = Zo werkt het:
    Meedoen kan vanaf 16 jaar.
    We sturen je soms een korte vraag over je buurt.
    We bewaren je buurt, je leeftijdsgroep en je antwoorden.
    Je leeftijdsgroep geven is niet verplicht.
    In onze uitkomsten staan je antwoorden los van je telefoonnummer.
    Stoppen kan altijd: stuur STOP.
    Alles wissen kan ook: stuur VERWIJDER.
    Meer lezen: { $url }
    Doe je mee?
consent-yes = Ja, ik doe mee
consent-no = Nee, liever niet
consent-refused = Jammer, maar dat is goed. We sturen je geen vragen. Wil je later toch meedoen? Stuur dan START.
refused-hint = Je doet nu niet mee. Wil je toch meedoen? Stuur START.
consent-changed = We hebben iets veranderd in hoe we met je gegevens omgaan. Lees het hieronder. Daarna kun je verder.
consent-renewed = Dank je. Je doet weer mee.
consent-withdrawn = Dat is goed. We sturen je geen vragen en geen nieuws meer. Je eerdere antwoorden blijven bewaard, zonder je naam. Stuur VERWIJDER als je alles wilt wissen. Stuur START als je toch wilt meedoen.
area-ask = In welke buurt woon je?
area-nazareth = Nazareth
area-pottenberg = Pottenberg
area-elders = Ander deel van Maastricht
area-geen = Zeg ik liever niet
age-ask = Hoe oud ben je? Je mag dit overslaan.
age-tot16 = Jonger dan 16
age-16-26 = 16–26
# De groepen van voor de grens van 16 jaar; alleen nog voor wie ze eerder koos (GEGEVENS).
age-tot18 = Onder 18
age-18-26 = 18–26
age-27-40 = 27–40
age-41-65 = 41–65
age-65plus = Ouder dan 65
age-geen = Sla over
age-too-young = Dank je wel! Meedoen kan pas vanaf 16 jaar.
age-youth-place = Voor jongeren is er { $name }. Zij helpen je graag.
age-youth-url = Kijk op: { $url }
age-youth-none = Het jongerenwerk of je school helpt je graag verder.
age-too-young-erased = We hebben alles over jou gewist. Je krijgt niets meer van ons.
age-change-ask = Hoe oud ben je? Kies je leeftijdsgroep.
age-check-ask = Je leeftijdsgroep is nu: { $age }. Klopt dat nog?
age-changed = Goed, je leeftijdsgroep is nu: { $age }.
age-confirmed = Dank je! Je leeftijdsgroep blijft hetzelfde.
join-done = Klaar, je doet mee! 🎉 Stuur HULP voor hulp en alle woorden die je kunt sturen.

## Antwoorden geven

ask-hint = Tik op je antwoord, of stuur het nummer.
ask-hint-typed = Stuur het nummer van je antwoord.
ask-hint-multi = Je mag meer antwoorden kiezen. Stuur bijvoorbeeld: 1 en 3
retry = Sorry, dat begreep ik niet.
retry-hint = Stuur alleen het nummer van je antwoord. Bijvoorbeeld: 2
retry-hint-multi = Stuur de nummers van je antwoorden. Bijvoorbeeld: 1 en 3
text-skip-hint = Schrijf je antwoord in één bericht. Liever niet? Stuur dan SLA OVER.

## Trefwoorden

start-already = Je doet al mee. Stuur HULP om te zien wat je kunt doen.
start-welcome-back = Welkom terug! Je krijgt weer berichten van ons.
stop-confirm = Je bent afgemeld en krijgt geen berichten meer. Terugkomen? Stuur START.
stopped-hint = Je bent afgemeld. Stuur START om weer mee te doen.
stop-news-confirm = Je krijgt geen nieuws meer van ons. Vragen over je buurt krijg je nog wel.
    Weer nieuws? Stuur NIEUWS AAN.
news-on-confirm = Goed, je krijgt weer nieuws van ons.
news-ask = Over welke onderwerpen wil je nieuws?
news-all = Alles
news-none = Niets
news-now-all = Je krijgt nu nieuws over alle onderwerpen.
news-now-none = Je krijgt nu geen nieuws.
news-now-topics = Je krijgt nu nieuws over: { $topics }.
news-changed-all = Goed, je krijgt nieuws over alle onderwerpen.
news-changed-none = Goed, je krijgt geen nieuws meer. Vragen over je buurt krijg je nog wel.
    Weer nieuws? Stuur NIEUWS AAN.
news-changed-topics = Goed, je krijgt nu nieuws over: { $topics }.
help-intro = Hulp nodig? Het wijkteam helpt je graag.
help-address = Adres: { $address }
help-hours = Open: { $hours }
help-phone = Telefoon: { $phone }
help-none = Spreek iemand van het wijkteam aan in je buurt.
keywords-list = Dit kun je altijd sturen:
    IDEE: stuur ons een idee
    PEILING: ga verder met open vragen
    TAAL: kies een andere taal
    BUURT: kies een andere buurt
    LEEFTIJD: kies een andere leeftijdsgroep
    GEGEVENS: zie wat we van je bewaren
    NIEUWS: kies waarover je nieuws krijgt
    STOP NIEUWS: geen nieuws meer
    NIEUWS AAN: weer nieuws
    STOP: geen berichten meer
    VERWIJDER: wis alles over jou
    HULP: dit overzicht
language-changed = Goed, ik praat nu Nederlands met je.
area-changed = Goed, je buurt is nu: { $area }.
nothing-changed = Er is niets veranderd.
data-title = Dit bewaren we over jou:
data-channel = Kanaal: { $channel }
data-joined = Lid sinds: { $date }
data-join-source = Aangemeld via: { $source }
data-language = Taal: { $language }
data-area = Buurt: { $area }
data-age = Leeftijd: { $age }
data-consent-given = Toestemming: gegeven op { $date } (versie { $version })
data-consent-refused = Toestemming: niet gegeven ({ $date })
data-consent-none = Toestemming: nog niet gegeven
data-news-on = Nieuws: aan, over alle onderwerpen
data-news-off = Nieuws: uit
data-news-topics = Nieuws: aan, over { $topics }
data-status-active = Status: je doet mee
data-status-stopped = Status: afgemeld
data-answers = { $count ->
        [0] Je hebt nog geen antwoorden gegeven.
        [one] Je { $count } antwoord, met de week waarin je het gaf:
       *[other] Je { $count } antwoorden, met de week waarin je ze gaf:
    }
data-answer = • { $poll }, week van { $week }: { $question } → { $answer }
data-answer-text = je schreef: “{ $text }”
data-answer-dont-know = weet ik niet
data-answer-skipped = overgeslagen
data-answer-invalid = niet begrepen
data-waves = { $count ->
        [0] Je hebt nog geen peilingen gekregen.
        [one] Je kreeg { $count } peiling:
       *[other] Je kreeg { $count } peilingen:
    }
data-wave = • { $poll } ({ $date }), status: { $status }
data-wave-held = komt nog
data-wave-invited = nog niet begonnen
data-wave-started = begonnen
data-wave-finished = klaar
data-ideas = { $count ->
        [0] Je hebt nog geen ideeën gestuurd.
        [one] Je { $count } idee:
       *[other] Je { $count } ideeën:
    }
data-idea = • { $date }: “{ $text }”, status: { $status }
data-idea-reply = Antwoord van het wijkteam op { $date }: “{ $text }”
data-idea-media-image = Met je foto. { $days ->
        [one] Die bewaren we tot { $days } dag.
       *[other] Die bewaren we tot { $days } dagen.
    }
data-idea-media-audio = Met je spraakbericht. { $days ->
        [one] Dat bewaren we tot { $days } dag.
       *[other] Dat bewaren we tot { $days } dagen.
    }
data-idea-new = nieuw
data-idea-seen = bekeken door het wijkteam
data-idea-planned = gepland
data-idea-done = uitgevoerd
data-idea-not-possible = lukt helaas niet
data-help-requests = { $count ->
        [0] Je hebt geen hulpvragen aan het wijkteam.
        [one] Je { $count } hulpvraag aan het wijkteam:
       *[other] Je { $count } hulpvragen aan het wijkteam:
    }
data-help-request = • { $date }: “{ $subject }”, status: { $status }
data-help-request-no-subject = • { $date }, status: { $status }
data-help-open = open
data-help-taken = het wijkteam is ermee bezig
data-help-closed = afgesloten
data-help-message-resident = Jij schreef op { $date }: “{ $text }”
data-help-message-staff = Het wijkteam schreef op { $date }: “{ $text }”
data-rsvps = { $count ->
        [0] Je hebt nog niet gezegd dat je ergens komt.
        [one] Je zei dat je komt bij { $count } activiteit:
       *[other] Je zei dat je komt bij { $count } activiteiten:
    }
data-rsvp = • { $what } (gezegd op { $date })
data-session = de straatpraat van { $date }
data-flash = het bericht “{ $text }”
data-session-question = Je stuurde een vraag voor { $what }.
data-session-questions-unlinked = Die vragen bewaren we zonder je naam of nummer.
    Daarom kunnen we ze niet aan jou koppelen of laten zien.
data-messages = { $count ->
        [0] We bewaren nu geen berichten tussen jou en ons.
        [one] We bewaren { $count } bericht tussen jou en ons.
       *[other] We bewaren { $count } berichten tussen jou en ons.
    }
data-messages-retention = { $days ->
        [one] Elk bericht wissen we na { $days } dag.
       *[other] Elk bericht wissen we na { $days } dagen.
    } Zo kunnen we fouten oplossen.
data-empty = niet ingevuld
data-not-stored = Dit bewaren we niet: je naam en je adres.
    We bewaren een foto alleen als je die bij een idee stuurt.
    Je nummer gebruiken we alleen om je berichten te sturen.
    Je antwoorden staan los van je nummer.
    Alles wissen? Stuur VERWIJDER.
channel-console = Console
channel-telegram = Telegram
channel-whatsapp = WhatsApp
channel-whatsapp-cloud = WhatsApp
delete-ask = Dan wissen we alles over jou: je gegevens, antwoorden en ideeën.
    Weet je het zeker?
delete-yes = Ja, wis alles
delete-no = Nee, niet wissen
delete-done = Klaar, we hebben alles over jou gewist. Bedankt en tot ziens!
delete-cancelled = Goed, er is niets gewist.

## Peilingen

poll-none = Er zijn nu geen vragen voor je. We sturen je een bericht als er iets is.
poll-paused = Je vragen staan nog open. Stuur PEILING om verder te gaan.
poll-thanks = Dank je wel voor je antwoorden! 🙏
    Het wijkteam leest alles.
    Wat we ermee doen, hoor je via deze chat.

## Ideeën

idea-ask = Wat is je idee? Schrijf het in één bericht.
idea-retry = Ik zie nog geen idee. Schrijf je idee in één bericht.
idea-cancelled = Goed, dan geen idee. Stuur IDEE als je later iets bedenkt.
idea-theme-ask = Waar gaat je idee over?
idea-media-kept-image = Dank je, ik bewaar je foto bij je idee.
    Het wijkteam kan hem bekijken.
idea-media-kept-audio = Dank je, ik bewaar je spraakbericht bij je idee.
    Het wijkteam kan het beluisteren.
idea-media-add-text = Wil je er iets bij schrijven? Stuur dan één bericht. Of stuur nee.
idea-media-one = Ik bewaar één foto of spraakbericht per idee.
idea-media-too-large = Sorry, dit bestand is te groot. Het mag tot { $mb } megabyte zijn.
    Schrijf je idee liever in één bericht.
theme-gezondheid = Gezondheid en welzijn
theme-geld-werk = Geld en werk
theme-leren = Leren en kansen
theme-wonen = Wonen en buurt
theme-anders = Iets anders
idea-thanks = Dank je wel voor je idee! 💡
    Het wijkteam leest elk idee.
    Wat we ermee doen, hoor je via deze chat.

## Niet begrepen

unplaced-offer = Ik begrijp je vraag niet. Wil je dat iemand van het wijkteam je antwoordt?

idle-menu = Sorry, dat begrijp ik niet. Ik ben een computer.
    Stuur IDEE voor een idee, of HULP voor hulp en meer.
media-in-question = Sorry, ik kan nog geen foto's bekijken of spraakberichten beluisteren.
    Tik of typ je antwoord. Liever iemand spreken? Stuur HULP.
media-at-menu = Sorry, ik kan nog geen foto's bekijken of spraakberichten beluisteren.
    Stuur IDEE voor een idee. Liever iemand spreken? Stuur HULP.
