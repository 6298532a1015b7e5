import { arr, datetime, int, longText, malwareName, obj, oneOf, opt, req, text } from '../model/builders';
import { filerFields, provinceList, serverList, taskNumber } from '../model/common';
import type { FormDeclaration } from '../model/field-types';

/**
 * 附件四 较大以上移动互联网恶意程序事件信息通报 — MIIT, or CNCERT on its behalf, notifies the units
 * concerned of an event (Art. 10(3)). Its task number ties every later message of the case
 * together; receiving it starts the disposal-feedback clock (Art. 11(4)).
 */
export const incidentNotice: FormDeclaration = {
  name: 'IncidentNotice',
  title: '较大以上移动互联网恶意程序事件信息通报',
  titleEn: 'Mobile malware incident notice',
  source: 'Annex 4',
  body: obj({
    taskNumber: req(taskNumber, ['任务编号', 'task number']),
    ...filerFields(),
    occurredAt: req(datetime, ['发生时间', 'occurred at']),
    reportedAt: req(datetime, ['报送时间', 'reported at']),
    malwareName: req(malwareName, ['恶意程序名称', 'malware name'], 'YD/T 2439-2012'),
    operator: req(text(100), ['所属移动通信运营企业', 'operator concerned']),
    affectedPlatforms: req(
      arr(
        obj({
          system: req(text(50), ['系统类型', 'operating system']),
          versions: opt(text(200), ['版本', 'versions']),
        }),
        'platform',
        { minItems: 1, maxItems: 50 },
      ),
      ['影响的移动智能终端系统类型、版本', 'affected platforms and versions'],
    ),
    summary: req(longText(4000), ['事件简要描述', 'summary']),
    controlServers: opt(serverList, ['控制服务器IP地址及其使用的域名、端口', 'control servers']),
    distributionServers: opt(serverList, ['传播服务器IP地址及其使用的域名、端口', 'distribution servers']),
    infectedDevices: req(int(0), ['受感染移动智能终端数量', 'infected devices']),
    mainBehaviours: req(longText(4000), ['主要行为特征', 'main behaviours']),
    potentialHarm: req(longText(4000), ['潜在危害', 'potential harm']),
    remarks: opt(longText(2000), ['备注', 'remarks']),
    level: req(oneOf(['I', 'II', 'III'], { I: '特别重大', II: '重大', III: '较大' }), ['事件级别', 'event level'], 'Art. 8'),
    provinces: req(provinceList, ['涉及省份', 'provinces touched'], 'Art. 10(3)'),
  }),
  example: {
    id: 'cncert-20261128-0003',
    type: 'IncidentNotice',
    version: '1.0',
    from: 'cncert',
    to: ['op-cmcc', 'op-cucc', 'op-ctcc'],
    cc: ['ca-11', 'ca-44', 'miit'],
    sentAt: '2026-11-28T11:30:00+08:00',
    references: { taskNumber: 'CNCERT-2026-1128-017', inReplyTo: 'op-cmcc-20261128-0007' },
    body: {
      taskNumber: 'CNCERT-2026-1128-017',
      reporter: '赵磊',
      phone: '010-82990999',
      email: 'duty@cert.example.org.cn',
      occurredAt: '2026-11-27T22:00:00+08:00',
      reportedAt: '2026-11-28T10:50:00+08:00',
      malwareName: 'a.expense.GhostPush.a',
      operator: '中国移动通信集团有限公司',
      affectedPlatforms: [
        { system: 'Android', versions: '4.4–7.1' },
        { system: 'Android（定制ROM）' },
      ],
      summary: '“GhostPush”恶意程序伪装成系统更新在第三方应用商店传播，感染后私自订购增值业务并静默下载推广应用，北京、广东两地受感染用户较多。',
      controlServers: [
        { ip: '203.0.113.45', domain: 'ghostpush-c2.cn', port: 8080 },
        { ip: '2001:db8::45', domain: 'ghostpush-c2.cn', port: 443 },
      ],
      distributionServers: [
        { ip: '198.51.100.23', domain: 'gp-update.com', port: 80 },
        { ip: '192.0.2.77', port: 8088 },
      ],
      infectedDevices: 71230,
      mainBehaviours: '获取ROOT权限后植入系统目录；后台发送扣费短信订购增值业务；静默下载并安装推广应用。',
      potentialHarm: '用户通信费用损失，流量消耗；可被远程控制下发其他恶意程序。',
      remarks: '请各运营企业在接到通报后2小时内向CNCERT反馈处置情况（第十一条第四项）。',
      level: 'II',
      provinces: ['11', '44'],
    },
  },
};
