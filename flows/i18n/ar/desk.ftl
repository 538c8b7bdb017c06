# نصوص من فريق الحي إلى السكان: طلبات المساعدة والردود على الأفكار.
# هنا نصوص السكان فقط؛ نصوص الفريق التي تبدأ بـ desk- تبقى بالهولندية دائمًا.

## طلب مساعدة من أحد السكان (بعد «مساعدة»)

help-offer = هل تريد أن يرسل لك شخص من فريق الحي رسالة؟
help-offer-yes = نعم، من فضلك
help-offer-no = لا، شكرًا
help-subject-ask = ما الموضوع؟ اكتبه في جملة واحدة.
    أو أرسل «تخطي» إذا كنت تفضّل ألا تقول.
help-declined = حسنًا. أرسل «مساعدة» (أو HULP) إذا أردت المساعدة لاحقًا.
help-opened = شكرًا لك. سيرسل لك شخص من فريق الحي رسالة.
help-already-open = طلب مساعدتك موجود بالفعل عند فريق الحي. أرسل رسالة فقط، وسأضيفها إليه.
help-added = أضفت رسالتك إلى طلب مساعدتك. سيقرؤها فريق الحي.
help-relayed = أرسلت رسالتك إلى { $name }.
help-closed-resident = أغلق فريق الحي طلب مساعدتك. أرسل «مساعدة» (أو HULP) إذا احتجت شيئًا آخر.
help-when-open = فريق الحي يعمل الآن. ستحصل على رد في أقرب وقت.
    أوقات العمل: { $hours }.
help-when-closed = يعود فريق الحي إلى العمل { $day } الساعة { $time }. عندها ستحصل على رد.
    أوقات العمل: { $hours }.
help-when-hours = أوقات عمل فريق الحي: { $hours }.
help-today = اليوم
help-tomorrow = غدًا
help-days-range = من { $from } إلى { $to }
help-signature = مع التحية، { $name } — { $team }
help-signature-team = مع التحية، { $team }
help-answer-back = فقط رد على هذه الرسالة.
help-team = فريق الحي
help-team-nazareth = فريق حي Nazareth
help-team-pottenberg = فريق حي Pottenberg

## خبر عن فكرة أحد السكان

idea-status-bekeken = اطّلع فريق الحي على فكرتك: «{ $idea }»
idea-status-gepland = خبر جيد عن فكرتك «{ $idea }». سنبدأ العمل عليها!
idea-status-gedaan = تم تنفيذ فكرتك «{ $idea }». شكرًا لك!
idea-status-niet-haalbaar = عن فكرتك «{ $idea }»: للأسف هذا غير ممكن. شكرًا لمشاركتك.
idea-reply-intro = رد على فكرتك «{ $idea }»:
