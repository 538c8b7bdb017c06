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
language-nl = Nederlands
language-en = English
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
    STOP NIEUWS: geen nieuws meer
    STOP: geen berichten meer
    VERWIJDER: wis alles over jou
    HULP: dit overzicht
language-changed = Goed, ik praat nu Nederlands met je.
area-changed = Goed, je buurt is nu: { $area }.
nothing-changed = Er is niets veranderd.
data-title = Dit bewaren we over jou:
data-channel = Kanaal: { $channel }
data-language = Taal: { $language }
data-area = Buurt: { $area }
data-age = Leeftijd: { $age }
data-consent-given = Toestemming: gegeven op { $date }
data-consent-refused = Toestemming: niet gegeven ({ $date })
data-consent-none = Toestemming: nog niet gegeven
data-news-on = Nieuws: aan
data-news-off = Nieuws: uit
data-status-active = Status: je doet mee
data-status-stopped = Status: afgemeld
data-counts = Antwoorden: { $answers }. Ideeën: { $ideas }. Berichten: { $messages }.
data-empty = niet ingevuld
data-not-stored = Dit bewaren we niet: je naam, je adres en je foto's.
    Je nummer gebruiken we alleen om je berichten te sturen.
    Je antwoorden staan los van je nummer.
    Je berichten aan ons bewaren we kort, om fouten op te lossen.
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
theme-gezondheid = Gezondheid en welzijn
theme-geld-werk = Geld en werk
theme-leren = Leren en kansen
theme-wonen = Wonen en buurt
theme-anders = Iets anders
idea-thanks = Dank je wel voor je idee! 💡
    Het wijkteam leest elk idee.
    Wat we ermee doen, hoor je via deze chat.

## Niet begrepen

idle-menu = Sorry, dat begrijp ik niet. Ik ben een computer.
    Stuur IDEE voor een idee, of HULP voor hulp en meer.
media-in-question = Sorry, ik kan nog geen foto's bekijken of spraakberichten beluisteren.
    Tik of typ je antwoord. Liever iemand spreken? Stuur HULP.
media-at-menu = Sorry, ik kan nog geen foto's bekijken of spraakberichten beluisteren.
    Stuur IDEE voor een idee. Liever iemand spreken? Stuur HULP.
