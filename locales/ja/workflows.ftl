# パートナー・ワークフロー(会社登録の審査、会社トークン、ロケーションへの追加登録、承認、本人確認)の文言。
# en/workflows.ftl と同じ id を持ちます。

## 表示名

wf-level-basic = 基本
wf-level-standard = 標準
wf-level-administrator = 管理者
wf-lang-ja = 日本語
wf-lang-en = 英語
wf-role-member = 社員
wf-role-apa = プロフィール管理者 (APA)
wf-role-primary-contact = 主要連絡先
wf-role-technical-contact = テクニカル・サポート連絡先
wf-role-sales-rep = 営業担当員
wf-role-admin = 管理者
wf-reg-status-submitted = 受付済み
wf-reg-status-under-review = 審査中
wf-reg-status-documents-requested = 書類提出待ち
wf-reg-status-completed = 完了
wf-reg-status-rejected = 却下
wf-join-status-pending = 承認待ち
wf-join-status-approved = 承認済み
wf-join-status-rejected = 却下
wf-join-status-expired = 期限切れ
wf-what-company = 会社名
wf-what-location = ロケーション名
wf-what-person = 氏名
wf-what-note = 必要書類のご案内
wf-what-reason = 理由
wf-what-request = 申請番号
wf-what-registration = 登録申請番号
wf-button-approve = 承認
wf-button-reject = 却下

## 入力の誤り

# $value: 入力された値
wf-error-bad-ibm-id = 「{ $value }」は IBM ID (メールアドレス) として読み取れません。例: hanako.yamada@example.co.jp
# $what: 項目名、$value: 入力(改行は空白に置き換えて表示)
wf-error-name-line-break = { $what }に改行 (CR/LF) は使えません: 「{ $value }」
# $code: 制御文字のコード
wf-error-name-control = { $what }に制御文字 ({ $code }) は使えません。
wf-error-name-empty = { $what }が空です。
wf-error-name-long = { $what }が長すぎます({ $max } 文字まで)。
wf-error-note-empty = { $what }を入力してください。
wf-error-bad-lang = 「{ $value }」には対応していません。ja または en を指定してください。
wf-error-bad-id = { $what }「{ $value }」を番号として読み取れません。例: 42
wf-error-bad-zone = 「{ $value }」はタイムゾーンとして読み取れません。例: Asia/Tokyo
wf-error-bad-number = 「{ $value }」は番号として長すぎるか、使えない文字を含んでいます。
wf-error-no-company = 会社「{ $value }」が見つかりません。
wf-error-no-location = ロケーション「{ $value }」が見つかりません。
wf-error-no-person = IBM ID「{ $ibm_id }」の方は登録されていません。先に「partnerdesk person add」で登録してください。
wf-error-no-registration = 登録申請 { $value } は見つかりません。
wf-error-no-request = 申請 { $value } は見つかりません。
wf-error-location-exists = { $company } には、すでにロケーション「{ $location }」があります。
# $role: 役割の表示名
wf-error-role-needs-company = { $role }は会社ごとの役割です。会社を指定してください(--company)。
wf-error-admin-no-company = 管理者は会社に属さない役割です。会社は指定しないでください。
# $levels: 指定できる権限レベル
wf-error-level-needed = 権限レベルを指定してください: { $levels }
wf-error-bad-level = 「{ $value }」は権限レベルではありません。指定できるのは { $levels } です。
wf-error-reason-needed = 却下の理由を入力してください。例: /reject request:{ $id } reason:"ロケーションが違います"
wf-error-note-needed = 必要な書類を入力してください(申請者にメールでお知らせします)。
# $from, $to: 状態の表示名
wf-error-registration-step = 登録申請 { $id } ({ $company }) は「{ $from }」のため、「{ $to }」にはできません。

## チャット: 共通

wf-chat-no-store = この画面ではデータベースを使えないため、手続きのコマンドは利用できません。
wf-chat-link-first = この操作には本人確認が必要です。「/link ibm-id:メールアドレス」で確認コードを受け取り、「/verify code:123456」でこのチャットのアカウントと IBM ID を結び付けてください。ご質問にはこのままお答えします。
wf-chat-no-profile = まだ社員プロフィールがありません。「/join token:会社トークン」で会社に追加登録を申請するか、貴社のプロフィール管理者 (APA) にご連絡ください。
# $status: PWCS の現在の受付状況
wf-chat-pwcs = プロフィール管理者が不明の場合は、PartnerWorld コンタクト・サービス (PWCS) にお問い合わせください: ☎ 0120-07-2004 (携帯電話・PHSからもつながります。音声ガイドに従って「3」を押すと PWCS につながります)。窓口受付時間 平日 9:00~12:00 および 13:00~17:00 (祝日、日本 IBM 創立記念日、12/30~1/3 を除く)。{ $status }
wf-chat-no-apa = この会社にはプロフィール管理者 (APA) がまだ登録されていません。
# $user: 運用担当者のユーザー名
wf-chat-by-operator = 運用担当者 ({ $user })

