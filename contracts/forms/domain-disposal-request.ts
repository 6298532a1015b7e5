import { arr, datetime, domain, ip, longText, malwareName, obj, oneOf, opt, req } from '../model/builders';
import { eventLevel, person, taskNumber } from '../model/common';
import type { FormDeclaration } from '../model/field-types';
import { requestedDomainAction } from './domain-action';

/**
 * CNCERT asks the registry (dr-*) or registrar (rr-*) that manages a malicious domain to dispose of
 * it (Art. 4, 11(2)). Its clock is that of the event's disposal feedback, hence the level.
 */
export const domainDisposalRequest: FormDeclaration = {
  name: 'DomainDisposalRequest',
  title: '恶意域名处置通知',
  titleEn: 'Malicious domain disposal request',
  source: 'Art. 11(2)',
  body: obj({
    taskNumber: req(taskNumber, ['任务编号', 'task number'], 'Annex 4'),
    level: req(eventLevel, ['事件级别', 'event level'], 'Art. 8'),
    requestedAt: req(datetime, ['通知时间', 'requested at']),
    contact: req(person, ['联系人', 'contact']),
    domains: req(
      arr(
        obj({
          domain: req(domain, ['恶意域名', 'domain']),
          role: req(oneOf(['control', 'distribution'], { control: '控制服务器使用的域名', distribution: '传播服务器使用的域名' }), ['域名用途', 'used by']),
          resolvesTo: opt(arr(ip, 'ip', { maxItems: 100 }), ['解析IP地址', 'resolves to']),
          malwareName: opt(malwareName, ['恶意程序名称', 'malware name'], 'YD/T 2439-2012'),
          requestedAction: req(requestedDomainAction, ['要求的处置措施', 'action requested']),
        }),
        'item',
        { minItems: 1, maxItems: 1000 },
      ),
      ['恶意域名', 'domains'],
    ),
    basis: req(longText(2000), ['处置依据', 'grounds']),
    remarks: opt(longText(2000), ['备注', 'remarks']),
  }),
  example: {
    id: 'cncert-20261128-0005',
    type: 'DomainDisposalRequest',
    version: '1.0',
    from: 'cncert',
    to: ['dr-cnnic', 'rr-demo'],
    sentAt: '2026-11-28T11:45:00+08:00',
    references: { taskNumber: 'CNCERT-2026-1128-017' },
    body: {
      taskNumber: 'CNCERT-2026-1128-017',
      level: 'II',
      requestedAt: '2026-11-28T11:40:00+08:00',
      contact: { name: '赵磊', phone: '010-82990999', mobile: '+86 139 0000 1234', email: 'duty@cert.example.org.cn' },
      domains: [
        {
          domain: 'ghostpush-c2.cn',
          role: 'control',
          resolvesTo: ['203.0.113.45', '2001:db8::45'],
          malwareName: 'a.expense.GhostPush.a',
          requestedAction: 'stop-resolution',
        },
        {
          domain: 'gp-update.com',
          role: 'distribution',
          resolvesTo: ['198.51.100.23'],
          malwareName: 'a.expense.GhostPush.a',
          requestedAction: 'hold',
        },
      ],
      basis: '上述域名被恶意程序a.expense.GhostPush.a用作控制和传播服务器，依据《移动互联网恶意程序监测与处置机制》第十一条第二项，请予处置并在2小时内反馈。',
      remarks: 'gp-update.com由境外注册管理机构管理，请注册服务机构先行暂停解析。',
    },
  },
};
