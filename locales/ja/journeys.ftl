# 利用者の流れ (issue 13): 登録者が APA になる、APA への依頼、書類の受領、管理者の処理、
# プライマリー・コンタクトの引き継ぎ。

config-allowed-documents-url = 使用できる値: http:// または https:// の URL (例: https://example.com/upload)
config-allowed-documents-postal = 使用できる値: 制御文字を含まない 500 バイト以内の住所
config-documents-destination-needed = registration.documents_step = true ですが、書類の送付先がありません。registration.documents_reply_to、registration.documents_upload_url、registration.documents_postal_address のいずれかを設定してください。

wf-reg-status-documents-received = 書類受領済み
jr-addressee-unknown = ご担当者

## 書類
jr-documents-where = 書類の送付先:
jr-documents-reply-to = ・メール: { $address } (このメールへの返信でもお送りいただけます)
jr-documents-upload = ・アップロード: { $url }
jr-documents-postal = ・郵送: { $address }
jr-error-documents-step-off = この設定では書類の提出をお願いする手順は使われていません (registration.documents_step = false)。
jr-error-documents-destination = 書類の送付先が設定されていません。registration.documents_reply_to、registration.documents_upload_url、registration.documents_postal_address のいずれかを設定してから、もう一度お試しください。
jr-error-not-requested = 登録申請 { $id } ({ $company }) は書類をお願いしていない状態 (「{ $status }」) のため、受領を記録できません。
jr-mail-received-subject = 書類を受領しました ({ $company })
jr-mail-received-body =
    { $name } 様

    { $company } の PartnerWorld へのご登録申請(申請番号 { $id })について、ご提出いただいた書類を受領しました。引き続き審査を進めます。
jr-mail-received-note = 備考: { $note }
jr-chat-status-documents-where = 書類の送付先: { $where }
jr-chat-status-received = 書類を受領しました ({ $date })。審査を続けています。
jr-chat-review-received = 登録申請 { $id } ({ $company }) の書類の受領を記録し、{ $applicant } にお知らせします。
jr-chat-review-button-received = 書類受領
jr-cli-documents-received = 登録申請 { $id } ({ $company }) の書類の受領を記録しました。申請者 { $applicant } にお知らせします。

## 審査完了: 登録者と APA
jr-mail-colleagues =
    社員の追加登録 (プロフィール管理者の方へ)
    { $apa } 様が { $company } のプロフィール管理者 (APA) です。
    ・会社トークン (16桁の英数字) は、チャットで { $apa } 様に一度だけ表示します。チャットで「/status」と入力してください。会社トークンはメールには記載しません。
    ・会社トークン方式: 社員の方に会社トークンを伝えてください。社員の方はチャットで「/join token:会社トークン」と入力してロケーションを選び、申請をプロフィール管理者が承認します。
    ・プロフィール管理者による登録: 社員の方から IBM ID を受け取り、チャットで「/add-member ibm-id:IBM_ID location:ロケーション level:standard」と入力します。会社トークンをお持ちでない社員の方がチャットで「/join company:{ $company }」と入力すると、登録の依頼がボタン付きで届きます。
jr-mail-completed-apa-other = 貴社のプロフィール管理者 (APA) は { $apa } 様 ({ $apa_id }) です。社員の方の追加登録はプロフィール管理者が行います。
jr-mail-apa-subject = プロフィール管理者 (APA) としてのご案内 ({ $company })
jr-mail-apa-body =
    { $name } 様

    { $company } の PartnerWorld へのご登録申請(申請番号 { $id })の審査が完了し、{ $name } 様が同社のプロフィール管理者 (APA) として登録されました。
jr-dm-token-ready = { $company } の登録が完了し、あなたがプロフィール管理者 (APA) です。会社トークンは一度だけ表示します。社員の方に伝える準備ができたらボタンを押してください。
jr-button-show-token = 会社トークンを表示
jr-chat-token-shown =
    { $company } の会社トークン: { $token }
    この表示は一度だけです。社員の方に伝えると、「/join token:会社トークン」で追加登録を申請できます。
jr-chat-token-gone = { $company } の会社トークンはすでに表示済みです (表示は一度だけです)。新しい会社トークンが必要な場合は「/token rotate」と入力してください。
jr-error-no-apa-person = 審査完了時にプロフィール管理者にする { $ibm_id } は登録されていません。先に「partnerdesk person add --ibm-id { $ibm_id } --name "氏名"」で登録してください。

## 会社トークンがない: プロフィール管理者による登録
jr-chat-join-routes =
    会社への追加登録には 2 つの方法があります。
    ・会社トークン方式: プロフィール管理者 (APA) から会社トークン (16桁の英数字) を入手し、「/join token:会社トークン」と入力します。
    ・プロフィール管理者による登録: 会社トークンをお持ちでない場合は「/join 会社名」(または「/join company:会社名」) と入力してください。あなたの IBM ID とお名前をプロフィール管理者にお送りするボタンを表示します。
jr-chat-ask-apa-offer = { $company } のプロフィール管理者 (APA) に、あなたの IBM ID ({ $ibm_id }) とお名前 ({ $name }) をお送りして、登録を依頼できます。
jr-button-ask-apa = プロフィール管理者に登録を依頼
jr-chat-ask-apa-sent = { $company } のプロフィール管理者 (APA) に登録を依頼しました (依頼番号 { $id }、{ $apas } 名にお送りしました)。登録が済むと、ご登録確認とガイドの e-mail が届きます。
jr-chat-company-unknown = 「{ $company }」という会社は見つかりませんでした。
jr-chat-ask-apa-no-location = { $company } にはまだロケーションが登録されていません。
jr-mail-ask-apa-subject = 登録の依頼: { $name } 様 → { $company }
jr-mail-ask-apa-body =
    { $apa } 様

    { $name } 様 ({ $ibm_id }) から、{ $company } への追加登録 (プロフィール管理者による登録) の依頼がありました (依頼番号 { $id })。
    登録するには、チャットで「/approve request:{ $id } level:standard」(権限レベル: basic、standard、administrator) と入力してください。ロケーション「{ $location }」に登録されます。お心当たりがない場合は「/reject request:{ $id } reason:"理由"」と入力してください。
jr-dm-ask-apa = { $name } 様 ({ $ibm_id }) から { $company } への登録の依頼があります (依頼番号 { $id })。権限レベルを選ぶと、ロケーション「{ $location }」に登録します。

## 管理者による処理
jr-chat-overdue-header = 承認待ちが { $days } 営業日を超えた申請 (全社): { $count } 件
jr-chat-overdue-none = 承認待ちが { $days } 営業日を超えた申請はありません。
jr-mail-admin-decided-subject = 管理者が処理しました: { $company } への追加登録申請 (申請番号 { $id })
jr-mail-admin-decided-body =
    { $apa } 様

    { $name } 様 ({ $ibm_id }) の { $company }({ $location }) への追加登録申請 (申請番号 { $id }) は、承認待ちが続いたため、管理者 { $admin } が処理しました。
    結果: { $status } { $detail }

## プライマリー・コンタクトの引き継ぎ
jr-error-primary-held = { $company } のプライマリー・コンタクトは { $holder } 様 ({ $holder_id }) です。先に { $holder } 様のプライマリー・コンタクトを外すか (partnerdesk role revoke --ibm-id { $holder_id } --role primary-contact --company { $company_id })、--handover member または --handover technical-contact を付けて引き継いでください。
jr-error-handover-role = 引き継ぎ後の役割 (--handover) は member または technical-contact です: { $value }
jr-cli-handover-done = { $company } のプライマリー・コンタクトを { $from } から { $to } に引き継ぎました。{ $from } は「{ $role }」になりました。お二人にお知らせします。
jr-mail-handover-subject = プライマリー・コンタクトの引き継ぎ ({ $company })
jr-mail-handover-to-body =
    { $name } 様

    { $company } のプライマリー・コンタクトを、{ $from } 様から { $name } 様に引き継ぎました。
jr-mail-handover-from-body =
    { $name } 様

    { $company } のプライマリー・コンタクトを、{ $name } 様から { $to } 様に引き継ぎました。{ $name } 様の役割は「{ $role }」になりました。

## Discord のスラッシュコマンド (名前は英語のまま、説明を日本語で)
discord-opt-register-name = name
    .description = 登録者 (あなた) のお名前 (例: 山田 太郎)
discord-opt-register-location = location
    .description = 最初のロケーション (拠点) の名前 (省略時は会社名)
discord-opt-join-company = company
    .description = 会社トークンがない場合: 会社名 (プロフィール管理者に登録を依頼します)
discord-sub-review-documents-received = documents-received
    .description = 依頼した書類を受領した (申請者にメールで通知します)
discord-opt-review-received-note = note
    .description = 申請者への備考
discord-opt-review-apa = apa
    .description = 登録者以外をプロフィール管理者 (APA) にする場合: その人の IBM ID
