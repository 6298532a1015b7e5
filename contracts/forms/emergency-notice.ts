import { datetime, institution, longText, obj, oneOf, opt, req, text } from '../model/builders';
import { eventLevel, person, taskNumber } from '../model/common';
import type { FormDeclaration } from '../model/field-types';

/** The forms whose notice or feedback may go first by phone or e-mail (Art. 15: level III and above). */
export const writtenForms = ['IncidentReport', 'IncidentNotice', 'DisposalFeedback', 'VerificationResult'] as const;

/**
 * A phone call or an unsigned e-mail, logged by the unit that received it before the written form
 * arrives (Art. 15: "紧急情况下，可以先通过电话、电子邮件等方式联系，后补书面材料"). It meets the
 * clock of the obligation it answers provisionally and opens the caller's written follow-up.
 */
export const emergencyNotice: FormDeclaration = {
  name: 'EmergencyNotice',
  title: '紧急情况电话、电子邮件联系记录',
  titleEn: 'Emergency phone or e-mail notice (Art. 15)',
  source: 'Art. 15',
  body: obj({
    channel: req(oneOf(['phone', 'email'], { phone: '电话', email: '电子邮件' }), ['联系方式', 'channel']),
    caller: req(person, ['联系人', 'caller']),
    institution: req(institution, ['联系单位', 'caller institution']),
    at: req(datetime, ['联系时间', 'at']),
    standsFor: req(oneOf(writtenForms), ['对应书面表格', 'written form it stands for']),
    taskNumber: opt(taskNumber, ['任务编号', 'task number'], 'Annex 4'),
    level: opt(eventLevel, ['事件级别', 'event level'], 'Art. 8'),
    summary: req(longText(4000), ['联系内容摘要', 'summary']),
    recordedBy: req(text(50), ['记录人', 'recorded by']),
    remarks: opt(longText(2000), ['备注', 'remarks']),
  }),
  example: {
    id: 'cncert-20261128-0007',
    type: 'EmergencyNotice',
    version: '1.0',
    from: 'cncert',
    to: ['op-cmcc'],
    cc: ['miit'],
    sentAt: '2026-11-28T12:55:00+08:00',
    references: { taskNumber: 'CNCERT-2026-1128-017', inReplyTo: 'cncert-20261128-0003' },
    body: {
      channel: 'phone',
      caller: { name: '李强', phone: '010-66006688', mobile: '13901010303', email: 'security@chinamobile.example.cn' },
      institution: 'op-cmcc',
      at: '2026-11-28T12:45:00+08:00',
      standsFor: 'DisposalFeedback',
      taskNumber: 'CNCERT-2026-1128-017',
      level: 'II',
      summary: '中国移动电话反馈：GhostPush控制服务器两处已在网内封堵，境内传播服务器已处置，境外传播服务器gp-update.com未能处置，已提示受感染用户约五万九千户，书面反馈表随后补报。',
      recordedBy: 'CNCERT值班员 赵磊',
      remarks: '书面反馈表已于13:10收到（op-cmcc-20261128-0011）。',
    },
  },
};
