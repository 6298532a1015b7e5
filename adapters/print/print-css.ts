/**
 * The style sheet of a printed form: A4 (landscape for the wide sample tables of Annexes 1–2),
 * bordered boxes as on the paper annexes, long text wrapping inside its box, table headers
 * repeated on every page, and everything marked `screen-only` (the print button) hidden on paper.
 */
export function printCss(orientation: 'portrait' | 'landscape'): string {
  return `
@page{size:A4 ${orientation};margin:18mm 15mm 18mm 15mm}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","SimSun","Songti SC","Microsoft YaHei",serif;font-size:10.5pt;line-height:1.45;color:#000;margin:0 auto;max-width:${orientation === 'portrait' ? '180mm' : '267mm'};padding:0}
.annex-no{font-family:"Noto Sans CJK SC","SimHei",sans-serif;font-size:12pt;margin:0 0 4mm}
h1{font-family:"Noto Sans CJK SC","SimHei",sans-serif;font-size:16pt;text-align:center;margin:0 0 2mm;font-weight:bold}
.unit{text-align:center;margin:0 0 4mm}
.header-lines{margin:3mm 0}.header-lines p{margin:1mm 0}
table{border-collapse:collapse;width:100%}
table.form{table-layout:fixed;margin:2mm 0 5mm}col.l{width:15%}col.v{width:18.33%}
table.form>tbody>tr>th,table.form>tbody>tr>td,table.form>thead>tr>th{border:0.8pt solid #000;padding:1.6mm 2mm;vertical-align:top;text-align:left;overflow-wrap:anywhere;word-break:break-word}
table.form th{font-weight:normal;background:#f2f2f2;text-align:center;vertical-align:middle}
table.rows>thead{display:table-header-group}table.form tr{break-inside:avoid}
table.rows>thead>tr>th{font-size:9.5pt}table.rows th.k-integer{width:4.5%}table.rows th.k-enum{width:7%}table.rows th.k-md5{width:11%}table.rows th.k-datetime{width:9%}table.rows ul.list{list-style:none;padding:0}table.rows>tbody>tr>td{font-size:9.5pt}
table.items{margin:0;font-size:9.5pt}table.items th,table.items td{border:0.5pt solid #555;padding:0.8mm 1.5mm;text-align:left;overflow-wrap:anywhere;word-break:break-word}
table.items th{background:#f7f7f7;font-weight:normal}
table.pairs th{width:35%}
td.blank{height:22mm}
.text{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.code{color:#444;font-size:0.9em}
.empty{color:#777}
ul.list{margin:0;padding-left:4mm}
h2{font-size:11pt;margin:5mm 0 2mm}
.note{font-size:9pt;color:#333;margin:0 0 2mm}
footer.authenticity{margin-top:6mm;border-top:1.2pt solid #000;padding-top:2mm;font-size:9pt;break-inside:avoid}
footer.authenticity table th,footer.authenticity table td{border:0.5pt solid #555;padding:0.8mm 1.5mm;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-all}
footer.authenticity table th{width:24%;font-weight:normal;background:#f7f7f7}
footer.authenticity code{font-family:"DejaVu Sans Mono",monospace;font-size:8.5pt}
.screen-only{margin:4mm 0;padding:3mm;background:#eef1f5;border:1px solid #d0d5dd;font-family:sans-serif}
.screen-only a,.screen-only button{margin-right:4mm}
@media screen{body{padding:8mm}}
@media print{.screen-only{display:none!important}}
`;
}
