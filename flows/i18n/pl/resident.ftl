# Teksty dla mieszkańców, prostym polskim (B1). Do sprawdzenia przez rodzimego użytkownika.
# Krótkie zdania (najwyżej 12 słów), jedno pytanie w wiadomości, forma "ty", bez form zależnych od płci.
# Słowa kluczowe wielkimi literami; holenderskie słowo w nawiasie też działa.
# Emoji tylko jako ozdoba, nigdy jako jedyne wyjaśnienie. Bez pustych linii w tekście.

## Dołączanie

welcome = Cześć! 👋 Tu Straatpraat, od zespołu dzielnicy i miasta Maastricht.
    Jestem komputerem, nie człowiekiem.
    Tu możesz powiedzieć, co myślisz o swoim osiedlu.
language-ask = W jakim języku chcesz rozmawiać?
    In welke taal wil je praten?
consent-ask = Tak to działa:
    Udział jest możliwy od 16 lat.
    Czasem wyślemy ci krótkie pytanie o twoje osiedle.
    Zapisujemy twoje osiedle, grupę wiekową i odpowiedzi.
    Nie musisz podawać grupy wiekowej.
    W naszych wynikach odpowiedzi są oddzielone od numeru telefonu.
    Zawsze możesz przestać: wyślij STOP.
    Możesz też wszystko usunąć: wyślij USUŃ (lub VERWIJDER).
    Więcej informacji: { $url }
    Bierzesz udział?
consent-yes = Tak, biorę udział
consent-no = Nie, dziękuję
consent-refused = Szkoda, ale to w porządku. Nie wyślemy ci pytań. Chcesz dołączyć później? Wyślij START.
refused-hint = Teraz nie bierzesz udziału. Chcesz jednak dołączyć? Wyślij START.
consent-changed = Zmieniliśmy sposób używania twoich danych. Przeczytaj to poniżej. Potem możesz kontynuować.
consent-renewed = Dziękujemy. Znowu bierzesz udział.
consent-withdrawn = Dobrze. Nie wyślemy ci już pytań ani nowości. Twoje wcześniejsze odpowiedzi zostają, bez twojego imienia. Wyślij USUŃ (lub VERWIJDER), jeśli chcesz wszystko usunąć. Wyślij START, jeśli jednak chcesz wziąć udział.
area-ask = Na jakim osiedlu mieszkasz?
area-nazareth = Nazareth
area-pottenberg = Pottenberg
area-elders = Inna część Maastricht
area-geen = Wolę nie mówić
age-ask = Ile masz lat? Możesz to pominąć.
age-tot16 = Poniżej 16 lat
age-16-26 = 16–26
# Grupy sprzed granicy 16 lat; tylko dla osób, które wybrały je wcześniej (MOJE DANE).
age-tot18 = Poniżej 18 lat
age-18-26 = 18–26
age-27-40 = 27–40
age-41-65 = 41–65
age-65plus = Powyżej 65 lat
age-geen = Pomiń
age-too-young = Dziękujemy! Udział jest możliwy dopiero od 16 lat.
age-youth-place = Dla młodych jest { $name }. Chętnie ci pomogą.
age-youth-url = Zobacz: { $url }
age-youth-none = Pracownicy młodzieżowi albo twoja szkoła chętnie ci pomogą.
age-too-young-erased = Usunęliśmy wszystko o tobie. Nie dostaniesz już od nas nic.
age-change-ask = Ile masz lat? Wybierz swoją grupę wiekową.
age-check-ask = Twoja grupa wiekowa to teraz: { $age }. Czy to się zgadza?
age-changed = Dobrze, twoja grupa wiekowa to teraz: { $age }.
age-confirmed = Dziękujemy! Twoja grupa wiekowa się nie zmienia.
join-done = Gotowe, bierzesz udział! 🎉 Wyślij POMOC (lub HULP), aby zobaczyć pomoc i wszystkie słowa.

## Odpowiadanie

ask-hint = Dotknij odpowiedzi albo wyślij jej numer.
ask-hint-typed = Wyślij numer swojej odpowiedzi.
ask-hint-multi = Możesz wybrać kilka odpowiedzi. Wyślij na przykład: 1 i 3
retry = Przepraszam, tego nie rozumiem.
retry-hint = Wyślij tylko numer swojej odpowiedzi. Na przykład: 2
retry-hint-multi = Wyślij numery swoich odpowiedzi. Na przykład: 1 i 3
text-skip-hint = Napisz odpowiedź w jednej wiadomości. Wolisz nie pisać? Wyślij POMIŃ.