## チャット: 本人確認

wf-chat-link-usage = IBM ID (メールアドレス) を指定してください。例: /link ibm-id:hanako.yamada@example.co.jp
wf-chat-link-sent = { $ibm_id } に 6 桁の確認コードをお送りしました。{ $minutes } 分以内に「/verify code:123456」の形で入力してください(入力は { $tries } 回まで)。
wf-chat-link-too-many = 確認コードの送信回数が上限に達しました。{ $until } 以降にもう一度お試しください。
wf-chat-verify-usage = メールでお送りした 6 桁の確認コードを入力してください。例: /verify code:123456
wf-chat-verify-linked = 本人確認ができました。このアカウントは { $name } 様 ({ $ibm_id }) として手続きできます。
wf-chat-verify-wrong = 確認コードが違います。あと { $remaining } 回入力できます。
wf-chat-verify-expired = 確認コードの有効期限が切れました。「/link ibm-id:メールアドレス」でもう一度お受け取りください。
wf-chat-verify-too-many = 確認コードを間違えた回数が上限に達しました。「/link ibm-id:メールアドレス」で新しいコードをお受け取りください。
wf-chat-verify-none = 有効な確認コードがありません。先に「/link ibm-id:メールアドレス」で確認コードをお受け取りください。

## チャット: 会社トークン方式

wf-chat-join-pick = { $company } の会社トークンを確認しました。追加登録したいロケーションを選択してください({ $minutes } 分以内)。
wf-chat-join-no-locations = { $company } にはロケーションがまだ登録されていません。貴社のプロフィール管理者 (APA) にご連絡ください。
# $remaining: ロックまでに残っている回数
wf-chat-token-wrong = 会社トークンが正しくありません。会社トークンは 16 桁の英数字です(大文字と小文字を区別します)。あと { $remaining } 回間違えると、1 時間入力できなくなります。
wf-chat-token-locked-now = 会社トークンを { $max } 回続けて間違えたため、{ $until } まで会社トークンを入力できません。
wf-chat-token-locked = 会社トークンを続けて間違えたため、{ $until } まで会社トークンを入力できません。
wf-chat-join-sent =
    { $company }({ $location })への追加登録を申請しました(申請番号 { $id })。プロフィール管理者が承認すると、ご登録確認とガイドの e-mail が届きます。
    社員プロフィール: { $name } / IBM ID: { $ibm_id } / 言語: { $lang }
    変更するときは「/profile name:"山田 花子" lang:ja」と入力してください。
wf-chat-join-no-grant = ロケーションを選ぶ前に、もう一度「/join token:会社トークン」で会社トークンを入力してください(期限が切れたか、会社トークンが変更されました)。
wf-chat-join-bad-location = そのロケーションはこの会社にありません。「/join token:会社トークン」からやり直してください。
wf-chat-join-already-member = すでに { $company } に登録されています。
wf-chat-join-already-pending = { $company }({ $location })への申請(申請番号 { $id })がすでに承認待ちです。プロフィール管理者の承認をお待ちください。
wf-chat-profile = 社員プロフィール: { $name } / IBM ID: { $ibm_id } / 言語: { $lang }

## チャット: 状況と連絡先

wf-chat-status-unknown = { $ibm_id } の方はまだ登録されていません。会社に追加登録するには「/join token:会社トークン」と入力するか、貴社のプロフィール管理者 (APA) にご連絡ください。
wf-chat-status-header = { $name } 様 ({ $ibm_id }) の状況
# $role: 役割、$level: 権限レベル(ないときは空)
wf-chat-status-role = ・{ $company } { $location }: { $role } { $level }
wf-chat-status-join = ・追加登録の申請 { $id }: { $company }({ $location }) { $status } ({ $date }) { $reason }
wf-chat-status-registration = ・企業プロフィールの登録申請 { $id }: { $company } { $status } ({ $date }) { $note }
wf-chat-status-nothing = 会社への登録や申請はまだありません。
wf-chat-contacts-no-company = まだどの会社にも登録されていないため、連絡先をお答えできません。
wf-chat-contacts-not-yours = { $company } の連絡先は、その会社の方にだけお答えします。
wf-chat-contacts-none = (未登録)
wf-chat-contacts =
    { $company } の連絡先
    ・主要連絡先: { $primary }
    ・テクニカル・サポート連絡先: { $technical }
    ・プロフィール管理者 (APA): { $apas }

