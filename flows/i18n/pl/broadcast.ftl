# Teksty nowości, spotkań straatpraat i ankiet, które wysyła zespół dzielnicy.
# Te same zasady co w resident.ftl: prosty polski, krótkie zdania, jedno pytanie w wiadomości, słowa kluczowe wielkimi literami.

## Nowości

flash-rsvp-ask = Przyjdziesz? Wyślij TAK.
flash-rsvp-thanks = Super, że przyjdziesz! Do zobaczenia.
flash-rsvp-already = Już wiemy, że przyjdziesz. Do zobaczenia!
flash-rsvp-no = Szkoda. Może następnym razem!

rsvp-pick-ask = Masz kilka zaproszeń. Na które przyjdziesz?
rsvp-pick-session = Straatpraat: { $when }
rsvp-pick-untitled = Zaproszenie bez tytułu
rsvp-pick-closed = Na to nie można się już zapisać. Szkoda!
rsvp-pick-cancelled = Dobrze, na razie nic nie liczymy. Wyślij TAK, jeśli jednak przyjdziesz.

## Straatpraat

session-announce = Straatpraat: porozmawiaj z miastem!
    Kiedy: { $when }
    Gdzie: { $where }
    Kto przyjdzie: { $who }
session-question-offer = Możesz też wcześniej wysłać pytanie. Wyślij PYTANIE (lub VRAAG).
session-rsvp-thanks = Super, że przyjdziesz! W dniu spotkania wyślemy ci przypomnienie.
    Chcesz wcześniej o coś zapytać? Wyślij PYTANIE (lub VRAAG).
session-reminder = Dzisiaj jest straatpraat!
    Godzina: { $time }
    Gdzie: { $where }
    Do zobaczenia!
session-summary-intro = Dziękujemy za straatpraat! To usłyszeliśmy i to zrobimy:
session-cancelled = Uwaga: straatpraat z dnia { $when } się nie odbędzie. Przepraszamy.
results-intro = Dziękujemy za odpowiedzi w ankiecie "{ $poll }"! Oto wyniki:
results-line = { $question }: { $share }% wybrało "{ $answer }".
results-too-few = { $question }: za mało odpowiedzi, aby coś powiedzieć.
results-outro = Zespół dzielnicy zajmie się tym.
session-question-ask = O co chcesz zapytać? Napisz pytanie w jednej wiadomości.
session-question-retry = Nie widzę jeszcze pytania. Napisz pytanie w jednej wiadomości.
session-question-cancelled = Dobrze, bez pytania. Wyślij PYTANIE (lub VRAAG), gdy coś wymyślisz.
session-question-theme-ask = Czego dotyczy twoje pytanie?
session-question-thanks = Dziękujemy! Twoje pytanie trafi do zespołu dzielnicy bez twojego imienia.
session-none = Teraz nie ma zaplanowanego straatpraat. Napiszemy do ciebie, gdy będzie.

## Ankiety

wave-invite = Zespół dzielnicy chce poznać twoje zdanie.
wave-reminder = Zespół dzielnicy chętnie pozna twoje zdanie. Wyślij ANKIETA (lub PEILING), aby odpowiedzieć.
wave-closed = Te pytania są już zamknięte. Twoja odpowiedź już się nie liczy. I tak dziękujemy!

# Proponowana wiadomość dla mieszkańców, których pomysł zrealizowano (zespół ją poprawia).
ideas-done-announce = Dobra wiadomość o waszych pomysłach: { $theme }. Daliście pomysły, a my coś z nimi zrobiliśmy. Dziękujemy za współpracę!
