import { arr, datetime, int, obj, oneOf, req, text } from '../model/builders';
import { filerFields } from '../model/common';
import type { FormDeclaration } from '../model/field-types';
import { incidentEventFields } from './incident-fields';

/**
 * Level IV (一般) events, reported in a batch to CNCERT over the agreed electronic interface
 * (Art. 10(2): "一般事件应按约定电子接口方式报CNCERT汇总"). Each event carries the level IV
 * IncidentReport fields; the header those of the reporting unit.
 */
export const incidentReportBatch: FormDeclaration = {
  name: 'IncidentReportBatch',
  title: '一般移动互联网恶意程序事件批量报送',
  titleEn: 'Batch of level IV mobile malware incident reports',
  source: 'Art. 10(2)',
  body: obj({
    reportingUnit: req(text(100), ['报送单位', 'reporting unit']),
    ...filerFields(),
    reportedAt: req(datetime, ['报送时间', 'reported at']),
    events: req(
      arr(
        obj({
          seq: req(int(1, 100000), ['序号', 'no.']),
          ...incidentEventFields(oneOf(['IV'], { IV: '一般' })),
        }),
        'event',
        { minItems: 1, maxItems: 5000 },
      ),
      ['事件', 'events'],
    ),
  }),
  example: {
    id: 'op-cmcc-20261128-0008',
    type: 'IncidentReportBatch',
    version: '1.0',
    from: 'op-cmcc',
    to: ['cncert'],
    sentAt: '2026-11-28T17:30:00+08:00',
    body: {
      reportingUnit: '中国移动通信集团有限公司',
      reporter: '李强',
      phone: '010-66006688',
      email: 'security@chinamobile.example.cn',
      reportedAt: '2026-11-28T17:28:00+08:00',
      events: [
        {
          seq: 1,
          occurredAt: '2026-11-27T08:00:00+08:00',
          discoveredAt: '2026-11-27T14:10:00+08:00',
          malwareName: 'a.privacy.emial.d',
          summary: '伪装成系统更新的窃信木马在浙江省内少量传播。',
          controlServers: [{ ip: '203.0.113.88', domain: 'mail-sync.cn', port: 25 }],
          distributionServers: [{ ip: '198.51.100.61', domain: 'sys-update.cn', port: 80 }],
          infectedDevices: 312,
          mainBehaviours: '窃取通讯录和短信，通过邮件发送至控制服务器。',
          potentialHarm: '用户隐私泄露，验证码短信被盗用。',
          remarks: '已在本网封堵控制服务器IP。',
          level: 'IV',
          levelJustification: '数据均未达到较大事件标准。',
          provinces: ['33'],
          lossYuan: 0,
          infectedNumbers24h: 298,
        },
        {
          seq: 2,
          occurredAt: '2026-11-26T20:30:00+08:00',
          discoveredAt: '2026-11-27T09:45:00+08:00',
          malwareName: 's.payment.sysantirus.g.[伪系统杀毒]',
          summary: '伪装为系统杀毒软件的扣费程序在存量塞班终端上传播。',
          infectedDevices: 47,
          mainBehaviours: '私自发送短信定制付费业务。',
          potentialHarm: '用户通信费用损失。',
          level: 'IV',
          provinces: ['44', '45'],
          lossYuan: 1270.4,
          infectedNumbers24h: 47,
        },
      ],
    },
  },
};
