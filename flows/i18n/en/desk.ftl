# The wijkteam desk: help requests from residents, answers to ideas, and the wijkteam's chat commands.
# Resident texts: plain language (B1), short sentences, one question per message, keywords in capitals.
# Texts starting with desk- are for the wijkteam (always sent in Dutch; kept here so the ids match).

## A resident's help request (after HELP)

help-offer = Shall someone from the neighbourhood team send you a message?
help-offer-yes = Yes, please
help-offer-no = No, thank you
help-subject-ask = What is it about? Write it in one sentence.
    Or send SKIP if you would rather not say.
help-declined = Fine. Send HELP if you want help later.
help-opened = Thank you. Someone from the neighbourhood team will send you a message.
help-already-open = Your request is already with the neighbourhood team. Just send a message and I will add it.
help-added = I added your message to your request. The neighbourhood team will read it.
help-relayed = I passed your message on to { $name }.
help-closed-resident = The wijkteam has closed your help request. Send HELP if you need anything else.
help-when-open = The neighbourhood team is at work now. You will get an answer soon.
    Working hours: { $hours }.
help-when-closed = The neighbourhood team is back { $day } at { $time }. Then you get an answer.
    Working hours: { $hours }.
help-when-hours = Working hours of the neighbourhood team: { $hours }.
help-today = today
help-tomorrow = tomorrow
help-days-range = { $from } to { $to }
help-signature = Best wishes, { $name } — { $team }
help-signature-team = Best wishes, { $team }
help-answer-back = Just reply to this message.
help-team = the neighbourhood team
help-team-nazareth = neighbourhood team Nazareth
help-team-pottenberg = neighbourhood team Pottenberg

## News about a resident's idea

idea-status-bekeken = The neighbourhood team has looked at your idea: “{ $idea }”
idea-status-gepland = Good news about your idea “{ $idea }”. We are going to work on it!
idea-status-gedaan = Your idea “{ $idea }” has been done. Thank you!
idea-status-niet-haalbaar = About your idea “{ $idea }”: sadly it is not possible. Thank you for thinking along.
idea-reply-intro = An answer to your idea “{ $idea }”:

## The wijkteam's chat commands

desk-help-wijkteam = Commands for the neighbourhood team:
    /flash — news flash to residents
    /flash peiling number — flash to whoever answered that poll
    /flash thema wonen — flash to whoever sent a done idea about wonen
    /poll — start a poll
    /straatpraat — announce a straatpraat session
    /ideas — see ideas (or: /ideas nieuw, /ideas nazareth)
    /idea 12 status gepland — status of idea 12
    /idea 12 reply your text — answer to whoever sent it
    /hulpvragen — open help requests
    /neem 12 — take help request 12
    /antwoord 12 your text — message to the resident
    /sluit 12 — close help request 12
    /results — figures (or: /results 1a2b3c4d for the answers of a poll)
    /annuleer — stop a command
    /annuleer number — cancel a flash, straatpraat or poll
    /sluit-peiling number — close a poll now
desk-help-analyst = Commands for analysts:
    /results — figures (or: /results 1a2b3c4d for the answers of a poll)
    Exports are made on the command line: straatpraat export.
desk-not-allowed = This command is for the neighbourhood team only.
desk-nothing-to-cancel = There is nothing to stop.
desk-not-sent = Stopped. Nothing went to residents.
desk-already-sent = This has been sent already.
desk-try-again = That did not work. Please try again.
desk-confirm-send = Send it?
desk-confirm-launch = Start the poll?
desk-confirm-save = Save it?
desk-confirm-yes = Yes
desk-confirm-no = No, don't
desk-area-ask = For which area?
desk-area-both = Nazareth and Pottenberg
desk-area-all = Everyone
desk-area-unknown = area unknown
desk-audience-wave = everyone who answered poll { $id }
desk-audience-theme = whoever sent an idea about { $theme } that is now done
desk-audience = For: { $audience }.
desk-audience-count = For: { $audience }. That is { $count ->
        [one] { $count } resident
       *[other] { $count } residents
    } now.

desk-flash-ask-nl = News flash. Send the text in Dutch.
desk-flash-ask-en = Now send the text in English.
    No English text? Then send SKIP.
desk-flash-rsvp-ask = May residents say that they will come?
desk-rsvp-yes = Yes, ask: will you come?
desk-rsvp-no = No
desk-flash-preview = This is how residents see the flash:
desk-preview-language = In { $language }:
desk-texts-hint = In another language too: send its code, then the text.
    Like: ar … (codes: { $list })
desk-texts-need-nl = First the text in Dutch: send nl followed by the text.
desk-flash-sent = Sent. Number of the flash: { $id }
desk-flash-already = This flash has been sent already. Number: { $id }
desk-audience-languages = language: { $list }
desk-audience-channels = channel: { $list }
desk-audience-topics = topic: { $list }
desk-audience-ages = age: { $list }
desk-topics-unknown = I do not know that topic. Choose from: { $list }. Or send: onderwerp alle.
desk-ages-unknown = I do not know that age group. Choose from: { $list }. Or send: leeftijd alle.
desk-when-now = Goes out now.
desk-when-at = Goes out on { $day } at { $time }.
desk-when-quiet = That is after the quiet hours ({ $start }–{ $end }). Nothing goes out in quiet hours.
desk-flash-change-hint = To send it later: send a time, like morgen 10:00.
    One language or channel only? Send for example taal en. Or kanaal telegram.
    About one topic only: send for example onderwerp ouderen.
    For one age group only: send for example leeftijd 65+.
desk-when-past = That time has passed. Send a time still to come.
desk-when-passed = The time has passed meanwhile. Send a new time, or: nu.
desk-languages-unknown = I do not know that language. Choose from: { $list }. Or send: taal alle.
desk-channels-unknown = I do not know that channel. Choose from: { $list }. Or send: kanaal alle.
desk-flash-scheduled = Scheduled for { $day } at { $time }. Number of the flash: { $id }
desk-session-ask-at = Straatpraat session. When does it start? Send a day and time, like: vrijdag 19:00.
desk-session-at-retry = I do not understand. Send a day and time, like: vrijdag 19:00 or 12 december 14:00.
desk-session-at-past = That time has passed. Send a day and time still to come.
desk-session-ask-where = Where is the session? For example: community centre ’t Trefpunt.
desk-session-ask-who = Who from the municipality comes?
desk-session-ask-nl = Anything to add? Send the text in Dutch.
    Nothing to add: then send SLA OVER.
desk-session-preview = This is how residents see the announcement:
desk-session-reminder = Those who come get a reminder on { $day } at { $time }.
desk-session-change-hint = One language or channel only? Send for example taal en. Or kanaal telegram.
desk-session-sent = Announced. Number of the session: { $id }
desk-session-already = This session has been announced already. Number: { $id }

desk-poll-ask = Which poll do you want to start? Send its number.
desk-poll-retry = I do not know that poll.
desk-poll-preview = Poll: { $poll }. This is how it starts for residents:
desk-poll-schedule = Reminder after 1 day. The poll closes after 7 days.
desk-poll-launched = The poll has started. Number: { $id }
desk-poll-already = This poll has started already. Number: { $id }

desk-help-none = There are no open help requests.
desk-help-title = Open help requests: { $count }
desk-help-line = Help request { $id } · { $area } · { $date } · { $status }
desk-help-status-open = not taken yet
desk-help-new-notice = { $count ->
        [one] New help request: { $list }.
       *[other] { $count } new help requests: { $list }.
    } Send /hulpvragen to see them.
desk-help-flagged-notice = These help requests have waited a working day: { $ids }. Send /hulpvragen to see them.
desk-help-status-flagged = waiting more than a working day!
desk-help-status-taken = with { $name }
desk-help-status-closed = closed
desk-help-no-subject = (no subject)
desk-help-hint = Take one: /neem and the number. Answer: /antwoord, the number and your message.
desk-help-not-found = Help request { $id } does not exist.
desk-help-already-closed = Help request { $id } is closed already.
desk-help-taken = Help request { $id } is yours now.
desk-help-taken-over = You take help request { $id } over from { $name }.
desk-help-no-messages = No messages yet.
desk-help-resident = Resident
desk-help-unreachable = Note: this resident has stopped. Messages do not reach them.
desk-help-answer-hint = Answer: /antwoord { $id } and your message.
desk-help-preview = This is how the resident sees your message:
desk-help-sent = Sent to the resident of help request { $id }.
desk-help-closed = Help request { $id } is closed. We erase it after { $days ->
        [one] { $days } day.
       *[other] { $days } days.
    }
desk-help-from-resident = Help request { $id } ({ $area }). The resident writes:
    { $text }
    Answer: /antwoord { $id } and your message.
desk-usage-neem = Use it like this: /neem 12
desk-usage-antwoord = Use it like this: /antwoord 12 and then your message.
desk-usage-sluit = Use it like this: /sluit 12

