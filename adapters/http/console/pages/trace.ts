import { GatewayError } from '../../../../contracts/errors/gateway-error';
import { AuditEntryEntity, DeliveryEntity, MessageEntity, type DeliveryRow } from '../../../../gateway/store';
import { beijing, esc, html, raw } from '../html';
import type { ConsolePage } from '../page';
import { pageOf, pager } from '../paging';
import { mayPrint } from './print';
import { ANY_ROLE } from '../roles';

/** One message's deliveries as lanes on a time axis: queued ○, sent ◆, acknowledged ●. */
function timeline(acceptedAt: Date, deliveries: readonly DeliveryRow[], now: Date, title: string): string {
  const times = deliveries.flatMap((d) => [d.queuedAt, d.sentAt, d.acknowledgedAt, d.statusSince].filter((t): t is Date => t !== null).map((t) => t.getTime()));
  const start = acceptedAt.getTime();
  const end = Math.max(start + 1000, ...times, deliveries.some((d) => d.acknowledgedAt === null) ? now.getTime() : start);
  const left = 150;
  const width = 560;
  const lane = 26;
  const x = (t: number) => left + ((t - start) / (end - start)) * width;
  const lanes = deliveries.map((d, i) => {
    const y = 20 + i * lane;
    const marks = [
      [d.queuedAt, '#909399', 'queued'],
      [d.sentAt, '#409eff', 'sent'],
      [d.acknowledgedAt, '#67c23a', 'acknowledged'],
    ] as const;
    const last = d.acknowledgedAt ?? d.sentAt ?? d.queuedAt;
    const dots = marks.filter(([t]) => t !== null).map(([t, color, what]) => `<circle cx="${x(t!.getTime()).toFixed(1)}" cy="${y}" r="5" fill="${color}"><title>${esc(`${d.recipientCode} ${what} ${beijing(t)}`)}</title></circle>`).join('');
    return `<g class="lane" data-recipient="${esc(d.recipientCode)}" data-status="${esc(d.status)}"><text x="${left - 8}" y="${y + 4}" text-anchor="end">${esc(`${d.recipientCode} (${d.role}, ${d.channel})`)}</text>`
      + `<line x1="${x(d.queuedAt.getTime()).toFixed(1)}" y1="${y}" x2="${x(last.getTime()).toFixed(1)}" y2="${y}" stroke="#c0c4cc" stroke-width="3"/>${dots}<text x="${left + width + 8}" y="${y + 4}">${esc(d.status)}</text></g>`;
  }).join('');
  const h = 30 + deliveries.length * lane;
  const axis = `<line x1="${left}" y1="${h - 6}" x2="${left + width}" y2="${h - 6}" stroke="#606266"/><text x="${left}" y="${h + 8}">${esc(beijing(new Date(start)))}</text><text x="${left + width}" y="${h + 8}" text-anchor="end">${esc(beijing(new Date(end)))}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${left + width + 120}" height="${h + 14}" viewBox="0 0 ${left + width + 120} ${h + 14}"><title>${esc(title)}</title>${lanes}${axis}</svg>`;
}

/**
 * 报文追踪 — one message: its envelope, its deliveries (one per recipient and channel) on a
 * timeline, and its audit trail; without a message id, the latest messages (paged on the
 * accepted_at / from_code indexes). An institution administrator sees only the messages its
 * institution sent or received.
 */
