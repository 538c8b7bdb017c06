# Teksten van nieuwsflitsen, straatpraat-bijeenkomsten en peilingen die het wijkteam verstuurt.
# Zelfde regels als resident.ftl: B1, korte zinnen, één vraag per bericht, trefwoorden in hoofdletters.

## Nieuwsflitsen

flash-rsvp-ask = Kom je? Stuur JA.
flash-rsvp-thanks = Fijn dat je komt! Tot dan.
flash-rsvp-already = Je had al gezegd dat je komt. Tot dan!
flash-rsvp-no = Jammer. Misschien een volgende keer!

rsvp-pick-ask = Je hebt meerdere uitnodigingen. Naar welke kom je?
rsvp-pick-session = Straatpraat op { $when }
rsvp-pick-untitled = Uitnodiging zonder titel
rsvp-pick-closed = Daarvoor kun je je niet meer aanmelden. Jammer!
rsvp-pick-cancelled = Goed, dan tellen we nu niets. Stuur JA als je toch komt.

## Straatpraat

session-announce = Straatpraat: praat mee met de gemeente!
    Wanneer: { $when }
    Waar: { $where }
    Wie komen er: { $who }
session-question-offer = Je kunt ook vooraf een vraag sturen. Stuur dan VRAAG.
session-rsvp-thanks = Fijn dat je komt! Op de dag zelf sturen we je een herinnering.
    Wil je vooraf iets vragen? Stuur dan VRAAG.
session-reminder = Vandaag is de straatpraat!
    Hoe laat: { $time }
    Waar: { $where }
    Tot straks!
session-summary-intro = Bedankt voor de straatpraat! Dit hebben we gehoord, en dit gaan we doen:
session-cancelled = Let op: de straatpraat van { $when } gaat niet door. Het spijt ons.
results-intro = Dank je wel voor je antwoorden op "{ $poll }"! Dit kwam eruit:
results-line = { $question }: { $share }% koos "{ $answer }".
results-too-few = { $question }: te weinig antwoorden om iets te zeggen.
results-outro = Het wijkteam gaat hiermee aan de slag.
session-question-ask = Wat wil je vragen? Schrijf je vraag in één bericht.
session-question-retry = Ik zie nog geen vraag. Schrijf je vraag in één bericht.
session-question-cancelled = Goed, dan geen vraag. Stuur VRAAG als je later iets bedenkt.
session-question-theme-ask = Waar gaat je vraag over?
session-question-thanks = Dank je wel! Je vraag gaat zonder je naam naar het wijkteam.
session-none = Er is nu geen straatpraat gepland. We sturen je een bericht als er een is.

## Peilingen

wave-invite = Het wijkteam wil graag je mening weten.
wave-reminder = Het wijkteam hoort graag nog je mening. Stuur PEILING om de vragen te beantwoorden.
wave-closed = Deze vragen zijn al gesloten. Je antwoord telt niet meer mee. Toch bedankt!

# Een voorstel voor het bericht aan wie een idee gaf dat nu gedaan is (het wijkteam past het aan).
ideas-done-announce = Goed nieuws over jullie ideeën: { $theme }. Jullie gaven ideeën en wij deden er iets mee. Dank je wel voor het meedenken!