desk-ideas-none = There are no ideas.
desk-ideas-title = Ideas { $from } to { $to }
desk-ideas-title-filtered = Ideas { $from } to { $to } ({ $filter })
desk-ideas-none-filtered = There are no ideas with: { $filter }.
desk-ideas-no-more = There are no more ideas.
desk-ideas-more = See more? Send: volgende.
desk-ideas-no-next = There is no next page. Send /ideas to start.
desk-usage-ideas = How to use it: /ideas, /ideas nieuw or /ideas nazareth. Both at once: /ideas gepland pottenberg.
desk-idea-line = Idea { $id } · { $area } · { $theme } · { $date } · { $status }
desk-media-image = photo
desk-media-audio = voice message
desk-media-pending = being fetched
desk-media-too-large = too large: not kept
desk-media-failed = could not be fetched
desk-ideas-hint = Status: /idea 12 status gepland. Answer: /idea 12 reply and your text.
desk-usage-idea = Set a status: /idea 12 status gepland. Answer: /idea 12 reply and your text.
desk-idea-not-found = Idea { $id } does not exist.
desk-idea-bad-status = Choose a status: nieuw, bekeken, gepland, gedaan or niet haalbaar.
desk-idea-same-status = Idea { $id } has that status already: { $status }.
desk-idea-unreachable = The author gets no more messages. Nothing goes to the resident.
desk-idea-status-preview = Idea { $id } gets the status: { $status }.
desk-idea-author-gets = The author gets this message:
desk-idea-reply-preview = This is how the author sees your answer:
desk-idea-status-saved = Idea { $id } now has the status: { $status }.
desk-idea-reply-sent = Your answer to idea { $id } has been sent.
desk-idea-status-nieuw = new
desk-idea-status-bekeken = looked at
desk-idea-status-gepland = planned
desk-idea-status-gedaan = done
desk-idea-status-niet-haalbaar = not possible

desk-results-title = Straatpraat figures
desk-results-nothing = nothing yet
desk-results-residents = Residents taking part: { $list }
desk-results-help = Help requests in { $days ->
        [one] { $days } day
       *[other] { $days } days
    }: { $opened } new. Answered within a working day: { $answered }.
    Open now: { $open }, of which { $flagged } too long.
desk-results-ideas = Ideas: { $list }
desk-results-joins = Joins through flyers: { $list }
desk-results-waves = Polls: { $list }
desk-results-wave = { $id } { $poll } ({ $status }): { $invited } invited, { $finished } done
desk-results-wave-usage = Send /results with the number of a poll, for example /results 1a2b3c4d.
    The number is in /results.
desk-results-wave-unknown = I do not know that poll. The number is in /results.
desk-results-wave-title = Poll { $poll }: { $title }
desk-results-wave-running = The poll is still running. You see the answers when it is done.
desk-results-wave-too-few = Too few answers to show anything.
desk-results-wave-respondents = { $n ->
        [one] About { $n } resident took part.
       *[other] About { $n } residents took part.
    }
desk-results-wave-open = Note: the poll is still running.
desk-results-wave-total = All areas
desk-results-wave-area = { $area } ({ $n } answers): { $list }
desk-results-wave-area-too-few = { $area }: too few answers
desk-results-wave-mean = mean { $mean }
desk-results-wave-texts = What residents wrote ({ $n }, names removed):

## Corrections (/annuleer <id>, /sluit-peiling <id>)

desk-correction-not-found = I find nothing with number { $id }.
desk-correction-usage = Use: /annuleer with the number of a flash, straatpraat or poll. Or /sluit-peiling with the number of a poll.
desk-correction-flash = News flash { $id }: “{ $label }”.
desk-correction-session = Straatpraat of { $when } at { $label }.
desk-correction-wave = Poll “{ $label }” ({ $id }).
desk-correction-flash-cancel = This flash will then not go out. Planned for { $when }.
desk-correction-flash-stop = This flash is going out now. { $count ->
        [one] { $count } resident has it already.
       *[other] { $count } residents have it already.
    } The others will then not get it.
desk-correction-session-cancel = The straatpraat will then not take place. { $count ->
        [one] { $count } resident said they would come.
       *[other] { $count } residents said they would come.
    } They get one message that it is off.
desk-correction-wave-cancel = The poll will then not open. Nobody gets the invitation.
desk-correction-wave-close = The poll then closes now, not on { $when }. Answers after that do not count. Anyone still busy gets a kind message. The reminder does not go.
desk-correction-already-sent = This flash has been sent already. It can no longer be cancelled.
desk-correction-already-cancelled = This was cancelled already.
desk-correction-session-past = This straatpraat has already taken place.
desk-correction-wave-open = This poll is open already. Close it with /sluit-peiling { $id }.
desk-correction-wave-closed = This poll is closed already.
desk-correction-wave-not-open = This poll is not open yet. Cancel it with /annuleer { $id }.
desk-correction-not-a-wave = This is not a poll. Cancel it with /annuleer { $id }.
desk-confirm-cancel = Cancel?
desk-confirm-close = Close the poll now?
desk-correction-cancelled = Cancelled.
desk-correction-closed = The poll is closed.