## Słowa kluczowe

start-already = Już bierzesz udział. Wyślij POMOC (lub HULP), aby zobaczyć, co możesz zrobić.
start-welcome-back = Witaj z powrotem! Znowu będziesz dostawać od nas wiadomości.
stop-confirm = Gotowe, nie dostaniesz już od nas wiadomości. Chcesz wrócić? Wyślij START.
stopped-hint = Nie dostajesz już od nas wiadomości. Wyślij START, aby znowu wziąć udział.
stop-news-confirm = Nie dostaniesz już od nas nowości. Pytania o twoje osiedle nadal będą przychodzić.
    Znowu chcesz nowości? Wyślij WŁĄCZ NOWOŚCI (lub NIEUWS AAN).
news-on-confirm = Dobrze, znowu będziesz dostawać od nas nowości.
news-ask = O jakich tematach chcesz dostawać nowości?
news-all = Wszystko
news-none = Nic
news-now-all = Teraz dostajesz nowości o wszystkich tematach.
news-now-none = Teraz nie dostajesz nowości.
news-now-topics = Teraz dostajesz nowości o: { $topics }.
news-changed-all = Dobrze, będziesz dostawać nowości o wszystkich tematach.
news-changed-none = Dobrze, nie dostaniesz już nowości. Pytania o twoje osiedle nadal będą przychodzić.
    Znowu chcesz nowości? Wyślij WŁĄCZ NOWOŚCI (lub NIEUWS AAN).
news-changed-topics = Dobrze, teraz dostajesz nowości o: { $topics }.
help-intro = Potrzebujesz pomocy? Zespół dzielnicy chętnie pomoże.
help-address = Adres: { $address }
help-hours = Otwarte: { $hours }
help-phone = Telefon: { $phone }
help-none = Porozmawiaj z kimś z zespołu dzielnicy na swoim osiedlu.
keywords-list = Zawsze możesz wysłać:
    POMYSŁ (IDEE): wyślij nam pomysł
    ANKIETA (PEILING): odpowiedz na otwarte pytania
    JĘZYK (TAAL): wybierz inny język
    OSIEDLE (BUURT): wybierz inne osiedle
    WIEK (LEEFTIJD): wybierz inną grupę wiekową
    MOJE DANE (GEGEVENS): zobacz, co o tobie zapisujemy
    NOWOŚCI (NIEUWS): wybierz, o czym dostajesz nowości
    STOP NOWOŚCI (STOP NIEUWS): koniec nowości
    WŁĄCZ NOWOŚCI (NIEUWS AAN): znowu nowości
    STOP: koniec wiadomości
    USUŃ (VERWIJDER): usuń wszystko o tobie
    POMOC (HULP): ta lista
language-changed = Dobrze, teraz piszę do ciebie po polsku.
area-changed = Dobrze, twoje osiedle to teraz: { $area }.
nothing-changed = Nic się nie zmieniło.
data-title = To zapisujemy o tobie:
data-channel = Kanał: { $channel }
data-joined = Dołączenie: { $date }
data-join-source = Dołączenie przez: { $source }
data-language = Język: { $language }
data-area = Osiedle: { $area }
data-age = Wiek: { $age }
data-consent-given = Zgoda: udzielona { $date } (wersja { $version })
data-consent-refused = Zgoda: nieudzielona ({ $date })
data-consent-none = Zgoda: jeszcze nieudzielona
data-news-on = Nowości: włączone, o wszystkich tematach
data-news-off = Nowości: wyłączone
data-news-topics = Nowości: włączone, o: { $topics }
data-status-active = Status: bierzesz udział
data-status-stopped = Status: wypisano
data-answers = { $count ->
        [0] Nie masz jeszcze żadnych odpowiedzi.
        [one] Masz { $count } odpowiedź, z tygodniem jej wysłania:
        [few] Masz { $count } odpowiedzi, z tygodniem ich wysłania:
        [many] Masz { $count } odpowiedzi, z tygodniem ich wysłania:
       *[other] Masz { $count } odpowiedzi, z tygodniem ich wysłania:
    }
