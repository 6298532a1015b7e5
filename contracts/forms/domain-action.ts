import { oneOf } from '../model/builders';

/** What a registry or registrar does to a malicious domain (Art. 11(2)). */
export const domainActions = {
  'stop-resolution': '停止解析',
  hold: '暂停解析（注册局/注册商锁定）',
  lock: '禁止转移和变更',
  delete: '注销',
} as const;

/** A disposal action asked for (DomainDisposalRequest). */
export const requestedDomainAction = oneOf(Object.keys(domainActions), domainActions);

/** A disposal action reported (DomainDisposalFeedback): one of the above, or why none was taken. */
export const takenDomainAction = oneOf([...Object.keys(domainActions), 'not-managed', 'none'], {
  ...domainActions,
  'not-managed': '非本机构管理',
  none: '未处置',
});
