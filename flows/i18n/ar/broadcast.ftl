# نصوص الأخبار ولقاءات straatpraat والاستطلاعات التي يرسلها فريق الحي.
# نفس قواعد resident.ftl: عربية بسيطة، جمل قصيرة، سؤال واحد في كل رسالة، الكلمات المفتاحية بين «».

## الأخبار

flash-rsvp-ask = هل ستحضر؟ أرسل «نعم».
flash-rsvp-thanks = رائع أنك ستحضر! نراك هناك.
flash-rsvp-already = لقد قلت لنا من قبل إنك ستحضر. نراك هناك!
flash-rsvp-no = للأسف. ربما في المرة القادمة!

rsvp-pick-ask = لديك أكثر من دعوة. إلى أيها ستحضر؟
rsvp-pick-session = Straatpraat في { $when }
rsvp-pick-untitled = دعوة بدون عنوان
rsvp-pick-closed = لم يعد التسجيل لهذه الدعوة ممكنًا. للأسف!
rsvp-pick-cancelled = حسنًا، لن نحسب شيئًا الآن. أرسل «نعم» إذا قررت الحضور.

## Straatpraat

session-announce = Straatpraat: تحدّث مع البلدية!
    متى: { $when }
    أين: { $where }
    من سيحضر: { $who }
session-question-offer = يمكنك أيضًا إرسال سؤال مسبقًا. أرسل «سؤال» (أو VRAAG).
session-rsvp-thanks = رائع أنك ستحضر! سنرسل لك تذكيرًا في نفس اليوم.
    هل تريد أن تسأل شيئًا مسبقًا؟ أرسل «سؤال» (أو VRAAG).
session-reminder = اليوم لقاء straatpraat!
    الوقت: { $time }
    أين: { $where }
    نراك قريبًا!
session-summary-intro = شكرًا على لقاء straatpraat! هذا ما سمعناه، وهذا ما سنفعله:
session-cancelled = انتبه: لقاء straatpraat في { $when } لن يُعقد. نعتذر عن ذلك.
results-intro = شكرًا على إجاباتك في «{ $poll }»! هذه هي النتيجة:
results-line = { $question }: { $share }% اختاروا «{ $answer }».
results-too-few = { $question }: الإجابات قليلة جدًا لنقول شيئًا.
results-outro = سيعمل فريق الحي على هذه النتائج.
session-question-ask = ماذا تريد أن تسأل؟ اكتب سؤالك في رسالة واحدة.
session-question-retry = لا أرى سؤالًا بعد. اكتب سؤالك في رسالة واحدة.
session-question-cancelled = حسنًا، بدون سؤال. أرسل «سؤال» (أو VRAAG) إذا خطر لك سؤال لاحقًا.
session-question-theme-ask = عن أي موضوع سؤالك؟
session-question-thanks = شكرًا لك! سيصل سؤالك إلى فريق الحي بدون اسمك.
session-none = لا يوجد لقاء straatpraat مخطط له الآن. سنرسل لك رسالة عندما يوجد لقاء.

## الاستطلاعات

wave-invite = يريد فريق الحي أن يعرف رأيك.
wave-reminder = ما زال فريق الحي يريد أن يسمع رأيك. أرسل «استطلاع» (أو PEILING) لتجيب عن الأسئلة.
wave-closed = هذه الأسئلة مغلقة الآن. إجابتك لم تعد تُحسب. شكرًا لك على أي حال!

# نص مقترح لمن أرسل فكرة تم تنفيذها (يعدّله فريق الحي).
ideas-done-announce = أخبار جيدة عن أفكاركم: { $theme }. أرسلتم أفكارًا، وعملنا بها. شكرًا لمشاركتكم!
