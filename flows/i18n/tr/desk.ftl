# Mahalle ekibi masasından sakinlere giden metinler: yardım istekleri ve fikirlere cevaplar.
# Sadece sakinlere giden metinler burada; desk- ile başlayan ekip metinleri her zaman Hollandaca.

## Bir sakinin yardım isteği (YARDIM'dan sonra)

help-offer = Mahalle ekibinden biri size mesaj göndersin mi?
help-offer-yes = Evet, lütfen
help-offer-no = Hayır, teşekkürler
help-subject-ask = Konu ne? Tek cümleyle yazın.
    Söylemek istemezseniz ATLA gönderin.
help-declined = Tamam. Sonra yardım isterseniz YARDIM (veya HULP) gönderin.
help-opened = Teşekkürler. Mahalle ekibinden biri size mesaj gönderecek.
help-already-open = Yardım isteğiniz zaten mahalle ekibinde. Bir mesaj gönderin, ben onu eklerim.
help-added = Mesajınızı yardım isteğinize ekledim. Mahalle ekibi onu okuyacak.
help-relayed = Mesajınızı şuna ilettim: { $name }.
help-closed-resident = Mahalle ekibi yardım isteğinizi kapattı. Başka bir şey lazımsa YARDIM (veya HULP) gönderin.
help-when-open = Mahalle ekibi şu an çalışıyor. En kısa zamanda cevap alacaksınız.
    Çalışma saatleri: { $hours }.
help-when-closed = Mahalle ekibi yeniden çalışıyor: { $day }, saat { $time }. O zaman cevap alacaksınız.
    Çalışma saatleri: { $hours }.
help-when-hours = Mahalle ekibinin çalışma saatleri: { $hours }.
help-today = bugün
help-tomorrow = yarın
help-days-range = { $from } ile { $to } arası
help-signature = Sevgiler, { $name } — { $team }
help-signature-team = Sevgiler, { $team }
help-answer-back = Bu mesaja cevap vermeniz yeterli.
help-team = mahalle ekibi
help-team-nazareth = Nazareth mahalle ekibi
help-team-pottenberg = Pottenberg mahalle ekibi

## Bir sakinin fikri hakkında haber

idea-status-bekeken = Mahalle ekibi fikrinize baktı: “{ $idea }”
idea-status-gepland = Fikriniz hakkında iyi haber: “{ $idea }”. Bunun üzerinde çalışacağız!
idea-status-gedaan = Fikriniz yapıldı: “{ $idea }”. Teşekkürler!
idea-status-niet-haalbaar = Fikriniz hakkında: “{ $idea }”. Maalesef bu mümkün olmuyor. Katkınız için teşekkürler.
idea-reply-intro = Fikrinize bir cevap: “{ $idea }”
