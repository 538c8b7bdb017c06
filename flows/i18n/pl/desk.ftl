# Teksty od zespołu dzielnicy do mieszkańców: prośby o pomoc i odpowiedzi na pomysły.
# Tylko teksty dla mieszkańców; teksty zespołu (zaczynające się od desk-) są zawsze po niderlandzku.

## Prośba mieszkańca o pomoc (po POMOC)

help-offer = Czy ktoś z zespołu dzielnicy ma do ciebie napisać?
help-offer-yes = Tak, proszę
help-offer-no = Nie, dziękuję
help-subject-ask = Czego to dotyczy? Napisz to w jednym zdaniu.
    Albo wyślij POMIŃ, jeśli wolisz nie mówić.
help-declined = Dobrze. Wyślij POMOC (lub HULP), jeśli później zechcesz pomocy.
help-opened = Dziękujemy. Ktoś z zespołu dzielnicy do ciebie napisze.
help-already-open = Twoja prośba o pomoc jest już u zespołu dzielnicy. Po prostu wyślij wiadomość, a ją dołączę.
help-added = Twoja wiadomość jest już przy prośbie o pomoc. Zespół dzielnicy ją przeczyta.
help-relayed = Twoja wiadomość trafiła do: { $name }.
help-closed-resident = Zespół dzielnicy zamknął twoją prośbę o pomoc. Potrzebujesz czegoś jeszcze? Wyślij POMOC (lub HULP).
help-when-open = Zespół dzielnicy teraz pracuje. Odpowiedź dostaniesz jak najszybciej.
    Godziny pracy: { $hours }.
help-when-closed = Zespół dzielnicy wraca do pracy: { $day }, godz. { $time }. Wtedy dostaniesz odpowiedź.
    Godziny pracy: { $hours }.
help-when-hours = Godziny pracy zespołu dzielnicy: { $hours }.
help-today = dzisiaj
help-tomorrow = jutro
help-days-range = od { $from } do { $to }
help-signature = Pozdrawiam, { $name } — { $team }
help-signature-team = Pozdrawiamy, { $team }
help-answer-back = Po prostu odpowiedz na tę wiadomość.
help-team = zespół dzielnicy
help-team-nazareth = zespół dzielnicy Nazareth
help-team-pottenberg = zespół dzielnicy Pottenberg

## Wiadomość o pomyśle mieszkańca

idea-status-bekeken = Zespół dzielnicy przeczytał twój pomysł: „{ $idea }”
idea-status-gepland = Dobra wiadomość o twoim pomyśle „{ $idea }”. Zabieramy się do pracy!
idea-status-gedaan = Twój pomysł „{ $idea }” został zrealizowany. Dziękujemy!
idea-status-niet-haalbaar = O twoim pomyśle „{ $idea }”: niestety to się nie uda. Dziękujemy za twój pomysł.
idea-reply-intro = Odpowiedź na twój pomysł „{ $idea }”:
