# Pictures sent with chat replies. Same ids as ja/charts.ftl.

# Under /renewals: the colours of the attached chart (deadlines per week, by renewal window).
sales-chart-legend = Chart: deadlines per week. 🟦 before the cutover · 🟧 transition window · 🟩 after the transition
