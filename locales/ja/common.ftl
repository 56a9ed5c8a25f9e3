# Shared words and the service's own errors.
app-name = PartnerWorld デスク
error-internal = 申し訳ありません。処理中に問題が発生しました。しばらくしてからもう一度お試しください。
