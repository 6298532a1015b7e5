import { datetime, obj, req, text } from '../model/builders';
import { eventLevel, filerFields } from '../model/common';
import type { FormDeclaration } from '../model/field-types';
import { incidentEventFields } from './incident-fields';

const { occurredAt, ...eventFields } = incidentEventFields(eventLevel);

/**
 * 附件三 较大以上移动互联网恶意程序事件报送表 — an operator reports an event: level I/II within 2 h,
 * III within 4 h to MIIT (cc the relevant ca-NN and CNCERT); level IV to CNCERT over the
 * electronic interface (Art. 10(2)). CNCERT reports the events it learns of to MIIT (Art. 10(3)).
 */
export const incidentReport: FormDeclaration = {
  name: 'IncidentReport',
  title: '较大以上移动互联网恶意程序事件报送表',
  titleEn: 'Mobile malware incident report',
  source: 'Annex 3',
  body: obj({
    reportingUnit: req(text(100), ['报送单位', 'reporting unit']),
    ...filerFields(),
    occurredAt,
    reportedAt: req(datetime, ['报送时间', 'reported at']),
    ...eventFields,
  }),
  example: {
    id: 'op-cmcc-20261128-0007',
    type: 'IncidentReport',
    version: '1.0',
    from: 'op-cmcc',
    to: ['miit'],
    cc: ['ca-11', 'ca-44', 'cncert'],
    sentAt: '2026-11-28T10:52:00+08:00',
    body: {
      reportingUnit: '中国移动通信集团有限公司',
      reporter: '李强',
      phone: '010-66006688',
      email: 'security@chinamobile.example.cn',
      occurredAt: '2026-11-27T22:00:00+08:00',
      reportedAt: '2026-11-28T10:50:00+08:00',
      discoveredAt: '2026-11-28T09:20:00+08:00',
      malwareName: 'a.expense.GhostPush.a',
      summary: '“GhostPush”恶意程序伪装成系统更新在第三方应用商店传播，感染后私自订购增值业务并静默下载推广应用，北京、广东两地用户集中投诉。',
      controlServers: [
        { ip: '203.0.113.45', domain: 'ghostpush-c2.cn', port: 8080 },
        { ip: '2001:db8::45', domain: 'ghostpush-c2.cn', port: 443 },
      ],
      distributionServers: [
        { ip: '198.51.100.23', domain: 'gp-update.com', port: 80 },
        { ip: '192.0.2.77', port: 8088 },
      ],
      infectedDevices: 71230,
      mainBehaviours: '获取ROOT权限后植入系统目录；后台发送扣费短信订购增值业务；静默下载并安装推广应用；屏蔽运营商扣费提醒短信。',
      potentialHarm: '用户通信费用损失，流量消耗；ROOT后难以卸载，可被远程控制下发其他恶意程序。',
      remarks: '已于09:35电话报告工业和信息化部通信保障局值班室，书面报送表随后补报。',
      level: 'II',
      levelJustification: '费用损失未超过五百万元，但24小时内受感染手机号码数超过五万个，按第八条定为重大事件。',
      provinces: ['11', '44'],
      lossYuan: 1850000.5,
      infectedNumbers24h: 63412,
    },
  },
};
