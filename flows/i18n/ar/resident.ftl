# نصوص للسكان، بالعربية الفصحى البسيطة. يجب أن يراجعها متحدث أصلي.
# جمل قصيرة (12 كلمة على الأكثر)، سؤال واحد في كل رسالة.
# الكلمات المفتاحية بين «»، والكلمة الهولندية بين قوسين تعمل أيضًا.
# الرموز التعبيرية للزينة فقط، وليست الشرح الوحيد أبدًا. لا أسطر فارغة داخل النص.

## الانضمام

welcome = مرحبًا! 👋 هذا Straatpraat، من فريق الحي وبلدية ماستريخت.
    أنا كمبيوتر، ولست إنسانًا.
    هنا يمكنك أن تعطي رأيك في حيّك.
language-ask = بأي لغة تريد أن نتكلم؟
    In welke taal wil je praten?
language-nl = Nederlands
language-en = English
language-tr = Türkçe
language-pl = Polski
language-ar = العربية
consent-ask = هكذا يعمل:
    يمكنك المشاركة من عمر 16 سنة.
    نرسل لك أحيانًا سؤالًا قصيرًا عن حيّك.
    نحفظ حيّك وفئتك العمرية وإجاباتك.
    ذكر فئتك العمرية ليس إلزاميًا.
    في نتائجنا، إجاباتك منفصلة عن رقم هاتفك.
    يمكنك التوقف في أي وقت: أرسل «توقف» (أو STOP).
    ويمكنك أيضًا حذف كل شيء: أرسل «احذف» (أو VERWIJDER).
    لمعرفة المزيد: { $url }
    هل تشارك؟
consent-yes = نعم، أشارك
consent-no = لا، شكرًا
consent-refused = للأسف، لكن لا بأس. لن نرسل لك أسئلة. هل تريد المشاركة لاحقًا؟ أرسل «ابدأ» (أو START).
refused-hint = أنت لا تشارك الآن. هل تريد المشاركة؟ أرسل «ابدأ» (أو START).
consent-changed = غيّرنا طريقة تعاملنا مع بياناتك. اقرأ ذلك في الأسفل. بعدها يمكنك المتابعة.
consent-renewed = شكرًا لك. أنت تشارك من جديد.
consent-withdrawn = حسنًا. لن نرسل لك أسئلة أو أخبارًا بعد الآن. تبقى إجاباتك السابقة محفوظة، بدون اسمك. أرسل «احذف» (أو VERWIJDER) إذا أردت حذف كل شيء. أرسل «ابدأ» (أو START) إذا أردت المشاركة.
area-ask = في أي حي تسكن؟
area-nazareth = Nazareth
area-pottenberg = Pottenberg
area-elders = جزء آخر من ماستريخت
area-geen = أفضّل ألا أقول
age-ask = كم عمرك؟ يمكنك تخطي هذا السؤال.
age-tot16 = أقل من 16
age-16-26 = 16–26
# الفئات من قبل حد 16 سنة؛ فقط لمن اختارها سابقًا (بياناتي).
age-tot18 = أقل من 18
age-18-26 = 18–26
age-27-40 = 27–40
age-41-65 = 41–65
age-65plus = أكثر من 65
age-geen = تخطي
age-too-young = شكرًا لك! المشاركة ممكنة فقط من عمر 16 سنة.
age-youth-place = للشباب يوجد { $name }. يسعدهم أن يساعدوك.
age-youth-url = انظر هنا: { $url }
age-youth-none = العاملون مع الشباب أو مدرستك يسعدهم أن يساعدوك.
age-too-young-erased = حذفنا كل شيء عنك. لن يصلك منا أي شيء بعد الآن.
age-change-ask = كم عمرك؟ اختر فئتك العمرية.
age-check-ask = فئتك العمرية الآن: { $age }. هل هذا ما زال صحيحًا؟
age-changed = حسنًا، فئتك العمرية الآن: { $age }.
age-confirmed = شكرًا لك! فئتك العمرية تبقى كما هي.
join-done = تم، أنت مشارك الآن! 🎉 أرسل «مساعدة» (أو HULP) للمساعدة ولكل الكلمات الممكنة.

## الإجابة

ask-hint = اضغط على إجابتك، أو أرسل رقمها.
ask-hint-typed = أرسل رقم إجابتك.
ask-hint-multi = يمكنك اختيار أكثر من إجابة. أرسل مثلًا: 1 و 3
retry = عذرًا، لم أفهم ذلك.
retry-hint = أرسل رقم إجابتك فقط. مثلًا: 2
retry-hint-multi = أرسل أرقام إجاباتك. مثلًا: 1 و 3
text-skip-hint = اكتب إجابتك في رسالة واحدة. لا تريد الكتابة؟ أرسل «تخطي».

## الكلمات المفتاحية

start-already = أنت مشارك بالفعل. أرسل «مساعدة» (أو HULP) لترى ما يمكنك فعله.
start-welcome-back = أهلًا بعودتك! ستصلك رسائلنا من جديد.
stop-confirm = تم إلغاء اشتراكك، ولن تصلك رسائل بعد الآن. هل تريد العودة؟ أرسل «ابدأ» (أو START).
stopped-hint = اشتراكك ملغى. أرسل «ابدأ» (أو START) لتشارك من جديد.
stop-news-confirm = لن تصلك أخبار منا بعد الآن. ستصلك الأسئلة عن حيّك كالمعتاد.
    هل تريد الأخبار من جديد؟ أرسل «فعّل الأخبار» (أو NIEUWS AAN).
news-on-confirm = حسنًا، ستصلك أخبارنا من جديد.
news-ask = عن أي مواضيع تريد أن تصلك الأخبار؟
news-all = كل شيء
news-none = لا شيء
news-now-all = تصلك الآن أخبار عن كل المواضيع.
news-now-none = لا تصلك الآن أي أخبار.
news-now-topics = تصلك الآن أخبار عن: { $topics }.
news-changed-all = حسنًا، ستصلك أخبار عن كل المواضيع.
news-changed-none = حسنًا، لن تصلك أخبار بعد الآن. ستصلك الأسئلة عن حيّك كالمعتاد.
    هل تريد الأخبار من جديد؟ أرسل «فعّل الأخبار» (أو NIEUWS AAN).
news-changed-topics = حسنًا، تصلك الآن أخبار عن: { $topics }.
help-intro = هل تحتاج مساعدة؟ يسعد فريق الحي أن يساعدك.
help-address = العنوان: { $address }
help-hours = أوقات الدوام: { $hours }
help-phone = الهاتف: { $phone }
help-none = تحدث مع شخص من فريق الحي في حيّك.
keywords-list = يمكنك دائمًا أن ترسل:
    فكرة (IDEE): أرسل لنا فكرة
    استطلاع (PEILING): تابع الأسئلة المفتوحة
    لغة (TAAL): اختر لغة أخرى
    حي (BUURT): اختر حيًا آخر
    عمر (LEEFTIJD): اختر فئة عمرية أخرى
    بياناتي (GEGEVENS): اعرف ما نحفظه عنك
    أخبار (NIEUWS): اختر الأخبار التي تصلك
    أوقف الأخبار (STOP NIEUWS): لا أخبار بعد الآن
    فعّل الأخبار (NIEUWS AAN): الأخبار من جديد
    توقف (STOP): لا رسائل بعد الآن
    احذف (VERWIJDER): احذف كل شيء عنك
    مساعدة (HULP): هذه القائمة
language-changed = حسنًا، سأتكلم معك بالعربية الآن.
area-changed = حسنًا، حيّك الآن: { $area }.
nothing-changed = لم يتغير شيء.
data-title = هذا ما نحفظه عنك:
data-channel = القناة: { $channel }
data-joined = مشارك منذ: { $date }
data-join-source = طريقة الانضمام: { $source }
data-language = اللغة: { $language }
data-area = الحي: { $area }
data-age = العمر: { $age }
data-consent-given = الموافقة: أُعطيت في { $date } (الإصدار { $version })
data-consent-refused = الموافقة: لم تُعطَ ({ $date })
data-consent-none = الموافقة: لم تُعطَ بعد
data-news-on = الأخبار: مفعّلة، عن كل المواضيع
data-news-off = الأخبار: متوقفة
data-news-topics = الأخبار: مفعّلة، عن { $topics }
data-status-active = الحالة: مشارك
data-status-stopped = الحالة: الاشتراك ملغى
data-answers = { $count ->
        [0] لم تعطِ أي إجابة بعد.
        [one] لديك إجابة واحدة، مع أسبوع إرسالها:
        [two] لديك إجابتان، مع أسبوع إرسال كل منهما:
        [few] لديك { $count } إجابات، مع أسبوع إرسال كل منها:
        [many] لديك { $count } إجابة، مع أسبوع إرسال كل منها:
       *[other] لديك { $count } إجابة، مع أسبوع إرسال كل منها:
    }
