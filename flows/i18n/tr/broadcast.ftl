# Mahalle ekibinin gönderdiği haberler, straatpraat toplantıları ve anketler.
# resident.ftl ile aynı kurallar: sade Türkçe, kısa cümleler, mesaj başına bir soru, anahtar kelimeler büyük harfle.

## Haberler

flash-rsvp-ask = Geliyor musunuz? EVET gönderin.
flash-rsvp-thanks = Geleceğinize sevindik! Görüşmek üzere.
flash-rsvp-already = Geleceğinizi zaten söylemiştiniz. Görüşmek üzere!
flash-rsvp-no = Yazık. Belki bir dahaki sefere!

rsvp-pick-ask = Birkaç davetiniz var. Hangisine geliyorsunuz?
rsvp-pick-session = Straatpraat: { $when }
rsvp-pick-untitled = Başlıksız davet
rsvp-pick-closed = Buna artık kayıt olamazsınız. Yazık!
rsvp-pick-cancelled = Tamam, şimdilik hiçbir şey saymıyoruz. Yine de gelirseniz EVET gönderin.

## Straatpraat

session-announce = Straatpraat: belediyeyle konuşun!
    Ne zaman: { $when }
    Nerede: { $where }
    Kimler geliyor: { $who }
session-question-offer = Önceden bir soru da gönderebilirsiniz. SORU (veya VRAAG) gönderin.
session-rsvp-thanks = Geleceğinize sevindik! O gün size bir hatırlatma göndereceğiz.
    Önceden bir şey sormak ister misiniz? SORU (veya VRAAG) gönderin.
session-reminder = Bugün straatpraat var!
    Saat: { $time }
    Nerede: { $where }
    Birazdan görüşürüz!
session-summary-intro = Straatpraat için teşekkürler! Bunları duyduk ve bunları yapacağız:
session-cancelled = Dikkat: { $when } tarihli straatpraat yapılmayacak. Özür dileriz.
results-intro = "{ $poll }" cevaplarınız için teşekkürler! Sonuç şöyle:
results-line = { $question }: %{ $share } "{ $answer }" seçti.
results-too-few = { $question }: bir şey söylemek için çok az cevap var.
results-outro = Mahalle ekibi bununla çalışmaya başlayacak.
session-question-ask = Ne sormak istiyorsunuz? Sorunuzu tek mesajda yazın.
session-question-retry = Henüz bir soru göremiyorum. Sorunuzu tek mesajda yazın.
session-question-cancelled = Tamam, soru yok. Sonra aklınıza gelirse SORU (veya VRAAG) gönderin.
session-question-theme-ask = Sorunuz ne hakkında?
session-question-thanks = Teşekkürler! Sorunuz adınız olmadan mahalle ekibine gidiyor.
session-none = Şu an planlanmış bir straatpraat yok. Olunca size mesaj göndeririz.

## Anketler

wave-invite = Mahalle ekibi fikrinizi öğrenmek istiyor.
wave-reminder = Mahalle ekibi fikrinizi hâlâ duymak istiyor. Soruları cevaplamak için ANKET (veya PEILING) gönderin.
wave-closed = Bu sorular artık kapalı. Cevabınız artık sayılmıyor. Yine de teşekkürler!

# Fikri yapılan sakinlere önerilen mesaj (mahalle ekibi düzenler).
ideas-done-announce = Fikirleriniz hakkında iyi haber: { $theme }. Fikir verdiniz, biz de bir şey yaptık. Katkınız için teşekkürler!
