# チャットの返信に添付する画像。en/charts.ftl と同じ ID。

# /renewals の下: 添付グラフ (週ごとの期限、更新時期別) の色の説明。
sales-chart-legend = グラフ: 週ごとの期限。🟦 移管前 · 🟧 移行期間 · 🟩 移行期間後
