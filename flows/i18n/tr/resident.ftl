# Sakinler için metinler, sade Türkçe (B1). Anadili Türkçe olan biri kontrol etmeli.
# Kısa cümleler (en fazla 12 kelime), mesaj başına bir soru, "siz" ile.
# Anahtar kelimeler büyük harfle; Hollandaca kelime parantez içinde de çalışır.
# Emoji sadece süs, asla tek açıklama değil. Metin içinde boş satır yok.

## Katılma

welcome = Merhaba! 👋 Burası Straatpraat, mahalle ekibi ve Maastricht Belediyesi'nden.
    Ben bir bilgisayarım, insan değilim.
    Burada mahalleniz hakkında fikrinizi söyleyebilirsiniz.
language-ask = Hangi dilde konuşmak istersiniz?
    In welke taal wil je praten?
consent-ask = Nasıl çalışır:
    16 yaşından itibaren katılabilirsiniz.
    Bazen mahalleniz hakkında kısa bir soru göndeririz.
    Mahallenizi, yaş grubunuzu ve cevaplarınızı saklarız.
    Yaş grubunuzu vermek zorunlu değil.
    Sonuçlarımızda cevaplarınız telefon numaranızdan ayrı durur.
    İstediğiniz zaman bırakabilirsiniz: DUR (veya STOP) gönderin.
    Her şeyi silebilirsiniz de: SİL (veya VERWIJDER) gönderin.
    Daha fazla bilgi: { $url }
    Katılıyor musunuz?
consent-yes = Evet, katılıyorum
consent-no = Hayır, teşekkürler
consent-refused = Yazık, ama sorun değil. Size soru göndermeyeceğiz. Sonra katılmak isterseniz BAŞLA (veya START) gönderin.
refused-hint = Şu an katılmıyorsunuz. Katılmak isterseniz BAŞLA (veya START) gönderin.
consent-changed = Bilgilerinizi kullanma şeklimizi değiştirdik. Lütfen aşağıda okuyun. Sonra devam edebilirsiniz.
consent-renewed = Teşekkürler. Yeniden katılıyorsunuz.
consent-withdrawn = Tamam. Artık size soru ve haber göndermeyeceğiz. Önceki cevaplarınız adınız olmadan saklı kalır. Her şeyi silmek için SİL (veya VERWIJDER) gönderin. Yine katılmak isterseniz BAŞLA (veya START) gönderin.
area-ask = Hangi mahallede oturuyorsunuz?
area-nazareth = Nazareth
area-pottenberg = Pottenberg
area-elders = Maastricht'in başka bir yeri
area-geen = Söylemek istemiyorum
age-ask = Kaç yaşındasınız? Bunu atlayabilirsiniz.
age-tot16 = 16 yaşından küçük
age-16-26 = 16–26
# 16 yaş sınırından önceki gruplar; sadece onları daha önce seçenler için (BİLGİLERİM).
age-tot18 = 18 yaşından küçük
age-18-26 = 18–26
age-27-40 = 27–40
age-41-65 = 41–65
age-65plus = 65 yaşından büyük
age-geen = Atla
age-too-young = Teşekkürler! Katılmak için en az 16 yaşında olmalısınız.
age-youth-place = Gençler için { $name } var. Size seve seve yardım ederler.
age-youth-url = Bakın: { $url }
age-youth-none = Gençlik çalışanları veya okulunuz size seve seve yardım eder.
age-too-young-erased = Sizinle ilgili her şeyi sildik. Bizden artık hiçbir şey gelmeyecek.
age-change-ask = Kaç yaşındasınız? Yaş grubunuzu seçin.
age-check-ask = Yaş grubunuz şu an: { $age }. Bu hâlâ doğru mu?
age-changed = Tamam, yaş grubunuz artık: { $age }.
age-confirmed = Teşekkürler! Yaş grubunuz aynı kalıyor.
join-done = Tamam, katıldınız! 🎉 Yardım ve tüm kelimeler için YARDIM (veya HULP) gönderin.

