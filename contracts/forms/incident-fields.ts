import { datetime, decimal, int, longText, malwareName, opt, req } from '../model/builders';
import { provinceList, serverList } from '../model/common';
import type { Field, ScalarType } from '../model/field-types';

/**
 * The fields that describe one event (Annex 3 and the four the mechanism needs besides), shared
 * by IncidentReport and each event of an IncidentReportBatch. `level` is the type of the level
 * field: any of I–IV for a report, only IV inside a batch.
 */
export function incidentEventFields(level: ScalarType): Record<string, Field> {
  return {
    occurredAt: req(datetime, ['发生时间', 'occurred at']),
    discoveredAt: req(datetime, ['发现时间', 'discovered at'], 'Art. 10(2)'),
    malwareName: req(malwareName, ['恶意程序名称', 'malware name'], 'YD/T 2439-2012'),
    summary: req(longText(4000), ['事件简要描述', 'summary']),
    controlServers: opt(serverList, ['控制服务器IP地址及其使用的域名、端口', 'control servers']),
    distributionServers: opt(serverList, ['传播服务器IP地址及其使用的域名、端口', 'distribution servers']),
    infectedDevices: req(int(0), ['受感染移动智能终端数量', 'infected devices']),
    mainBehaviours: req(longText(4000), ['主要行为特征', 'main behaviours']),
    potentialHarm: req(longText(4000), ['潜在危害', 'potential harm']),
    remarks: opt(longText(2000), ['备注', 'remarks']),
    level: req(level, ['事件级别', 'event level'], 'Art. 8'),
    levelJustification: opt(longText(2000), ['定级说明', 'justification of a level that differs from the figures'], 'Art. 8'),
    provinces: req(provinceList, ['涉及省份', 'provinces touched'], 'Art. 10(2)'),
    lossYuan: req(decimal(0, 2), ['用户通信费用损失累计（元）', 'cumulative communication-fee loss (yuan)'], 'Art. 8'),
    infectedNumbers24h: req(int(0), ['24小时内受感染手机号码数', 'phone numbers infected within 24 h'], 'Art. 8'),
  };
}