data-answer = • { $poll }, tydzień od { $week }: { $question } → { $answer }
data-answer-text = twoja odpowiedź: “{ $text }”
data-answer-dont-know = nie wiem
data-answer-skipped = pominięte
data-answer-invalid = niezrozumiałe
data-waves = { $count ->
        [0] Nie masz jeszcze żadnych ankiet.
        [one] Masz { $count } ankietę:
        [few] Masz { $count } ankiety:
        [many] Masz { $count } ankiet:
       *[other] Masz { $count } ankiety:
    }
data-wave = • { $poll } ({ $date }), status: { $status }
data-wave-held = jeszcze przed tobą
data-wave-invited = nierozpoczęta
data-wave-started = rozpoczęta
data-wave-finished = zakończona
data-ideas = { $count ->
        [0] Nie masz jeszcze żadnych pomysłów.
        [one] Masz { $count } pomysł:
        [few] Masz { $count } pomysły:
        [many] Masz { $count } pomysłów:
       *[other] Masz { $count } pomysłu:
    }
data-idea = • { $date }: “{ $text }”, status: { $status }
data-idea-reply = Odpowiedź zespołu dzielnicy z dnia { $date }: “{ $text }”
data-idea-media-image = Z twoim zdjęciem. { $days ->
        [one] Przechowujemy je najwyżej { $days } dzień.
        [few] Przechowujemy je najwyżej { $days } dni.
        [many] Przechowujemy je najwyżej { $days } dni.
       *[other] Przechowujemy je najwyżej { $days } dnia.
    }
data-idea-media-audio = Z twoją wiadomością głosową. { $days ->
        [one] Przechowujemy ją najwyżej { $days } dzień.
        [few] Przechowujemy ją najwyżej { $days } dni.
        [many] Przechowujemy ją najwyżej { $days } dni.
       *[other] Przechowujemy ją najwyżej { $days } dnia.
    }
data-idea-new = nowy
data-idea-seen = przeczytany przez zespół dzielnicy
data-idea-planned = zaplanowany
data-idea-done = zrealizowany
data-idea-not-possible = niestety niemożliwy
data-help-requests = { $count ->
        [0] Nie masz próśb o pomoc do zespołu dzielnicy.
        [one] Masz { $count } prośbę o pomoc do zespołu dzielnicy:
        [few] Masz { $count } prośby o pomoc do zespołu dzielnicy:
        [many] Masz { $count } próśb o pomoc do zespołu dzielnicy:
       *[other] Masz { $count } prośby o pomoc do zespołu dzielnicy:
    }
data-help-request = • { $date }: “{ $subject }”, status: { $status }
data-help-request-no-subject = • { $date }, status: { $status }
data-help-open = otwarta
data-help-taken = zespół dzielnicy się tym zajmuje
data-help-closed = zamknięta
data-help-message-resident = Twoja wiadomość z dnia { $date }: “{ $text }”
data-help-message-staff = Zespół dzielnicy napisał dnia { $date }: “{ $text }”
data-rsvps = { $count ->
        [0] Nie zapisano cię jeszcze na żadne wydarzenie.
        [one] Zapisano cię na { $count } wydarzenie:
        [few] Zapisano cię na { $count } wydarzenia:
        [many] Zapisano cię na { $count } wydarzeń:
       *[other] Zapisano cię na { $count } wydarzenia:
    }
data-rsvp = • { $what } (zgłoszenie z dnia { $date })
data-session = straatpraat z dnia { $date }
data-flash = wiadomość “{ $text }”
data-session-question = Twoje pytanie na { $what } zostało wysłane.
data-session-questions-unlinked = Te pytania przechowujemy bez twojego imienia i numeru.
    Dlatego nie możemy ich połączyć z tobą ani pokazać.
data-messages = { $count ->
        [0] Teraz nie przechowujemy żadnych wiadomości między tobą a nami.
        [one] Przechowujemy { $count } wiadomość między tobą a nami.
        [few] Przechowujemy { $count } wiadomości między tobą a nami.
        [many] Przechowujemy { $count } wiadomości między tobą a nami.
       *[other] Przechowujemy { $count } wiadomości między tobą a nami.
    }