## Cevap verme

ask-hint = Cevabınıza dokunun veya numarasını gönderin.
ask-hint-typed = Cevabınızın numarasını gönderin.
ask-hint-multi = Birden fazla cevap seçebilirsiniz. Örneğin şunu gönderin: 1 ve 3
retry = Üzgünüm, bunu anlamadım.
retry-hint = Sadece cevabınızın numarasını gönderin. Örneğin: 2
retry-hint-multi = Cevaplarınızın numaralarını gönderin. Örneğin: 1 ve 3
text-skip-hint = Cevabınızı tek mesajda yazın. Yazmak istemezseniz ATLA gönderin.

## Anahtar kelimeler

start-already = Zaten katılıyorsunuz. Neler yapabileceğinizi görmek için YARDIM (veya HULP) gönderin.
start-welcome-back = Tekrar hoş geldiniz! Bizden yine mesaj alacaksınız.
stop-confirm = Aboneliğiniz bitti, artık mesaj almayacaksınız. Geri dönmek mi istiyorsunuz? BAŞLA (veya START) gönderin.
stopped-hint = Aboneliğiniz bitti. Yeniden katılmak için BAŞLA (veya START) gönderin.
stop-news-confirm = Bizden artık haber almayacaksınız. Mahalleniz hakkındaki soruları yine alırsınız.
    Yeniden haber mi istiyorsunuz? HABER AÇ (veya NIEUWS AAN) gönderin.
news-on-confirm = Tamam, bizden yine haber alacaksınız.
news-ask = Hangi konularda haber almak istersiniz?
news-all = Hepsi
news-none = Hiçbiri
news-now-all = Artık tüm konularda haber alıyorsunuz.
news-now-none = Artık haber almıyorsunuz.
news-now-topics = Artık şu konularda haber alıyorsunuz: { $topics }.
news-changed-all = Tamam, tüm konularda haber alacaksınız.
news-changed-none = Tamam, artık haber almayacaksınız. Mahalleniz hakkındaki soruları yine alırsınız.
    Yeniden haber mi istiyorsunuz? HABER AÇ (veya NIEUWS AAN) gönderin.
news-changed-topics = Tamam, artık şu konularda haber alıyorsunuz: { $topics }.
help-intro = Yardım mı lazım? Mahalle ekibi size seve seve yardım eder.
help-address = Adres: { $address }
help-hours = Açık: { $hours }
help-phone = Telefon: { $phone }
help-none = Mahallenizde mahalle ekibinden biriyle konuşun.
keywords-list = Bunları her zaman gönderebilirsiniz:
    FİKİR (IDEE): bize bir fikir gönderin
    ANKET (PEILING): açık sorulara devam edin
    DİL (TAAL): başka bir dil seçin
    MAHALLE (BUURT): başka bir mahalle seçin
    YAŞ (LEEFTIJD): başka bir yaş grubu seçin
    BİLGİLERİM (GEGEVENS): sizin hakkınızda neleri sakladığımızı görün
    HABER (NIEUWS): hangi haberleri alacağınızı seçin
    HABER KAPAT (STOP NIEUWS): artık haber yok
    HABER AÇ (NIEUWS AAN): yeniden haber
    DUR (STOP): artık mesaj yok
    SİL (VERWIJDER): sizin hakkınızdaki her şeyi silin
    YARDIM (HULP): bu liste
