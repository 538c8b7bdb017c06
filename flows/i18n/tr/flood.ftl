# Biri çok kısa sürede çok fazla mesaj gönderdiğinde (bir dakikada 20'den fazla).
# Dakikada bir kez; sonra ortalık sakinleşene kadar cevap yok.

flood-slow-down = Çok hızlı mesaj gönderiyorsunuz. Lütfen bir dakika bekleyin. Sonra size seve seve yardım ederim.
