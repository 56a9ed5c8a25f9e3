# 営業担当者向けカレンダーフィード (.ics) と `partnerdesk rep calendar-url`。
# en/calendar.ftl と同じ ID。

cal-name = partnerdesk 更新期限
# $company, $contract, $product, $renewal (更新日), $days
cal-event-summary = 更新期限: { $company } (契約 { $contract })
cal-event-description = { $company } の契約 { $contract } ({ $product })、更新日 { $renewal }。
cal-alarm = 更新期限まであと { $days } 日: { $company } (契約 { $contract })

# $ibm_id
wf-cli-calendar-no-contracts = { $ibm_id } を営業担当とする契約がないため、公開するカレンダーがありません。先に契約を取り込んでください (partnerdesk import contracts FILE)。
wf-cli-calendar-exists = { $ibm_id } のカレンダー URL は発行済みです。URL は発行時に一度だけ表示され、ハッシュでのみ保存されています。新しい URL を発行するには --rotate を付けて実行してください。古い URL は使えなくなります。
# $url: フィードの URL
wf-cli-calendar-url = カレンダー URL (表示は今回のみ。知っている人は誰でもフィードを読めます): { $url }
