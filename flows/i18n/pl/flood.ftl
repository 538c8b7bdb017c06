# Gdy ktoś wysyła bardzo dużo wiadomości w krótkim czasie (więcej niż 20 na minutę).
# Raz na minutę; potem bez odpowiedzi, aż będzie spokojniej.

flood-slow-down = Wysyłasz dużo wiadomości naraz. Poczekaj minutę. Potem chętnie znowu pomogę.
