# Teksten voor bewoners, in B1-Nederlands. Korte zinnen, één vraag per bericht.

welcome = Hallo! Dit is Straatpraat van het wijkteam en de gemeente Maastricht. Ik ben een computer, geen mens.
help-intro = Hulp nodig? Ga naar het wijkteam.