export const tracePage: ConsolePage = {
  path: '/trace',
  title: { zh: '报文追踪', en: 'Message trace' },
  roles: ANY_ROLE,
  async get(c) {
    const id = c.query('message');
    const search = html`<form method="get" action="/console/trace"><label for="message">${c.t({ zh: '报文编号', en: 'Message id' })}</label><input type="text" id="message" name="message" value="${id ?? ''}"> <button type="submit">${c.t({ zh: '追踪', en: 'Trace' })}</button></form>`;
    const columns = { id: true, type: true, fromCode: true, toCodes: true, ccCodes: true, sentAt: true, acceptedAt: true, taskNumber: true, hash: true, size: true, format: true } as const;
    if (id === undefined) {
      const { page, offset, limit } = pageOf(c);
      const [messages, total] = await c.ds.manager.findAndCount(MessageEntity, { select: columns, ...(c.scope !== null && { where: { fromCode: c.scope } }), order: { acceptedAt: 'DESC' }, skip: offset, take: limit });
      return {
        body: html`${search}<h2>${c.t({ zh: '最近的报文', en: 'Latest messages' })}${c.scope !== null ? html` (${c.t({ zh: '本单位发出', en: 'sent by your institution' })})` : ''}</h2>
<table id="messages"><thead><tr><th>${c.t({ zh: '报文编号', en: 'Message' })}</th><th>${c.t({ zh: '类型', en: 'Form' })}</th><th>${c.t({ zh: '发送方', en: 'From' })}</th><th>${c.t({ zh: '报/抄报', en: 'To / cc' })}</th><th>${c.t({ zh: '接收时间', en: 'Accepted' })}</th></tr></thead>
<tbody>${messages.map((m) => html`<tr><td><a href="${c.href('/trace', { message: m.id })}">${m.id}</a></td><td>${m.type}</td><td>${m.fromCode}</td><td>${m.toCodes.join(', ')}${m.ccCodes.length > 0 ? ` / ${m.ccCodes.join(', ')}` : ''}</td><td>${beijing(m.acceptedAt)}</td></tr>`)}</tbody></table>
${pager(c, '/trace', page, total)}`,
      };
    }
    const message = await c.ds.manager.findOne(MessageEntity, { select: columns, where: { id } });
    if (message === null) throw new GatewayError('console.bad-input', `no accepted message has the id "${id}"`, { field: 'message' });
    if (c.scope !== null && message.fromCode !== c.scope && !message.toCodes.includes(c.scope) && !message.ccCodes.includes(c.scope)) {
      throw new GatewayError('console.forbidden', `message ${id} is neither from nor to ${c.scope}`, { message: id, own: c.scope });
    }
    const deliveries = await c.ds.manager.find(DeliveryEntity, { where: { messageId: id }, order: { id: 'ASC' } });
    const audit = await c.ds.manager.find(AuditEntryEntity, { where: { subject: id }, order: { seq: 'ASC' }, take: 200 });
    const title = c.t({ zh: `${id} 的投递时间线`, en: `Deliveries of ${id}` });
    return {
      title: { zh: `报文追踪 — ${id}`, en: `Message trace — ${id}` },
      body: html`${search}
<table id="message"><tr><th>${c.t({ zh: '类型', en: 'Form' })}</th><td>${message.type}</td><th>${c.t({ zh: '发送方', en: 'From' })}</th><td>${message.fromCode}</td></tr>
<tr><th>${c.t({ zh: '报送', en: 'To' })}</th><td>${message.toCodes.join(', ')}</td><th>${c.t({ zh: '抄报', en: 'Cc' })}</th><td>${message.ccCodes.join(', ')}</td></tr>
<tr><th>${c.t({ zh: '发送时间', en: 'Sent' })}</th><td>${beijing(message.sentAt)}</td><th>${c.t({ zh: '网关接收', en: 'Accepted' })}</th><td>${beijing(message.acceptedAt)}</td></tr>
<tr><th>SHA-256</th><td colspan="3"><code>${message.hash}</code> (${message.format}, ${message.size} B)</td></tr></table>
${mayPrint(c.user, message) ? html`<p><a id="print" href="/console/messages/${encodeURIComponent(id)}/print">${c.t({ zh: '打印（正式表格，可另存为 PDF）', en: 'Print (the official form, or save as PDF)' })}</a></p>` : ''}
<figure>${raw(timeline(message.acceptedAt, deliveries, c.now, title))}</figure>
<table id="deliveries"><thead><tr><th>${c.t({ zh: '接收方', en: 'Recipient' })}</th><th>${c.t({ zh: '方式', en: 'Role' })}</th><th>${c.t({ zh: '渠道', en: 'Channel' })}</th><th>${c.t({ zh: '状态', en: 'Status' })}</th><th>${c.t({ zh: '排队', en: 'Queued' })}</th><th>${c.t({ zh: '送达', en: 'Sent' })}</th><th>${c.t({ zh: '签收', en: 'Acknowledged' })}</th><th>${c.t({ zh: '尝试', en: 'Attempts' })}</th></tr></thead>
<tbody>${deliveries.map((d) => html`<tr data-recipient="${d.recipientCode}"><td>${d.recipientCode}</td><td>${d.role}</td><td>${d.channel}</td><td>${d.status}${d.lastErrorCode ? ` (${d.lastErrorCode})` : ''}</td><td>${beijing(d.queuedAt)}</td><td>${beijing(d.sentAt)}</td><td>${beijing(d.acknowledgedAt)}</td><td class="num">${d.attempts}</td></tr>`)}</tbody></table>
<h2>${c.t({ zh: '审计记录', en: 'Audit trail' })}</h2>
<table id="audit"><tr><th>#</th><th>${c.t({ zh: '时间', en: 'Time' })}</th><th>${c.t({ zh: '事件', en: 'Kind' })}</th><th>${c.t({ zh: '操作者', en: 'Actor' })}</th></tr>
${audit.map((a) => html`<tr><td>${a.seq}</td><td>${beijing(a.time)}</td><td>${a.kind}</td><td>${a.actor}</td></tr>`)}</table>`,
    };
  },
};
