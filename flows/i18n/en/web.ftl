# The wijkteam desk in the browser (/desk). Texts for staff, not for residents.

web-app-name = Straatpraat desk
web-skip-link = Skip to content
web-nav-label = Desk
web-nav-inbox = Help requests
web-nav-admin-staff = Staff
web-nav-admin-tokens = Access tokens
web-nav-admin-sessions = Sign-ins
web-nav-results = Results
web-language-switch = Nederlands
web-signed-in-as = Signed in as { $name } ({ $role })
web-sign-out = Sign out
web-role-wijkteam = wijkteam
web-role-analyst = analyst
web-role-admin = admin
web-csrf-refused = This form has expired or does not come from this page. Reload the page.
web-forbidden-title = No access
web-forbidden = This page is not for your role.
web-not-found-title = Not found
web-not-found = This page does not exist.
web-bad-input = This is not right: { $problem }
web-back-home = Back to the desk

web-sign-in-title = Sign in
web-sign-in-intro = Sign in with the chat you use for wijkteam work. The bot sends you a code.
web-sign-in-channel = Channel
web-sign-in-user = Your user name or number on that channel
web-sign-in-user-hint = As the admin added you. For example 31612345678 for WhatsApp.
web-sign-in-send = Send me a code
web-channel-whatsapp-cloud = WhatsApp (business)
web-code-title = Enter the code
web-code-sent = Are you on the team? Then the bot now sends a code to your chat.
web-code-valid = The code works for { $minutes } minutes.
web-code-label = Code of 6 digits
web-code-submit = Sign in
web-code-again = Ask for a new code
web-code-wrong = This code is wrong or has expired. You may try { $tries } more times.
web-code-locked = Too many wrong codes. Try again after { $time }.
web-code-message = Your code for the Straatpraat desk: { $code }
    The code works for { $minutes } minutes. Share it with nobody.
web-signed-out = You are signed out.

web-home-title = Desk
web-home-intro = Welcome, { $name }. Choose above what you want to do.
web-home-analyst = As an analyst, you find the figures on the results page.

web-inbox-title = Help requests
web-inbox-waiting = { $count } waiting for someone
web-inbox-views = Which help requests
web-view-open = Open
web-view-mine = Mine
web-view-flagged = Open too long
web-view-closed = Closed
web-inbox-empty = No help requests here.
web-inbox-live = The list updates by itself.
web-col-number = Number
web-col-opened = Came in
web-col-area = Area
web-col-subject = Subject
web-col-status = State
web-no-subject = (no subject)
web-status-open = Open
web-status-taken = Taken by { $name }
web-status-closed = Closed
web-flagged = Open too long: nobody took it for a working day

web-request-title = Help request { $id }
web-request-area = Area
web-request-language = Resident's language
web-request-status = State
web-request-opened = Came in
web-request-thread = Conversation
web-request-no-messages = No messages yet.
web-request-resident = Resident
web-request-staff = { $name } (wijkteam)
web-request-unreachable = This resident has stopped. You cannot send them a message.
web-request-take = Take this help request
web-request-taken = Help request { $id } is now yours.
web-request-reply-label = Your message to the resident
web-request-reply-hint = First you see how the resident gets it. With your first name below.
web-request-preview = Preview your message
web-request-preview-title = This is how the resident gets your message
web-request-send = Send
web-request-edit = Go back and change it
web-request-sent = Sent to the resident.
web-request-stored = Stored. The resident cannot be reached.
web-request-close = Close this help request
web-request-closed = Help request { $id } is closed. { $days ->
        [one] It is erased after { $days } day.
       *[other] It is erased after { $days } days.
    }
web-request-is-closed = This help request is closed.
web-request-empty = Write a message first.

