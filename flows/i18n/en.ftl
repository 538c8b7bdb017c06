# Texts for residents, in plain English. Short sentences, one question per message.

welcome = Hello! This is Straatpraat from the neighbourhood team and the municipality of Maastricht. I am a computer, not a person.
help-intro = Need help? Go to the neighbourhood team.