language-changed = Tamam, artık sizinle Türkçe konuşuyorum.
area-changed = Tamam, mahalleniz artık: { $area }.
nothing-changed = Hiçbir şey değişmedi.
data-title = Sizin hakkınızda bunları saklıyoruz:
data-channel = Kanal: { $channel }
data-joined = Katılma tarihi: { $date }
data-join-source = Nereden katıldınız: { $source }
data-language = Dil: { $language }
data-area = Mahalle: { $area }
data-age = Yaş: { $age }
data-consent-given = İzin: { $date } tarihinde verildi (sürüm { $version })
data-consent-refused = İzin: verilmedi ({ $date })
data-consent-none = İzin: henüz verilmedi
data-news-on = Haberler: açık, tüm konularda
data-news-off = Haberler: kapalı
data-news-topics = Haberler: açık, şu konularda: { $topics }
data-status-active = Durum: katılıyorsunuz
data-status-stopped = Durum: abonelik bitti
data-answers = { $count ->
        [0] Henüz hiç cevap vermediniz.
        [one] { $count } cevabınız, verdiğiniz haftayla birlikte:
       *[other] { $count } cevabınız, verdiğiniz haftalarla birlikte:
    }
data-answer = • { $poll }, { $week } haftası: { $question } → { $answer }
data-answer-text = yazdığınız: “{ $text }”
data-answer-dont-know = bilmiyorum
data-answer-skipped = atlandı
data-answer-invalid = anlaşılmadı
data-waves = { $count ->
        [0] Henüz hiç anket almadınız.
        [one] { $count } anket aldınız:
       *[other] { $count } anket aldınız:
    }
data-wave = • { $poll } ({ $date }), durum: { $status }
data-wave-held = daha gelecek
data-wave-invited = başlamadı
data-wave-started = başladı
data-wave-finished = bitti
data-ideas = { $count ->
        [0] Henüz hiç fikir göndermediniz.
        [one] { $count } fikriniz:
       *[other] { $count } fikriniz:
    }
data-idea = • { $date }: “{ $text }”, durum: { $status }
data-idea-reply = Mahalle ekibinin cevabı, { $date }: “{ $text }”
data-idea-media-image = Fotoğrafınızla birlikte. { $days ->
        [one] Onu en fazla { $days } gün saklıyoruz.
       *[other] Onu en fazla { $days } gün saklıyoruz.
    }
data-idea-media-audio = Sesli mesajınızla birlikte. { $days ->
        [one] Onu en fazla { $days } gün saklıyoruz.
       *[other] Onu en fazla { $days } gün saklıyoruz.
    }
data-idea-new = yeni
data-idea-seen = mahalle ekibi gördü
data-idea-planned = planlandı
data-idea-done = yapıldı
data-idea-not-possible = maalesef mümkün değil
data-help-requests = { $count ->
        [0] Mahalle ekibinden hiç yardım istemediniz.
        [one] Mahalle ekibinden { $count } yardım isteğiniz:
       *[other] Mahalle ekibinden { $count } yardım isteğiniz:
    }
data-help-request = • { $date }: “{ $subject }”, durum: { $status }
data-help-request-no-subject = • { $date }, durum: { $status }
data-help-open = açık
data-help-taken = mahalle ekibi ilgileniyor
data-help-closed = kapandı
data-help-message-resident = Siz yazdınız, { $date }: “{ $text }”
data-help-message-staff = Mahalle ekibi yazdı, { $date }: “{ $text }”
data-rsvps = { $count ->
        [0] Henüz hiçbir etkinliğe geleceğinizi söylemediniz.
        [one] { $count } etkinliğe geleceğinizi söylediniz:
       *[other] { $count } etkinliğe geleceğinizi söylediniz:
    }
data-rsvp = • { $what } (söylediğiniz tarih: { $date })
data-session = { $date } tarihli straatpraat
data-flash = “{ $text }” mesajı
data-session-question = { $what } için bir soru gönderdiniz.
data-session-questions-unlinked = Bu soruları adınız veya numaranız olmadan saklıyoruz.
    Bu yüzden onları size bağlayamıyor ve gösteremiyoruz.
data-messages = { $count ->
        [0] Şu an sizinle aramızda hiç mesaj saklamıyoruz.
        [one] Sizinle aramızda { $count } mesaj saklıyoruz.
       *[other] Sizinle aramızda { $count } mesaj saklıyoruz.
    }