web-staff-title = Staff
web-staff-add = Add a staff member
web-staff-channel = Channel
web-staff-user = User name or number
web-staff-role = Role
web-staff-name = First name
web-staff-name-hint = Residents see this name under your messages.
web-staff-added = Staff member { $id } added.
web-staff-updated = Staff member { $id } changed.
web-staff-remove = Remove
web-staff-removed = Staff member { $id } removed.
web-staff-col-number = Number
web-staff-col-channel = Channel
web-staff-col-user = User
web-staff-col-role = Role
web-staff-col-name = Name
web-col-actions = Actions

web-tokens-title = Access tokens
web-tokens-intro = Access tokens are for programs and the results page.
web-tokens-create = New access token
web-tokens-name = Name
web-tokens-role = Role
web-tokens-days = Valid, in days
web-tokens-created = Copy this token now. You will not see it again.
web-tokens-revoke = Revoke
web-tokens-revoked = Access token { $id } is revoked.
web-tokens-col-created = Made
web-tokens-col-expires = Expires
web-tokens-col-last-used = Last used
web-tokens-col-state = State
web-tokens-active = Works
web-tokens-inactive = Revoked or expired
web-tokens-never = Never

web-sessions-title = Sign-ins
web-sessions-intro = Who is signed in now, on the desk or the results page.
web-sessions-kind-staff = Desk: staff member { $id }
web-sessions-kind-token = Results: access token { $id }
web-sessions-col-who = Who
web-sessions-col-since = Since
web-sessions-col-until = Until
web-sessions-end = End
web-sessions-ended = Sign-in { $id } has ended.
web-sessions-this = This is you

web-nav-ideas = Ideas
web-ideas-title = Ideas
web-ideas-filters = Search and filter
web-ideas-status = Status
web-ideas-area = Area
web-ideas-theme = Theme
web-ideas-search = Words in the idea
web-ideas-all = All
web-ideas-apply = Show ideas
web-ideas-count = { $total ->
        [one] { $total } idea found.
       *[other] { $total } ideas found.
    } Page { $page } of { $pages }.
web-ideas-none = No ideas found.
web-ideas-paging = Pages
web-ideas-previous = Previous page
web-ideas-next = Next page
web-ideas-col-date = Date
web-ideas-col-text = Idea
web-ideas-col-replies = Replies
web-idea-title = Idea { $id }
web-idea-text = The idea
web-idea-status-change = Change the status
web-idea-status-new = New status
web-idea-status-save = Save the status
web-idea-status-saved = Idea { $id } now has the status: { $status }.
web-idea-status-same = Idea { $id } has that status already.
web-idea-author-told = The resident got this message:
web-idea-reply = Reply to the resident
web-idea-reply-label = Your reply
web-idea-reply-sent = Your reply has been sent.
web-idea-unreachable = This resident no longer gets messages.
web-idea-announce = Announce done ideas on this theme
web-idea-announce-hint = A message to everyone with a done idea about { $theme }. You see a preview first.
web-idea-announce-ready = This is a draft for authors of done ideas about { $theme }. Change it and look at the preview.
web-idea-announce-text = Good news about your ideas: { $theme }. You gave ideas and we acted on them. Thank you for thinking along!

# Messages (flashes) to residents.
web-nav-broadcasts = Messages
web-broadcasts-title = Messages to residents
web-broadcasts-none = There are no messages yet.
web-flash-new = Write a new message
web-flash-col-when = Send time
web-flash-col-text = Text
web-flash-status-scheduled = scheduled
web-flash-status-sending = being sent
web-flash-status-sent = sent
web-flash-status-cancelled = cancelled
web-flash-compose-title = New message
web-flash-text-nl = Text in Dutch (required)
web-flash-text-hint = Short sentences. One question per message.
web-flash-text-en = Text in English (may be empty)
web-flash-text-en-hint = Empty? Then English-speaking residents get the Dutch text.
web-flash-image = Picture (optional)
web-flash-image-hint = A jpg, png or webp file of at most 5 megabytes. The text goes under it.
web-flash-image-too-large = This picture is too large. At most 5 megabytes fit. Make it smaller.
web-flash-image-type = This file is not a picture. Choose a jpg, png or webp file.
web-flash-image-gone = The picture is no longer there. Choose it again.
web-flash-image-alt = The picture with the message
web-flash-image-remove = Send without this picture
web-flash-areas = Areas
web-flash-languages = Languages
web-flash-channels = Channels
web-flash-none-is-all = Nothing ticked means everyone.
web-flash-wave = Only those who took part in a poll
web-flash-wave-none = Everyone, not only participants
web-flash-idea-theme = Only authors of done ideas on this theme
web-flash-idea-theme-hint = The idea has the status done.
web-flash-idea-theme-none = Everyone, not only those who sent an idea
web-flash-idea-theme-is = with a done idea about { $theme }
web-flash-rsvp-legend = Sign-up
web-flash-rsvp = Ask: Are you coming? Send YES.
web-flash-when = When to send?
web-flash-when-now = Now
web-flash-when-later = At a later time
web-flash-at = Date and time ({ $zone })
web-flash-quiet-hint = In quiet hours the message waits until the morning.
web-flash-preview = Preview
web-flash-preview-title = Preview of the message
web-flash-to = For
web-flash-count = Number of residents
web-flash-count-value = { $count ->
        [one] { $count } resident
       *[other] { $count } residents
    }
web-flash-goes = Send time
web-flash-goes-now = Straight away
web-flash-held = It is quiet hours now. It goes { $time }.
web-flash-phones = How residents see it
web-flash-confirm = { $count ->
        [one] Send to { $count } resident
       *[other] Send to { $count } residents
    }
web-flash-change = Go back and change
web-flash-need-nl = Write the Dutch text first.
web-flash-need-time = Choose a date and time.
web-flash-time-past = That time has passed. Choose a later time.
web-flash-refused = This message cannot go like this. Check the choices.
web-flash-all-areas = all areas
web-flash-all-languages = all languages
web-flash-all-channels = all channels
web-flash-answered-wave = participants in poll { $wave }
web-flash-topics = Topics
web-flash-topics-hint = Nothing ticked means all topics. Residents who chose none get it too.
web-flash-about-topics = about { $topics }
web-flash-ages = Age groups
web-flash-ages-hint = Nothing ticked means everyone. Otherwise only who gave that age.
web-flash-age-groups = age { $groups }
web-age-geen = Would rather not say
web-flash-report-title = Message and delivery
web-flash-created = The message has been created.
web-flash-edited = The text has been changed.
web-flash-cancelled = The message is cancelled. It will not go out.
web-flash-too-late = This is no longer possible. The message has (partly) gone.
web-flash-delivery = Delivery
web-flash-live-hint = The figures update by themselves. Without JavaScript: reload the page.
web-flash-audience = Residents
web-flash-queued = Queued
web-flash-sent = Sent
web-flash-delivered = Delivered (if the channel reports it)
web-flash-read = Read (if the channel reports it)
web-flash-failed = Failed
web-flash-withdrawn = Withdrawn
web-flash-rsvps = Sign-ups (YES)
web-flash-text = Text
web-flash-edit = Change the text
web-flash-edit-save = Save the text
web-flash-cancel = Cancel the message
web-yes = yes
web-no = no

# Polls (waves) and results.
web-nav-waves = Polls
web-waves-title = Polls
web-waves-list = Waves
web-waves-none = There are no waves yet.
web-wave-poll = Poll
web-wave-questions = { $count ->
        [one] { $count } question
       *[other] { $count } questions
    }
