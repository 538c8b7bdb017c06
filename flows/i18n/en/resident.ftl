# Texts for residents, in plain English.
# Short sentences, one question per message, friendly and direct.
# Keywords in capitals. Emoji only as decoration, never the only explanation.
# Every id here is also in nl.ftl. No blank lines inside a text.

## Joining

welcome = Hello! 👋 This is Straatpraat, from the neighbourhood team and the municipality of Maastricht.
    I am a computer, not a person.
    Here you can give your opinion about your neighbourhood.
language-ask = Which language do you want to use?
    In welke taal wil je praten?
consent-ask = This is how it works:
    You can take part from the age of 16.
    Now and then we send you a short question about your neighbourhood.
    We store your area, your age group and your answers.
    You do not have to give your age group.
    In our results, your answers are not linked to your phone number.
    You can stop at any time: send STOP.
    You can also delete everything: send DELETE.
    Read more: { $url }
    Do you want to take part?
consent-yes = Yes, I'll take part
consent-no = No, thanks
consent-refused = Too bad, but that's fine. We will not send you questions. Want to join later after all? Send START.
refused-hint = You are not taking part now. Want to join after all? Send START.
consent-changed = We changed how we handle your data. Please read it below. Then you can carry on.
consent-renewed = Thank you. You are taking part again.
consent-withdrawn = That is fine. We will not send you questions or news any more. Your earlier answers stay stored, without your name. Send DELETE if you want everything erased. Send START if you want to take part after all.
area-ask = Which area do you live in?
area-nazareth = Nazareth
area-pottenberg = Pottenberg
area-elders = Another part of Maastricht
area-geen = I'd rather not say
age-ask = How old are you? You may skip this.
age-tot16 = Under 16
age-16-26 = 16–26
# The groups from before the age limit of 16; only for those who chose them earlier (MY DATA).
age-tot18 = Under 18
age-18-26 = 18–26
age-27-40 = 27–40
age-41-65 = 41–65
age-65plus = Over 65
age-geen = Skip
age-too-young = Thank you! You can only take part from the age of 16.
age-youth-place = For young people there is { $name }. They are happy to help.
age-youth-url = Have a look: { $url }
age-youth-none = Youth workers or your school are happy to help you.
age-too-young-erased = We have deleted everything about you. You will get nothing more from us.
age-change-ask = How old are you? Choose your age group.
age-check-ask = Your age group is now: { $age }. Is that still right?
age-changed = Fine, your age group is now: { $age }.
age-confirmed = Thank you! Your age group stays the same.
join-done = Done, you are in! 🎉 Send HELP for help and all the words you can send.

## Answering

ask-hint = Tap your answer, or send its number.
ask-hint-typed = Send the number of your answer.
ask-hint-multi = You may choose more than one answer. Send for example: 1 and 3
retry = Sorry, I did not understand that.
retry-hint = Send only the number of your answer. For example: 2
retry-hint-multi = Send the numbers of your answers. For example: 1 and 3
text-skip-hint = Write your answer in one message. Rather not? Send SKIP.

## Keywords

start-already = You are already taking part. Send HELP to see what you can do.
start-welcome-back = Welcome back! You will get messages from us again.
stop-confirm = You have stopped and will get no more messages. Want to come back? Send START.
stopped-hint = You have stopped. Send START to take part again.
stop-news-confirm = You will get no more news from us. You will still get questions about your area.
    News again? Send NEWS ON.
news-on-confirm = Fine, you will get news from us again.
news-ask = Which topics do you want news about?
news-all = Everything
news-none = Nothing
news-now-all = You now get news about all topics.
news-now-none = You now get no news.
news-now-topics = You now get news about: { $topics }.
news-changed-all = Fine, you will get news about all topics.
news-changed-none = Fine, you will get no more news. You will still get questions about your area.
    News again? Send NEWS ON.
news-changed-topics = Fine, you now get news about: { $topics }.
help-intro = Need help? The neighbourhood team is happy to help.
help-address = Address: { $address }
help-hours = Open: { $hours }
help-phone = Phone: { $phone }
help-none = Talk to someone from the neighbourhood team in your area.
keywords-list = You can always send:
    IDEA: send us an idea
    POLL: continue with open questions
    LANGUAGE: choose another language
    AREA: choose another area
    AGE: choose another age group
    MY DATA: see what we store about you
    NEWS: choose what news you get
    STOP NEWS: no more news
    NEWS ON: news again
    STOP: no more messages
    DELETE: delete everything about you
    HELP: this overview
language-changed = Fine, I will talk to you in English now.
area-changed = Fine, your area is now: { $area }.
nothing-changed = Nothing has changed.
data-title = This is what we store about you:
data-channel = Channel: { $channel }
data-joined = Joined: { $date }
data-join-source = Joined through: { $source }
data-language = Language: { $language }
data-area = Area: { $area }
data-age = Age: { $age }
data-consent-given = Consent: given on { $date } (version { $version })
data-consent-refused = Consent: not given ({ $date })
data-consent-none = Consent: not given yet
data-news-on = News: on, about all topics
data-news-off = News: off
data-news-topics = News: on, about { $topics }
data-status-active = Status: taking part
data-status-stopped = Status: stopped
data-answers = { $count ->
        [0] You have not given any answers yet.
        [one] Your { $count } answer, with the week you gave it:
       *[other] Your { $count } answers, with the week you gave them:
    }
