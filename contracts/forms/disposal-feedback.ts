import { datetime, int, longText, malwareName, obj, opt, req, text } from '../model/builders';
import { filerFields, serverList, taskNumber } from '../model/common';
import type { CrossRule, Field, FormDeclaration } from '../model/field-types';

/** 未处置的原因 is required as soon as anything is left undisposed (Annex 5). */
export const undisposedReasonRule: CrossRule = {
  rule: 'required-when-any',
  field: 'undisposedReason',
  when: ['undisposedControlServers', 'undisposedDistributionServers'],
  source: 'Annex 5',
  message: '未处置的原因 (undisposedReason) is required when any control or distribution server is left undisposed',
};

/**
 * The disposal boxes of Annex 5, shared by DisposalFeedback and each row of the monthly level IV
 * spreadsheet (MonthlyDisposalFeedback). Declare them inside an object carrying
 * `undisposedReasonRule`.
 */
export function disposalFields(): Record<string, Field> {
  return {
    disposedAt: req(datetime, ['处置时间', 'disposed at']),
    malwareName: req(malwareName, ['恶意程序名称', 'malware name'], 'YD/T 2439-2012'),
    disposedControlServers: opt(serverList, ['已处置的控制服务器IP地址及其使用的域名、端口', 'control servers disposed of']),
    disposedDistributionServers: opt(serverList, ['已处置的传播服务器IP地址及其使用的域名、端口', 'distribution servers disposed of']),
    usersNotified: req(int(0), ['已直接提示的用户数量', 'users notified directly'], 'Art. 11(1)'),
    undisposedControlServers: opt(serverList, ['未处置的控制服务器IP地址及其使用的域名、端口', 'control servers not disposed of']),
    undisposedDistributionServers: opt(serverList, ['未处置的传播服务器IP地址及其使用的域名、端口', 'distribution servers not disposed of']),
    undisposedReason: opt(longText(2000), ['未处置的原因', 'why not disposed of']),
    remarks: opt(longText(2000), ['备注', 'remarks']),
  };
}

const { disposedAt, ...rest } = disposalFields();

/**
 * 附件五 较大以上移动互联网恶意程序处置反馈表 — the disposing unit tells CNCERT what it did: within
 * 2 h (level I/II) or 4 h (III) of receiving the notice (Art. 11(4)). The box 验证结果 (由CNCERT填写)
 * is not a field: CNCERT answers with a VerificationResult.
 */
export const disposalFeedback: FormDeclaration = {
  name: 'DisposalFeedback',
  title: '较大以上移动互联网恶意程序处置反馈表',
  titleEn: 'Mobile malware disposal feedback',
  source: 'Annex 5',
  body: obj(
    {
      reportingUnit: req(text(100), ['报送单位', 'reporting unit']),
      taskNumber: req(taskNumber, ['任务编号', 'task number']),
      ...filerFields(),
      disposedAt,
      feedbackAt: req(datetime, ['反馈时间', 'feedback at']),
      ...rest,
    },
    [undisposedReasonRule],
  ),
  example: {
    id: 'op-cmcc-20261128-0011',
    type: 'DisposalFeedback',
    version: '1.0',
    from: 'op-cmcc',
    to: ['cncert'],
    cc: ['miit', 'ca-11', 'ca-44'],
    sentAt: '2026-11-28T13:10:00+08:00',
    references: { taskNumber: 'CNCERT-2026-1128-017', inReplyTo: 'cncert-20261128-0003' },
    body: {
      reportingUnit: '中国移动通信集团有限公司',
      taskNumber: 'CNCERT-2026-1128-017',
      reporter: '李强',
      phone: '010-66006688',
      email: 'security@chinamobile.example.cn',
      disposedAt: '2026-11-28T12:40:00+08:00',
      feedbackAt: '2026-11-28T13:05:00+08:00',
      malwareName: 'a.expense.GhostPush.a',
      disposedControlServers: [
        { ip: '203.0.113.45', domain: 'ghostpush-c2.cn', port: 8080 },
        { ip: '2001:db8::45', domain: 'ghostpush-c2.cn', port: 443 },
      ],
      disposedDistributionServers: [{ ip: '192.0.2.77', port: 8088 }],
      usersNotified: 58904,
      undisposedControlServers: [],
      undisposedDistributionServers: [{ ip: '198.51.100.23', domain: 'gp-update.com', port: 80 }],
      undisposedReason: '该传播服务器位于境外，域名gp-update.com在境外注册，本企业仅能在网内封堵，已提请CNCERT协调境外处置。',
      remarks: '已通过短信向受感染用户提示卸载方法并提供查杀技术咨询（第十一条第一项）。',
    },
  },
};
