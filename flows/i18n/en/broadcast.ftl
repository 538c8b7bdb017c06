# Texts of news flashes, straatpraat sessions and polls the wijkteam sends.
# Same rules as resident.ftl: plain English, short sentences, one question per message, keywords in capitals.

## News flashes

flash-rsvp-ask = Are you coming? Send YES.
flash-rsvp-thanks = Great that you are coming! See you then.
flash-rsvp-already = You already told us you are coming. See you then!
flash-rsvp-no = Too bad. Maybe next time!

rsvp-pick-ask = You have several invitations. Which one are you coming to?
rsvp-pick-session = Straatpraat on { $when }
rsvp-pick-untitled = Invitation without a title
rsvp-pick-closed = You can no longer sign up for that one. What a pity!
rsvp-pick-cancelled = All right, we count nothing for now. Send YES if you are coming after all.

## Straatpraat

session-announce = Straatpraat: talk with the municipality!
    When: { $when }
    Where: { $where }
    Who is coming: { $who }
session-question-offer = You can also send a question in advance. Send QUESTION.
session-rsvp-thanks = Great that you are coming! We will remind you on the day.
    Do you want to ask something in advance? Send QUESTION.
session-reminder = Today is the straatpraat!
    Time: { $time }
    Where: { $where }
    See you soon!
session-summary-intro = Thank you for the straatpraat! This is what we heard, and what we will do:
session-cancelled = Please note: the straatpraat of { $when } will not take place. We are sorry.
results-intro = Thank you for your answers to "{ $poll }"! This is what came out:
results-line = { $question }: { $share }% chose "{ $answer }".
results-too-few = { $question }: too few answers to say anything.
results-outro = The wijkteam will get to work with this.
session-question-ask = What do you want to ask? Write your question in one message.
session-question-retry = I don't see a question yet. Write your question in one message.
session-question-cancelled = All right, no question. Send QUESTION if you think of one later.
session-question-theme-ask = What is your question about?
session-question-thanks = Thank you! Your question goes to the wijkteam without your name.
session-none = There is no straatpraat planned right now. We will send you a message when there is one.

## Polls

wave-invite = The wijkteam would like to know what you think.
wave-reminder = The wijkteam would still like to hear from you. Send POLL to answer the questions.
wave-closed = These questions are closed now. Your answer no longer counts. Thank you anyway!

# A suggested message to residents whose idea is now done (the wijkteam edits it).
ideas-done-announce = Good news about your ideas: { $theme }. You gave ideas and we acted on them. Thank you for thinking along!
