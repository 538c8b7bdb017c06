# Als iemand heel veel berichten kort na elkaar stuurt (meer dan 20 in een minuut).
# Eén keer per minuut; daarna geen antwoord tot het rustiger is.

flood-slow-down = Je stuurt veel berichten kort na elkaar. Wacht even een minuut. Daarna help ik je graag verder.