data-answer = • { $poll }، أسبوع { $week }: { $question } ← { $answer }
data-answer-text = كتبت: «{ $text }»
data-answer-dont-know = لا أعرف
data-answer-skipped = تم التخطي
data-answer-invalid = لم تُفهم
data-waves = { $count ->
        [0] لم يصلك أي استطلاع بعد.
        [one] وصلك استطلاع واحد:
        [two] وصلك استطلاعان:
        [few] وصلتك { $count } استطلاعات:
        [many] وصلك { $count } استطلاعًا:
       *[other] وصلك { $count } استطلاع:
    }
data-wave = • { $poll } ({ $date })، الحالة: { $status }
data-wave-held = قادم
data-wave-invited = لم يبدأ بعد
data-wave-started = بدأ
data-wave-finished = انتهى
data-ideas = { $count ->
        [0] لم ترسل أي فكرة بعد.
        [one] لديك فكرة واحدة:
        [two] لديك فكرتان:
        [few] لديك { $count } أفكار:
        [many] لديك { $count } فكرة:
       *[other] لديك { $count } فكرة:
    }
data-idea = • { $date }: «{ $text }»، الحالة: { $status }
data-idea-reply = رد فريق الحي في { $date }: «{ $text }»
data-idea-media-image = مع صورتك. { $days ->
        [one] نحتفظ بها يومًا واحدًا على الأكثر.
        [two] نحتفظ بها يومين على الأكثر.
        [few] نحتفظ بها { $days } أيام على الأكثر.
        [many] نحتفظ بها { $days } يومًا على الأكثر.
       *[other] نحتفظ بها { $days } يوم على الأكثر.
    }
data-idea-media-audio = مع رسالتك الصوتية. { $days ->
        [one] نحتفظ بها يومًا واحدًا على الأكثر.
        [two] نحتفظ بها يومين على الأكثر.
        [few] نحتفظ بها { $days } أيام على الأكثر.
        [many] نحتفظ بها { $days } يومًا على الأكثر.
       *[other] نحتفظ بها { $days } يوم على الأكثر.
    }
data-idea-new = جديدة
data-idea-seen = اطّلع عليها فريق الحي
data-idea-planned = مخطط لها
data-idea-done = تم تنفيذها
data-idea-not-possible = غير ممكنة للأسف
data-help-requests = { $count ->
        [0] ليس لديك طلبات مساعدة لفريق الحي.
        [one] لديك طلب مساعدة واحد لفريق الحي:
        [two] لديك طلبا مساعدة لفريق الحي:
        [few] لديك { $count } طلبات مساعدة لفريق الحي:
        [many] لديك { $count } طلب مساعدة لفريق الحي:
       *[other] لديك { $count } طلب مساعدة لفريق الحي:
    }
data-help-request = • { $date }: «{ $subject }»، الحالة: { $status }
data-help-request-no-subject = • { $date }، الحالة: { $status }
data-help-open = مفتوح
data-help-taken = فريق الحي يعمل عليه
data-help-closed = مغلق
data-help-message-resident = كتبت في { $date }: «{ $text }»
data-help-message-staff = كتب فريق الحي في { $date }: «{ $text }»
data-rsvps = { $count ->
        [0] لم تقل بعد إنك ستحضر أي نشاط.
        [one] قلت إنك ستحضر نشاطًا واحدًا:
        [two] قلت إنك ستحضر نشاطين:
        [few] قلت إنك ستحضر { $count } أنشطة:
        [many] قلت إنك ستحضر { $count } نشاطًا:
       *[other] قلت إنك ستحضر { $count } نشاط:
    }
data-rsvp = • { $what } (قلت ذلك في { $date })
data-session = لقاء straatpraat في { $date }
data-flash = الرسالة «{ $text }»
data-session-question = أرسلت سؤالًا إلى { $what }.
data-session-questions-unlinked = نحفظ هذه الأسئلة بدون اسمك أو رقمك.
    لذلك لا نستطيع ربطها بك أو عرضها.
data-messages = { $count ->
        [0] لا نحفظ الآن أي رسائل بيننا وبينك.
        [one] نحفظ رسالة واحدة بيننا وبينك.
        [two] نحفظ رسالتين بيننا وبينك.
        [few] نحفظ { $count } رسائل بيننا وبينك.
        [many] نحفظ { $count } رسالة بيننا وبينك.
       *[other] نحفظ { $count } رسالة بيننا وبينك.
    }
