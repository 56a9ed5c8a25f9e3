## The free-text desk: parts, asking back, hand-off, feedback, sources (src/chat/desk.rs,
## src/chat/conversation.rs) and `partnerdesk questions` (src/cli/questions.rs).

# Heading over one part of a reply that answers several questions.
# Variables: $title (String) - the topic's `.title`.
desk-part-heading = ■ { $title }

# Asking back when two topics fit about equally; one button per candidate follows.
desk-ambiguous = どちらについてのご質問でしょうか？ 当てはまるものを選んでください。

# Under an unknown answer when a staff channel is configured.
desk-handoff-button = 担当者と話す
desk-handoff-sent = ご質問を担当者に転送しました。担当者からご連絡します。
desk-handoff-unavailable = 申し訳ございません。いまは担当者に転送できません。上記の PWCS までお問い合わせください。
# The post in the staff channel.
# Variables: $user (String) - who asked; $question (String) - the question; $turns (String) - the last turns, one per line.
desk-handoff-post = 【担当者への引き継ぎ】{ $user } さんからのご質問: { $question }
    直近のやりとり:
    { $turns }

# Feedback buttons under an answer (Discord) and what a press says.
desk-feedback-up = 👍 役に立った
desk-feedback-down = 👎 役に立たなかった
desk-feedback-thanks = ご意見ありがとうございます。
desk-feedback-unknown = この回答はもう記録にありません。

# After 「日本 IBM 創立記念日」 / "founding anniversary" in PWCS's hours: the calendar's date.
# Variables: $month (Number), $day (Number).
desk-anniversary-date = { " " }({ $month }/{ $day })

# One short line under each answer: where it comes from.
# Variables: $source (String) - the document and section, from `desk-source-<topic>`.
desk-source = 出典: { $source }
desk-source-register-company = PartnerWorld ご登録ガイド「初めてPartnerWorldに登録する(企業プロフィールの新規登録)」
desk-source-ibm-id = PartnerWorld ご登録ガイド「Step 1 IBM IDの取得」/ Aspera パートナー様向けガイド「2. Aspera パートナーの重要なアクション」
desk-source-join-company = PartnerWorld ご登録ガイド「すでにPartnerWorldに企業登録があり、個人を追加登録する」
desk-source-company-token = PartnerWorld ご登録ガイド「会社トークン方式による追加登録」
desk-source-apa = PartnerWorld ご登録ガイド「既存の企業プロフィールに自分の情報を追加登録」
desk-source-agreement = PartnerWorld ご登録ガイド「PartnerWorld合意書(PartnerWorldのご参加条件)への同意」
desk-source-review = PartnerWorld ご登録ガイド「審査と登録完了通知」
desk-source-pps = PartnerWorld ご登録ガイド「PartnerWorld プロファイル・システム (PPS) とは?」
desk-source-pwcs = PartnerWorld ご登録ガイド「PartnerWorld コンタクト・サービス (PWCS)」
desk-source-contract-transfer = Aspera パートナー様向けガイド「1. IBM への契約継承について」
desk-source-credit-review = Aspera パートナー様向けガイド「1. IBM への契約継承について」(与信審査)
desk-source-ibm-profile = Aspera パートナー様向けガイド「2. Aspera パートナーの重要なアクション」(IBM プロファイルの作成)
desk-source-billing = Aspera パートナー様向けガイド「3. お支払とご発注に関する変更点」(取引先名称の変更、ご請求に関する変更)
desk-source-payment-terms = Aspera パートナー様向けガイド「3. お支払とご発注に関する変更点」(お支払条件)
desk-source-currency-language = Aspera パートナー様向けガイド「3. お支払とご発注に関する変更点」(通貨、使用言語)
desk-source-tax = Aspera パートナー様向けガイド「3. お支払とご発注に関する変更点」(税金について)
desk-source-customer-number = Aspera パートナー様向けガイド「3. お支払とご発注に関する変更点」(IBM お客様番号)
desk-source-product-names = Aspera パートナー様向けガイド「3. お支払とご発注に関する変更点」(製品番号および製品名称の変更、書類の書式変更および発行)
desk-source-aspera-support = Aspera パートナー様向けガイド「4. ソフトウェア・サポート」
desk-source-support-contacts = Aspera パートナー様向けガイド「4. ソフトウェア・サポート」(プライマリー・コンタクト、テクニカル・サポート・コンタクト)
desk-source-renewal = Aspera パートナー様向けガイド「5. ソフトウェア・サブスクリプション＆サポート更新」
desk-source-privacy = Aspera パートナー様向けガイド「6. プライバシー・ポリシー」

## `partnerdesk questions unanswered`
# Variables: $count (Number) - how many questions; $example (String) - one of them; $topics (String) - topics or "unknown"; $outcome (String).
questions-group = { $count } 件 [{ $outcome }; { $topics }] 例: { $example }
questions-none = 記録された未回答の質問はありません。
questions-no-text = (本文は記録されていません)
config-allowed-idle-minutes = 指定できる値: 1 から 1440 までの整数 (分)
