import { arr, datetime, int, messageId, month, obj, opt, req, text } from '../model/builders';
import { filerFields } from '../model/common';
import type { FormDeclaration } from '../model/field-types';
import { disposalFields, undisposedReasonRule } from './disposal-feedback';

/**
 * The disposing unit's monthly spreadsheet of its level IV disposals to CNCERT (Art. 11(4):
 * "一般事件的处置情况应按月度汇总后以电子表格形式向CNCERT反馈"); each row has the boxes of Annex 5.
 */
export const monthlyDisposalFeedback: FormDeclaration = {
  name: 'MonthlyDisposalFeedback',
  title: '一般移动互联网恶意程序事件处置情况月度汇总表',
  titleEn: 'Monthly disposal feedback for level IV incidents',
  source: 'Art. 11(4)',
  body: obj({
    month: req(month, ['汇总月份', 'month']),
    reportingUnit: req(text(100), ['报送单位', 'reporting unit']),
    ...filerFields(),
    feedbackAt: req(datetime, ['反馈时间', 'feedback at']),
    rows: req(
      arr(
        obj(
          {
            seq: req(int(1, 100000), ['序号', 'no.']),
            reportId: opt(messageId, ['报送报文编号', 'report message id']),
            ...disposalFields(),
          },
          [undisposedReasonRule],
        ),
        'row',
        { maxItems: 100000 },
      ),
      ['处置情况', 'disposals'],
      'Annex 5',
    ),
  }),
  example: {
    id: 'op-cmcc-20261207-0001',
    type: 'MonthlyDisposalFeedback',
    version: '1.0',
    from: 'op-cmcc',
    to: ['cncert'],
    sentAt: '2026-12-07T10:00:00+08:00',
    body: {
      month: '2026-11',
      reportingUnit: '中国移动通信集团有限公司',
      reporter: '李强',
      phone: '010-66006688',
      email: 'security@chinamobile.example.cn',
      feedbackAt: '2026-12-07T09:55:00+08:00',
      rows: [
        {
          seq: 1,
          reportId: 'op-cmcc-20261128-0008',
          disposedAt: '2026-11-27T18:00:00+08:00',
          malwareName: 'a.privacy.emial.d',
          disposedControlServers: [{ ip: '203.0.113.88', domain: 'mail-sync.cn', port: 25 }],
          disposedDistributionServers: [{ ip: '198.51.100.61', domain: 'sys-update.cn', port: 80 }],
          usersNotified: 298,
          remarks: '网内封堵。',
        },
        {
          seq: 2,
          reportId: 'op-cmcc-20261128-0008',
          disposedAt: '2026-11-28T09:00:00+08:00',
          malwareName: 's.payment.sysantirus.g.[伪系统杀毒]',
          usersNotified: 47,
          undisposedDistributionServers: [{ ip: '192.0.2.150' }],
          undisposedReason: '传播源为个人论坛附件，服务器不在本企业网内，已提请CNCERT协调。',
        },
      ],
    },
  },
};