data-answer = • { $poll }, week of { $week }: { $question } → { $answer }
data-answer-text = you wrote: “{ $text }”
data-answer-dont-know = I don't know
data-answer-skipped = skipped
data-answer-invalid = not understood
data-waves = { $count ->
        [0] You have not had any polls yet.
        [one] You had { $count } poll:
       *[other] You had { $count } polls:
    }
data-wave = • { $poll } ({ $date }), status: { $status }
data-wave-held = still to come
data-wave-invited = not started
data-wave-started = started
data-wave-finished = done
data-ideas = { $count ->
        [0] You have not sent any ideas yet.
        [one] Your { $count } idea:
       *[other] Your { $count } ideas:
    }
data-idea = • { $date }: “{ $text }”, status: { $status }
data-idea-reply = Reply from the neighbourhood team on { $date }: “{ $text }”
data-idea-media-image = With your photo. { $days ->
        [one] We keep it for up to { $days } day.
       *[other] We keep it for up to { $days } days.
    }
data-idea-media-audio = With your voice message. { $days ->
        [one] We keep it for up to { $days } day.
       *[other] We keep it for up to { $days } days.
    }
data-idea-new = new
data-idea-seen = seen by the neighbourhood team
data-idea-planned = planned
data-idea-done = done
data-idea-not-possible = sadly not possible
data-help-requests = { $count ->
        [0] You have no help requests to the neighbourhood team.
        [one] Your { $count } help request to the neighbourhood team:
       *[other] Your { $count } help requests to the neighbourhood team:
    }
data-help-request = • { $date }: “{ $subject }”, status: { $status }
data-help-request-no-subject = • { $date }, status: { $status }
data-help-open = open
data-help-taken = the neighbourhood team is working on it
data-help-closed = closed
data-help-message-resident = You wrote on { $date }: “{ $text }”
data-help-message-staff = The neighbourhood team wrote on { $date }: “{ $text }”
data-rsvps = { $count ->
        [0] You have not said yet that you will come to anything.
        [one] You said you will come to { $count } activity:
       *[other] You said you will come to { $count } activities:
    }
data-rsvp = • { $what } (said on { $date })
data-session = the straatpraat of { $date }
data-flash = the message “{ $text }”
data-session-question = You sent a question for { $what }.
data-session-questions-unlinked = We keep those questions without your name or number.
    So we cannot link them to you or show them.
data-messages = { $count ->
        [0] We keep no messages between you and us right now.
        [one] We keep { $count } message between you and us.
       *[other] We keep { $count } messages between you and us.
    }
data-messages-retention = { $days ->
        [one] We delete each message after { $days } day.
       *[other] We delete each message after { $days } days.
    } This way we can fix problems.
data-empty = not filled in
data-not-stored = We do not store your name or your address.
    We keep a photo only when you send it with an idea.
    We use your number only to send you messages.
    Your answers are kept apart from your number.
    Delete everything? Send DELETE.
channel-console = Console
channel-telegram = Telegram
channel-whatsapp = WhatsApp
channel-whatsapp-cloud = WhatsApp
delete-ask = Then we delete everything about you: your details, answers and ideas.
    Are you sure?
delete-yes = Yes, delete everything
delete-no = No, keep it
delete-done = Done, we have deleted everything about you. Thank you and goodbye!
delete-cancelled = Fine, nothing has been deleted.

## Polls

poll-none = There are no questions for you right now. We will send you a message when there are.
poll-paused = Your questions are still open. Send POLL to continue.
poll-thanks = Thank you for your answers! 🙏
    The neighbourhood team reads them all.
    You will hear through this chat what we do with them.

## Ideas

idea-ask = What is your idea? Write it in one message.
idea-retry = I do not see an idea yet. Write your idea in one message.
idea-cancelled = Fine, no idea then. Send IDEA when you think of something.
idea-theme-ask = What is your idea about?
idea-media-kept-image = Thank you, I am keeping your photo with your idea.
    The neighbourhood team can look at it.
idea-media-kept-audio = Thank you, I am keeping your voice message with your idea.
    The neighbourhood team can listen to it.
idea-media-add-text = Would you like to add some words? Then send one message. Or send no.
idea-media-one = I keep one photo or voice message per idea.
idea-media-too-large = Sorry, this file is too large. It can be up to { $mb } megabytes.
    Please write your idea in one message instead.
theme-gezondheid = Health and wellbeing
theme-geld-werk = Money and work
theme-leren = Learning and opportunities
theme-wonen = Housing and neighbourhood
theme-anders = Something else
idea-thanks = Thank you for your idea! 💡
    The neighbourhood team reads every idea.
    You will hear through this chat what we do with it.

## Not understood

unplaced-offer = I do not understand your question. Would you like someone from the neighbourhood team to answer you?

idle-menu = Sorry, I do not understand that. I am a computer.
    Send IDEA for an idea, or HELP for help and more.
media-in-question = Sorry, I cannot look at photos or listen to voice messages yet.
    Tap or type your answer. Rather talk to a person? Send HELP.
media-at-menu = Sorry, I cannot look at photos or listen to voice messages yet.
    Send IDEA for an idea. Rather talk to a person? Send HELP.