web-wave-status-scheduled = scheduled
web-wave-status-open = running
web-wave-status-closed = closed
web-wave-status-cancelled = cancelled
web-wave-launch = Start a new wave
web-wave-when = When does the wave start?
web-wave-remind-hours = Reminder after how many hours?
web-wave-remind-hint = Only for those who have not finished. 0 means no reminder.
web-wave-close-days = Close after how many days?
web-wave-launch-button = Start the wave
web-wave-title = Wave: { $poll }
web-wave-opens = Starts
web-wave-reminder = Reminder
web-wave-no-reminder = none
web-wave-closes = Closes
web-wave-invited = Invited
web-wave-finished = Finished
web-wave-invitation = Invitation
web-wave-delivery = { $sent } sent, { $queued } queued, { $failed } failed
web-wave-cancel = Cancel the wave
web-wave-close = Close now
web-wave-launched = The wave has started.
web-wave-closed = The wave is closed. Answers no longer count.
web-wave-cancelled = The wave is cancelled. No invitation goes out.
web-wave-not-now = That is no longer possible.
web-wave-draft = Write a message: you said, we did
web-wave-draft-hint = A draft with the results, for everyone who took part.
web-wave-draft-ready = This is a draft. Change it and look at the preview.
web-results-title = Results
web-results-running = The results come when the wave is closed.
web-results-too-few = Too few answers. We only show something from { $min } people.
web-results-too-few-short = too few
web-results-respondents = About { $count } participants. We do not show groups smaller than { $min }.
web-results-answer = Answer
web-results-total = Total
web-results-mean = Average mark: { $mean }
web-results-free-texts = What people wrote, without name or area.

# Overview: the figures the wijkteam reports on.
web-nav-overview = Overview
web-overview-title = Overview
web-overview-intro = Counts only. Small groups (fewer than { $min }) are not shown exactly.
web-overview-fewer = fewer than { $min }
web-overview-none = Nothing yet.
web-overview-count = Count
web-overview-source = Source (flyer or link)
web-overview-residents = Participants per area
web-overview-joins = Sign-ups per source
web-overview-help = { $days ->
        [one] Help requests of the last { $days } day
       *[other] Help requests of the last { $days } days
    }
web-overview-help-opened = Received
web-overview-help-answered = Answered within a working day
web-overview-help-open = Still open now
web-overview-ideas = Ideas per status
web-straatpraat-title = Straatpraat sessions
web-straatpraat-intro = Invite residents to a talk in the neighbourhood. They can send a question beforehand.
web-straatpraat-none = There are no sessions yet.
web-session-new = Announce a new session
web-session-new-title = Announce a session
web-session-new-intro = Residents get an invitation asking: Are you coming? On the day, those who said yes get a reminder.
web-session-at = Date and start time ({ $zone })
web-session-where = Where
web-session-who = Who will be there
web-session-who-hint = For example: the alderman and the wijkteam.
web-session-text-nl = Extra text in Dutch (may be empty)
web-session-text-hint = Without text, the invitation gives only time, place and who is there.
web-session-announce = Announce the session
web-session-need-place = Fill in where it is and who is there.
web-session-need-nl = Write the Dutch text too.
web-session-refused = This is not possible like this. Check the choices.
web-session-announced = The session has been announced.
web-session-col-when = When
web-session-status-cancelled = called off
web-session-status-past = over
web-session-title = Session at { $where }
web-session-summaries = Summaries sent
web-session-questions = { $count ->
    [one] Questions beforehand (1 question)
   *[other] Questions beforehand ({ $count } questions)
}
web-session-questions-hint = By theme. We never show who asked a question.
web-session-questions-none = There are no questions yet.
web-session-summary = Send the summary
web-session-summary-hint = After the session. It goes to those who said yes or sent a question.
web-session-summary-send = Send the summary
web-session-summary-sent = The summary is going out now.
web-session-cancel = Call off the session
web-session-cancelled = The session is called off. Those who said yes get a message.
web-session-too-late = This is no longer possible. The session was called off or is over.
web-session-send-at = Send the invitation at ({ $zone })
web-session-send-at-hint = Empty is now. In quiet hours the invitation waits until morning.
web-session-send-before = The invitation must go before the session. Choose an earlier time.
