import type { DataSource } from 'typeorm';
import { applyContactUpdate } from '../../../gateway/contacts';
import type { OutgoingMail } from '../../../gateway/deliveries/email-worker';
import type { AlertMail, AlertMailer } from '../../../gateway/obligations/alerts-consumer';
import { transaction } from '../../../gateway/store';
import { example } from './support';

/** The four registered addresses of op-cmcc in the ContactUpdate example (leader, department head, two contacts). */
export const OP_CMCC_ADDRESSES = ['wangjg@chinamobile.example.cn', 'liuyang@chinamobile.example.cn', 'security@chinamobile.example.cn', 'zhoumin@chinamobile.example.cn'];
/** miit's one registered address in these tests. */
export const MIIT_ADDRESS = 'duty@miit.example.cn';

/** Registers op-cmcc's contacts (the example) and miit's (one person), as ContactUpdates would. */
export async function registerContacts(ds: DataSource, now: Date): Promise<void> {
  const body = example('contact-update').body as Record<string, unknown>;
  const miit = {
    ...body, unit: '工业和信息化部网络安全管理局', department: '网络安全管理局',
    leaderInCharge: { name: '赵刚', phone: '010-68200000' }, departmentHead: { name: '钱伟', phone: '010-68200001' },
    contacts: [{ name: '孙丽', phone: '010-68200002', email: MIIT_ADDRESS.toUpperCase() }],
  };
  await transaction(ds, async (m) => {
    await applyContactUpdate(m, { institution: 'op-cmcc', body, changedBy: { institution: 'op-cmcc' }, reportedAt: now }, now);
    await applyContactUpdate(m, { institution: 'miit', body: miit, changedBy: { institution: 'miit' }, reportedAt: now }, now);
  });
}

/** One mail a recording mailer took. */
export interface SentMail {
  readonly to: string;
  /** The alert id (`alr-…`) it carries. */
  readonly alertId: string;
  readonly via: 'send' | 'sendAlert';
  readonly subject?: string;
  readonly text?: string;
  readonly json: Record<string, unknown>;
}

/**
 * A mailer that records what it took; `failFor` addresses are refused while listed (the
 * mailer's transport would throw). With `alerts`, it renders alerts itself (`sendAlert`).
 */
export function recordingMailer(options: { alerts?: boolean } = {}): AlertMailer & { sent: SentMail[]; failFor: Set<string> } {
  const sent: SentMail[] = [];
  const failFor = new Set<string>();
  const mailer = {
    sent,
    failFor,
    send(mail: OutgoingMail): Promise<void> {
      if (failFor.has(mail.to)) return Promise.reject(new Error(`550 mailbox ${mail.to} unavailable`));
      sent.push({ to: mail.to, alertId: mail.deliveryId, via: 'send', json: JSON.parse(mail.bytes.toString('utf8')) as Record<string, unknown> });
      return Promise.resolve();
    },
  };
  if (!options.alerts) return mailer;
  return {
    ...mailer,
    sendAlert(mail: AlertMail): Promise<void> {
      if (failFor.has(mail.to)) return Promise.reject(new Error(`550 mailbox ${mail.to} unavailable`));
      sent.push({ to: mail.to, alertId: mail.alertId, via: 'sendAlert', subject: mail.subject, text: mail.text, json: JSON.parse(mail.json.toString('utf8')) as Record<string, unknown> });
      return Promise.resolve();
    },
  };
}

/** Waits until `check` resolves true, polling; fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
