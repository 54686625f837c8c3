/** The report page's style sheet: screen and A4 print (inline: the page loads nothing). */
export const STYLE = `
@page { size: A4; margin: 12mm 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eef1f5; color: #1f2933;
  font: 14px/1.5 "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif; }
main { max-width: 200mm; margin: 16px auto; padding: 20px 24px; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
.en { color: #6b7280; font-size: .85em; font-weight: normal; }
.code { color: #6b7280; font-size: .8em; font-family: ui-monospace, Menlo, Consolas, monospace; }
.report-header { border-bottom: 3px solid #b91c1c; padding-bottom: 10px; margin-bottom: 12px; }
.report-header h1 { margin: 2px 0; font-size: 26px; color: #7f1d1d; }
.report-header .kind-zh { color: #b91c1c; }
.report-kind, .generated { color: #4b5563; font-size: 13px; }
.subtitle { font-size: 15px; }
h2 { font-size: 17px; margin: 18px 0 8px; padding-left: 8px; border-left: 4px solid #b91c1c; }
h3 { font-size: 14px; margin: 12px 0 6px; }
section { margin-bottom: 14px; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }
.figure { border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 10px; background: #f9fafb; break-inside: avoid; }
.figure.alert { border-color: #fca5a5; background: #fef2f2; }
.figure-label { font-size: 12px; }
.figure-value { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure .note, .delta { font-size: 11px; color: #6b7280; }
.meter { height: 5px; background: #e5e7eb; border-radius: 3px; overflow: hidden; margin: 2px 0; }
.meter span { display: block; height: 100%; background: #0f766e; }
.better { color: #15803d; } .worse { color: #b91c1c; }
.delta.better { color: #15803d; } .delta.worse { color: #b91c1c; }
figure.chart { margin: 6px 0 10px; break-inside: avoid; page-break-inside: avoid; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: #374151; }
svg.chart .tick { font-size: 10px; fill: #9ca3af; }
svg.chart .legend { font-size: 11px; }
svg.chart .grid-line { stroke: #e5e7eb; stroke-width: 1; }
.bar-reported, .key-reported { fill: #2563eb; }
.bar-closed, .key-closed { fill: #16a34a; }
.bar-overdue, .key-overdue { fill: #dc2626; }
.bar-rate, .key-rate { fill: #0f766e; }
.key-on-time { fill: #d97706; }
.line-on-time { fill: none; stroke: #d97706; stroke-width: 2.5; }
.point { fill: #fff; stroke: #d97706; stroke-width: 2; }
.grade-badge circle { stroke: none; }
.grade-badge text { fill: #fff !important; font-weight: 700; font-size: 12px; }
.grade-A circle { fill: #15803d; } .grade-B circle { fill: #65a30d; } .grade-C circle { fill: #ca8a04; } .grade-D circle { fill: #ea580c; } .grade-E circle { fill: #b91c1c; }
span.grade { display: inline-block; min-width: 22px; text-align: center; border-radius: 11px; color: #fff; font-weight: 700; }
span.grade-A { background: #15803d; } span.grade-B { background: #65a30d; } span.grade-C { background: #ca8a04; } span.grade-D { background: #ea580c; } span.grade-E { background: #b91c1c; }
.flag { display: inline-block; margin: 1px 0; padding: 0 5px; border-radius: 3px; background: #fee2e2; color: #991b1b; font-size: 11px; }
table { width: 100%; border-collapse: collapse; font-size: 12px; margin-bottom: 8px; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { background: #f3f4f6; font-weight: 600; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; vertical-align: top; }
th .en { display: block; font-size: 10px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td.nowrap { white-space: nowrap; }
table.ranking { font-size: 11px; }
table.ranking th, table.ranking td { padding: 3px 4px; }
table.ranking .code { word-break: break-all; }
table.ranking th .en { font-size: 9px; }
tbody tr:nth-child(even) { background: #fafafa; }
footer { margin-top: 18px; border-top: 1px solid #e5e7eb; padding-top: 8px; color: #6b7280; font-size: 11px; }
@media (max-width: 700px) { .figures { grid-template-columns: repeat(2, 1fr); } main { margin: 0; padding: 12px; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tbody tr:nth-child(even) { background: none; }
}
`;