## チャット: プロフィール管理者 (APA)

wf-chat-not-apa-any = この操作は、会社のプロフィール管理者 (APA) だけが行えます。
wf-chat-not-apa = この操作は、{ $company } のプロフィール管理者 (APA) だけが行えます。
wf-chat-pending-none = 承認待ちの申請はありません。
wf-chat-pending-header = 承認待ちの申請が { $count } 件あります。
wf-chat-pending-item = 申請 { $id }: { $name } 様 ({ $ibm_id }) → { $company }({ $location }) 申請日時 { $date }
wf-chat-request-missing = 申請番号を指定してください。例: /approve request:42 level:standard
wf-chat-approve-pick-level = 申請 { $id } ({ $name } 様 → { $company }) を承認します。付与する権限レベルを選択してください。
wf-chat-reject-ask-reason = 申請 { $id } ({ $name } 様) を却下するには、理由を添えて「/reject request:{ $id } reason:"理由"」と入力してください。理由は申請者にお知らせします。
wf-chat-reject-prompt-title = 申請 { $id } の却下
wf-chat-reject-prompt-label = 却下の理由 (申請者にお知らせします)
wf-chat-approved = 申請 { $id } を承認しました。{ $name } 様 ({ $ibm_id }) を { $company }({ $location }) に権限レベル「{ $level }」で登録し、ご登録確認とガイドの e-mail をお送りします。
wf-chat-rejected = 申請 { $id } ({ $name } 様、{ $ibm_id }) を却下しました。理由をメールでお知らせします: { $reason }
# $status: 承認済み/却下、$by: 決定した方、$date: 日時
wf-chat-already-decided = 申請 { $id } ({ $name } 様) は、{ $date } に { $by } が処理済みです (状態: { $status })。重ねての操作は不要です。
wf-chat-add-member-usage = IBM ID、ロケーション、権限レベルを指定してください。例: /add-member ibm-id:taro@example.co.jp location:東京本社 level:standard(権限レベル: { $levels })
wf-chat-location-unknown = ロケーション「{ $value }」が見つかりません。選べるロケーション: { $choices }
wf-chat-member-added = { $name } 様 ({ $ibm_id }) を { $company }({ $location }) に権限レベル「{ $level }」で登録しました。ご登録確認とガイドの e-mail をお送りします。
wf-chat-member-exists = { $ibm_id } の方は、すでに { $company } に登録されています。
wf-chat-token-usage = 会社トークンを新しくするには「/token rotate」と入力してください。古い会社トークンはすぐに使えなくなります。
wf-chat-token-which = 複数の会社のプロフィール管理者です。会社を指定してください: { $choices }
wf-chat-token-rotated =
    { $company } の新しい会社トークン: { $token }
    この会社トークンが表示されるのは今回だけです。社員の方に安全な方法でお伝えください。古い会社トークンは使えなくなりました。

## チャット: 企業プロフィールの登録

wf-chat-register-usage = 初めて PartnerWorld に登録する(企業プロフィールの新規登録)手続きは「IBM IDの取得」「PartnerWorldのご登録」の2つのステップからなります。ご登録申請後、簡単な加入審査が行われ、審査が完了しますと貴社名を件名とした「手続き完了のご案内」をEメールにてご連絡いたします。申請をこちらで記録するには「/register company:"株式会社サンプル"」と入力してください。
wf-chat-register-exists = 「{ $company }」はすでに登録されています(会社番号 { $id })。社員として追加登録するには「/join token:会社トークン」と入力してください。
wf-chat-register-done = { $company } の登録申請を受け付けました(申請番号 { $id })。審査が完了しますと貴社名を件名とした「手続き完了のご案内」をEメールにてご連絡いたします。審査状況によっては、書類の提出をお願いする場合がございます。
wf-chat-not-admin = この操作は管理者だけが行えます。
wf-chat-review-usage = 使い方: /review list、/review start company:会社、/review request-documents company:会社 note:"必要な書類"、/review complete company:会社、/review reject company:会社 reason:"理由"
wf-chat-review-none = { $company } には審査中の登録申請がありません。
wf-chat-review-list-none = 審査中の登録申請はありません。
wf-chat-review-list-item = ・申請 { $id }: { $company } 申請者 { $applicant } { $status } ({ $date })
wf-chat-review-button-start = 審査を開始
wf-chat-review-button-request-documents = 書類を依頼
wf-chat-review-button-complete = 完了
wf-chat-review-button-reject = 却下
wf-chat-review-prompt-request-documents = 申請 { $id } の書類依頼
wf-chat-review-prompt-reject = 申請 { $id } の却下
wf-chat-review-prompt-note = 必要な書類 (申請者にメールでお知らせします)
wf-chat-review-prompt-reason = 却下の理由 (申請者にメールでお知らせします)
wf-chat-review-ask-note = 申請 { $id } に書類を依頼するには「/review request-documents registration:{ $id } note:"必要な書類"」と入力してください。内容は申請者にメールでお知らせします。
wf-chat-review-ask-reason = 申請 { $id } を却下するには「/review reject registration:{ $id } reason:"理由"」と入力してください。理由は申請者にメールでお知らせします。
wf-chat-review-moved = 登録申請 { $id } ({ $company }) を「{ $status }」にしました。
wf-chat-review-documents = 登録申請 { $id } ({ $company }) について、必要な書類を { $applicant } にメールでお願いしました。
wf-chat-review-completed = 登録申請 { $id } ({ $company }) の審査を完了しました。{ $applicant } に、件名「{ $company }」の「手続き完了のご案内」をお送りします。
wf-chat-review-rejected = 登録申請 { $id } ({ $company }) を却下し、{ $applicant } にお知らせします。

## メール

wf-mail-pwcs = ご登録に関するご不明点は、PartnerWorld コンタクト・サービス (PWCS) までお問い合わせください。☎ 0120-07-2004 (音声ガイドに従って「3」を押すと PWCS につながります)。窓口受付時間: 平日 9:00~12:00 および 13:00~17:00 (祝日、日本 IBM 創立記念日、12/30~1/3 を除く)
wf-mail-join-alert-subject = 追加登録の申請: { $name } 様 → { $company }
wf-mail-join-alert-body =
    { $apa } 様

    { $name } 様 ({ $ibm_id }) から、会社トークン方式による { $company }({ $location }) への追加登録の申請がありました(申請番号 { $id })。
    承認するには、チャットで「/approve request:{ $id } level:standard」(権限レベル: basic、standard、administrator)、却下するには「/reject request:{ $id } reason:"理由"」と入力してください。「/pending」で承認待ちの申請を一覧できます。
wf-dm-join-alert = { $name } 様 ({ $ibm_id }) から { $company }({ $location }) への追加登録の申請があります(申請番号 { $id })。承認する場合は権限レベルを選択してください。
wf-mail-welcome-subject = PartnerWorld ご登録確認とガイド ({ $company })
wf-mail-welcome-approved =
    { $name } 様

    { $company }({ $location }) への追加登録の申請が、プロフィール管理者によって承認されました。
    IBM ID: { $ibm_id }
    権限レベル: { $level }
wf-mail-welcome-added =
    { $name } 様

    { $company } のプロフィール管理者が、あなたの社員プロフィールを作成し、ロケーション「{ $location }」に追加登録しました。
    IBM ID: { $ibm_id }
    権限レベル: { $level }
wf-mail-welcome-guide =
    ご利用のガイド
    ・PartnerWorld プロファイル・システム (PPS) (ibm.com/partnerworld/partnertools/) で、貴社の企業情報、ご登録拠点 (ロケーション)、社員の情報などをいつでもご確認いただけます。
    ・『社員プロフィール (個人情報)』を常に最新の状態でアップデートしておくことで、ご自分に必要な情報を定期的に入手でき、より詳細な情報にアクセスすることが可能となります。
    ・IBM からの情報は、PartnerWorld プロファイル・システムの設定に基づいて配信されます。
wf-mail-join-rejected-subject = 追加登録の申請について ({ $company })
wf-mail-join-rejected-body =
    { $name } 様

    { $company }({ $location }) への追加登録の申請は、プロフィール管理者によって承認されませんでした。
    理由: { $reason }
    ご不明な点は、貴社のプロフィール管理者 (APA) にお問い合わせください。