data-messages-retention = { $days ->
        [one] Her mesajı { $days } gün sonra siliyoruz.
       *[other] Her mesajı { $days } gün sonra siliyoruz.
    } Böylece hataları düzeltebiliyoruz.
data-empty = doldurulmadı
data-not-stored = Adınızı ve adresinizi saklamıyoruz.
    Bir fotoğrafı sadece bir fikirle gönderirseniz saklıyoruz.
    Numaranızı sadece size mesaj göndermek için kullanıyoruz.
    Cevaplarınız numaranızdan ayrı durur.
    Her şeyi silmek mi istiyorsunuz? SİL (veya VERWIJDER) gönderin.
channel-console = Konsol
channel-telegram = Telegram
channel-whatsapp = WhatsApp
channel-whatsapp-cloud = WhatsApp
delete-ask = O zaman sizin hakkınızdaki her şeyi sileriz: bilgileriniz, cevaplarınız ve fikirleriniz.
    Emin misiniz?
delete-yes = Evet, her şeyi sil
delete-no = Hayır, silme
delete-done = Tamam, sizin hakkınızdaki her şeyi sildik. Teşekkürler, hoşça kalın!
delete-cancelled = Tamam, hiçbir şey silinmedi.

## Anketler

poll-none = Şu an size soru yok. Soru olunca size mesaj göndeririz.
poll-paused = Sorularınız hâlâ açık. Devam etmek için ANKET (veya PEILING) gönderin.
poll-thanks = Cevaplarınız için teşekkürler! 🙏
    Mahalle ekibi hepsini okur.
    Ne yaptığımızı bu sohbetten duyacaksınız.

## Fikirler

idea-ask = Fikriniz nedir? Tek mesajda yazın.
idea-retry = Henüz bir fikir göremiyorum. Fikrinizi tek mesajda yazın.
idea-cancelled = Tamam, fikir yok. Aklınıza bir şey gelirse FİKİR (veya IDEE) gönderin.
idea-theme-ask = Fikriniz ne hakkında?
idea-media-kept-image = Teşekkürler, fotoğrafınızı fikrinizle birlikte saklıyorum.
    Mahalle ekibi ona bakabilir.
idea-media-kept-audio = Teşekkürler, sesli mesajınızı fikrinizle birlikte saklıyorum.
    Mahalle ekibi onu dinleyebilir.
idea-media-add-text = Bir şey yazmak ister misiniz? O zaman tek mesaj gönderin. Veya hayır yazın.
idea-media-one = Her fikir için bir fotoğraf veya sesli mesaj saklıyorum.
idea-media-too-large = Üzgünüm, bu dosya çok büyük. En fazla { $mb } megabayt olabilir.
    Fikrinizi lütfen tek mesajda yazın.
theme-gezondheid = Sağlık ve iyi yaşam
theme-geld-werk = Para ve iş
theme-leren = Öğrenme ve fırsatlar
theme-wonen = Konut ve mahalle
theme-anders = Başka bir şey
idea-thanks = Fikriniz için teşekkürler! 💡
    Mahalle ekibi her fikri okur.
    Ne yaptığımızı bu sohbetten duyacaksınız.

## Anlaşılmadı

unplaced-offer = Sorunuzu anlamadım. Mahalle ekibinden biri size cevap versin mi?

idle-menu = Üzgünüm, bunu anlamıyorum. Ben bir bilgisayarım.
    Fikir için FİKİR (veya IDEE), yardım için YARDIM (veya HULP) gönderin.
media-in-question = Üzgünüm, henüz fotoğraflara bakamıyorum ve sesli mesajları dinleyemiyorum.
    Cevabınıza dokunun veya yazın. Biriyle konuşmak mı istiyorsunuz? YARDIM (veya HULP) gönderin.
media-at-menu = Üzgünüm, henüz fotoğraflara bakamıyorum ve sesli mesajları dinleyemiyorum.
    Fikir için FİKİR (veya IDEE) gönderin. Biriyle konuşmak mı istiyorsunuz? YARDIM (veya HULP) gönderin.