data-messages-retention = { $days ->
        [one] نحذف كل رسالة بعد يوم واحد.
        [two] نحذف كل رسالة بعد يومين.
        [few] نحذف كل رسالة بعد { $days } أيام.
        [many] نحذف كل رسالة بعد { $days } يومًا.
       *[other] نحذف كل رسالة بعد { $days } يوم.
    } هكذا نستطيع إصلاح الأخطاء.
data-empty = غير مذكور
data-not-stored = لا نحفظ اسمك ولا عنوانك.
    نحفظ الصورة فقط إذا أرسلتها مع فكرة.
    نستخدم رقمك فقط لنرسل لك الرسائل.
    إجاباتك منفصلة عن رقمك.
    هل تريد حذف كل شيء؟ أرسل «احذف» (أو VERWIJDER).
channel-console = وحدة التحكم
channel-telegram = Telegram
channel-whatsapp = WhatsApp
channel-whatsapp-cloud = WhatsApp
delete-ask = سنحذف كل شيء عنك: بياناتك وإجاباتك وأفكارك.
    هل أنت متأكد؟
delete-yes = نعم، احذف كل شيء
delete-no = لا، لا تحذف
delete-done = تم، حذفنا كل شيء عنك. شكرًا لك ومع السلامة!
delete-cancelled = حسنًا، لم نحذف أي شيء.

## الاستطلاعات

poll-none = لا توجد أسئلة لك الآن. سنرسل لك رسالة عندما يكون هناك شيء.
poll-paused = أسئلتك ما زالت مفتوحة. أرسل «استطلاع» (أو PEILING) للمتابعة.
poll-thanks = شكرًا لك على إجاباتك! 🙏
    فريق الحي يقرأ كل الإجابات.
    ستعرف في هذه المحادثة ماذا سنفعل بها.

## الأفكار

idea-ask = ما فكرتك؟ اكتبها في رسالة واحدة.
idea-retry = لا أرى فكرة بعد. اكتب فكرتك في رسالة واحدة.
idea-cancelled = حسنًا، بدون فكرة الآن. أرسل «فكرة» (أو IDEE) عندما تخطر لك فكرة.
idea-theme-ask = عن أي موضوع فكرتك؟
idea-media-kept-image = شكرًا، سأحفظ صورتك مع فكرتك.
    يمكن لفريق الحي أن يراها.
idea-media-kept-audio = شكرًا، سأحفظ رسالتك الصوتية مع فكرتك.
    يمكن لفريق الحي أن يستمع إليها.
idea-media-add-text = هل تريد أن تكتب شيئًا معها؟ أرسل رسالة واحدة. أو أرسل «لا».
idea-media-one = أحفظ صورة واحدة أو رسالة صوتية واحدة لكل فكرة.
idea-media-too-large = عذرًا، هذا الملف كبير جدًا. الحد الأقصى { $mb } ميغابايت.
    من فضلك اكتب فكرتك في رسالة واحدة.
theme-gezondheid = الصحة والرفاهية
theme-geld-werk = المال والعمل
theme-leren = التعلم والفرص
theme-wonen = السكن والحي
theme-anders = شيء آخر
idea-thanks = شكرًا لك على فكرتك! 💡
    فريق الحي يقرأ كل فكرة.
    ستعرف في هذه المحادثة ماذا سنفعل بها.

## لم أفهم

unplaced-offer = لم أفهم سؤالك. هل تريد أن يرد عليك شخص من فريق الحي؟

idle-menu = عذرًا، لم أفهم ذلك. أنا كمبيوتر.
    أرسل «فكرة» (أو IDEE) لفكرة، أو «مساعدة» (أو HULP) للمساعدة.
media-in-question = عذرًا، لا أستطيع بعد أن أرى الصور أو أسمع الرسائل الصوتية.
    اضغط على إجابتك أو اكتبها. هل تفضّل التحدث مع شخص؟ أرسل «مساعدة» (أو HULP).
media-at-menu = عذرًا، لا أستطيع بعد أن أرى الصور أو أسمع الرسائل الصوتية.
    أرسل «فكرة» (أو IDEE) لفكرة. هل تفضّل التحدث مع شخص؟ أرسل «مساعدة» (أو HULP).