wf-mail-join-expired-subject = 登録申請の有効期限が切れました ({ $company })
wf-mail-join-expired-body =
    { $name } 様

    { $company } ({ $location }) への登録申請は、期限内に承認されなかったため有効期限が切れました。
    会社トークンでもう一度お申し込みいただくか、貴社のプロフィール管理者 (APA) に登録をご依頼ください。
wf-mail-documents-subject = 書類のご提出のお願い ({ $company })
wf-mail-documents-body =
    { $name } 様

    { $company } の PartnerWorld へのご登録申請(申請番号 { $id })の審査のため、次の書類のご提出をお願いいたします。
    { $note }

    ご提出いただいたあと、審査を続けます。
wf-mail-completed-body =
    { $name } 様

    手続き完了のご案内

    { $company } の PartnerWorld へのご登録申請(申請番号 { $id })の審査が完了しました。
    PartnerWorld プロファイル・システム (PPS): ibm.com/partnerworld/partnertools/
wf-mail-registration-rejected-subject = PartnerWorld へのご登録申請について ({ $company })
wf-mail-registration-rejected-body =
    { $name } 様

    { $company } の PartnerWorld へのご登録申請(申請番号 { $id })は、審査の結果、承認されませんでした。
    理由: { $reason }
wf-mail-link-subject = チャットアカウント連携の確認コード
wf-mail-link-body =
    チャットのアカウントを IBM ID ({ $ibm_id }) に結び付けるための確認コードです。
    { $code }
    10 分以内に、チャットで「/verify code:{ $code }」と入力してください。お心当たりがない場合は、このメールを破棄してください。

## 運用コマンド

wf-cli-company-added = 会社 { $id } を追加しました: { $name }
wf-cli-location-added = ロケーション { $id } を追加しました: { $name }
wf-cli-person-saved = { $ibm_id } を登録しました(番号 { $id })。
wf-cli-role-granted = { $ibm_id } に { $role } の役割を付与しました。
wf-cli-role-held = { $ibm_id } はすでに { $role } です。
wf-cli-role-revoked = { $ibm_id } の { $role } の役割を外しました。
wf-cli-role-not-held = { $ibm_id } は { $role } ではありません。
wf-cli-token-rotated =
    会社 { $company } の新しい会社トークン: { $token }
    表示されるのは今回だけです。古い会社トークンは使えなくなりました。
wf-cli-token-none = 会社 { $company } には会社トークンがまだありません。
wf-cli-registration-submitted = 登録申請 { $id } を受け付けました: { $company }
wf-cli-registration-open = { $company } には審査中の登録申請 { $id } がすでにあります。
wf-cli-registration-moved = 登録申請 { $id } ({ $company }) を「{ $status }」にしました(申請者 { $applicant })。
wf-cli-join-decided = 申請 { $id } ({ $ibm_id }) を「{ $status }」にしました。
wf-cli-join-already-decided = 申請 { $id } は、{ $date } に { $by } が処理済みです (状態: { $status })。

## 取り込み (CSV)

wf-import-cannot-open = { $file } を開けません: { $error }
wf-import-unreadable-header = 見出し行を読み取れません: { $error }
wf-import-unreadable-row = 行を読み取れません: { $error }
wf-import-unknown-column = 列「{ $column }」は使えません。使える列: { $allowed }
wf-import-missing-column = 必須の列「{ $column }」がありません。使える列: { $allowed }
wf-import-columns = 列の数が合いません(見出しは { $expected } 列、この行は { $found } 列)。
wf-import-duplicate = 「{ $value }」は { $line } 行目と重複しています。
wf-import-bad-status = 状態「{ $value }」は使えません。使えるのは { $allowed } です。
wf-import-bad-role = 役割「{ $value }」は使えません。使えるのは { $allowed } です。
wf-import-ambiguous-company = 会社名「{ $value }」の会社が複数あります。会社番号で指定してください。
wf-import-no-location = { $company } にロケーション「{ $value }」はありません。
wf-import-location-without-company = ロケーションを指定するときは、会社も指定してください。
wf-import-summary = 新規 { $created } 件、更新 { $updated } 件、ロケーション { $locations } 件、役割 { $roles } 件、誤りのある行 { $bad } 件
wf-import-refused = { $file } に誤りのある行が { $bad } 件あるため、何も取り込みませんでした。誤りを直すか、--skip-bad を付けると正しい行だけを取り込みます。
