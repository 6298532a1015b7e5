import { arr, datetime, domain, longText, obj, opt, req, text } from '../model/builders';
import { person, taskNumber } from '../model/common';
import type { FormDeclaration } from '../model/field-types';
import { takenDomainAction } from './domain-action';

/**
 * A registry or registrar tells CNCERT what it did to the domains of a DomainDisposalRequest
 * (Art. 11(2)); CNCERT records its coordination of foreign-registered domains the same way
 * (Art. 11(3)).
 */
export const domainDisposalFeedback: FormDeclaration = {
  name: 'DomainDisposalFeedback',
  title: '恶意域名处置反馈',
  titleEn: 'Malicious domain disposal feedback',
  source: 'Art. 11(2)(3)',
  body: obj({
    reportingUnit: req(text(100), ['报送单位', 'reporting unit']),
    taskNumber: req(taskNumber, ['任务编号', 'task number'], 'Annex 4'),
    contact: req(person, ['联系人', 'contact']),
    feedbackAt: req(datetime, ['反馈时间', 'feedback at']),
    domains: req(
      arr(
        obj({
          domain: req(domain, ['恶意域名', 'domain']),
          actionTaken: req(takenDomainAction, ['采取的处置措施', 'action taken']),
          takenAt: opt(datetime, ['处置时间', 'taken at']),
          foreignCoordination: opt(
            obj({
              counterpart: req(text(200), ['境外协调对象', 'foreign counterpart']),
              contactedAt: req(datetime, ['联系时间', 'contacted at']),
              channel: req(text(100), ['联系方式', 'channel']),
              outcome: req(longText(2000), ['协调结果', 'outcome']),
            }),
            ['境外域名协调处置记录', 'foreign-domain coordination record'],
            'Art. 11(3)',
          ),
          note: opt(longText(1000), ['说明', 'note']),
        }),
        'item',
        { minItems: 1, maxItems: 1000 },
      ),
      ['恶意域名', 'domains'],
    ),
    remarks: opt(longText(2000), ['备注', 'remarks']),
  }),
  example: {
    id: 'rr-demo-20261128-0002',
    type: 'DomainDisposalFeedback',
    version: '1.0',
    from: 'rr-demo',
    to: ['cncert'],
    sentAt: '2026-11-28T13:20:00+08:00',
    references: { taskNumber: 'CNCERT-2026-1128-017', inReplyTo: 'cncert-20261128-0005' },
    body: {
      reportingUnit: '示例域名注册服务有限公司',
      taskNumber: 'CNCERT-2026-1128-017',
      contact: { name: '孙梅', phone: '0571-88886666', mobile: '13800138000', email: 'abuse@registrar.example.cn' },
      feedbackAt: '2026-11-28T13:15:00+08:00',
      domains: [
        { domain: 'ghostpush-c2.cn', actionTaken: 'hold', takenAt: '2026-11-28T12:30:00+08:00', note: '已设置clientHold，注册局已同步停止解析。' },
        {
          domain: 'gp-update.com',
          actionTaken: 'hold',
          takenAt: '2026-11-28T12:35:00+08:00',
          foreignCoordination: {
            counterpart: 'VeriSign, Inc.（.com注册管理机构）',
            contactedAt: '2026-11-28T12:50:00+08:00',
            channel: '电子邮件 abuse 通道',
            outcome: '已请求设置serverHold，对方确认受理，等待答复。',
          },
        },
      ],
      remarks: '两个域名的注册人信息已冻结，留存60天备查（第十二条）。',
    },
  },
};