data-messages-retention = { $days ->
        [one] Każdą wiadomość usuwamy po { $days } dniu.
        [few] Każdą wiadomość usuwamy po { $days } dniach.
        [many] Każdą wiadomość usuwamy po { $days } dniach.
       *[other] Każdą wiadomość usuwamy po { $days } dnia.
    } Dzięki temu możemy naprawiać błędy.
data-empty = nie podano
data-not-stored = Nie zapisujemy twojego imienia ani adresu.
    Zdjęcie zapisujemy tylko wtedy, gdy wyślesz je z pomysłem.
    Twojego numeru używamy tylko do wysyłania ci wiadomości.
    Twoje odpowiedzi są oddzielone od twojego numeru.
    Chcesz wszystko usunąć? Wyślij USUŃ (lub VERWIJDER).
channel-console = Konsola
channel-telegram = Telegram
channel-whatsapp = WhatsApp
channel-whatsapp-cloud = WhatsApp
delete-ask = Wtedy usuniemy wszystko o tobie: twoje dane, odpowiedzi i pomysły.
    Czy na pewno?
delete-yes = Tak, usuń wszystko
delete-no = Nie, nie usuwaj
delete-done = Gotowe, usunęliśmy wszystko o tobie. Dziękujemy i do widzenia!
delete-cancelled = Dobrze, nic nie zostało usunięte.

## Ankiety

poll-none = Teraz nie ma dla ciebie pytań. Napiszemy do ciebie, gdy coś będzie.
poll-paused = Twoje pytania są wciąż otwarte. Wyślij ANKIETA (lub PEILING), aby kontynuować.
poll-thanks = Dziękujemy za twoje odpowiedzi! 🙏
    Zespół dzielnicy czyta wszystkie.
    Co z nimi zrobimy, usłyszysz na tym czacie.

## Pomysły

idea-ask = Jaki masz pomysł? Napisz go w jednej wiadomości.
idea-retry = Nie widzę jeszcze pomysłu. Napisz swój pomysł w jednej wiadomości.
idea-cancelled = Dobrze, bez pomysłu. Wyślij POMYSŁ (lub IDEE), gdy coś wymyślisz.
idea-theme-ask = Czego dotyczy twój pomysł?
idea-media-kept-image = Dziękuję, zapisuję twoje zdjęcie przy twoim pomyśle.
    Zespół dzielnicy może je obejrzeć.
idea-media-kept-audio = Dziękuję, zapisuję twoją wiadomość głosową przy twoim pomyśle.
    Zespół dzielnicy może jej posłuchać.
idea-media-add-text = Chcesz coś do tego dopisać? Wyślij wtedy jedną wiadomość. Albo wyślij nie.
idea-media-one = Przy jednym pomyśle zapisuję jedno zdjęcie albo jedną wiadomość głosową.
idea-media-too-large = Przepraszam, ten plik jest za duży. Największy rozmiar pliku w megabajtach: { $mb }.
    Napisz lepiej swój pomysł w jednej wiadomości.
theme-gezondheid = Zdrowie i samopoczucie
theme-geld-werk = Pieniądze i praca
theme-leren = Nauka i szanse
theme-wonen = Mieszkanie i osiedle
theme-anders = Coś innego
idea-thanks = Dziękujemy za twój pomysł! 💡
    Zespół dzielnicy czyta każdy pomysł.
    Co z nim zrobimy, usłyszysz na tym czacie.

## Niezrozumiane

unplaced-offer = Nie rozumiem twojego pytania. Czy ktoś z zespołu dzielnicy ma ci odpowiedzieć?

idle-menu = Przepraszam, nie rozumiem. Jestem komputerem.
    Wyślij POMYSŁ (lub IDEE) z pomysłem albo POMOC (lub HULP) po pomoc.
media-in-question = Przepraszam, nie umiem jeszcze oglądać zdjęć ani słuchać wiadomości głosowych.
    Dotknij albo wpisz odpowiedź. Wolisz porozmawiać z człowiekiem? Wyślij POMOC (lub HULP).
media-at-menu = Przepraszam, nie umiem jeszcze oglądać zdjęć ani słuchać wiadomości głosowych.
    Wyślij POMYSŁ (lub IDEE), aby podać pomysł. Wolisz porozmawiać z człowiekiem? Wyślij POMOC (lub HULP).
