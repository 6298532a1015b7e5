import { PROVINCES } from '../../contracts/validation/provinces';
import type { Channel, InstitutionKind } from '../store/entities/institution';

/** One institution of a registry seed. */
export interface RegistryEntry {
  readonly code: string;
  readonly kind: InstitutionKind;
  /** Chinese name. */
  readonly name: string;
  /** GB/T 2260 province code for a ca-NN, otherwise null. */
  readonly province: string | null;
  readonly channels: readonly Channel[];
}

const MAILBOX: readonly Channel[] = [{ kind: 'mailbox' }];

const entry = (code: string, kind: InstitutionKind, name: string, province: string | null = null): RegistryEntry => ({ code, kind, name, province, channels: MAILBOX });

/**
 * The demo registry of a fresh gateway (issue 5, item 2): MIIT, CNCERT, the 31 provincial
 * Communications Administrations, the four basic telecom operators, CNNIC as the domain registry
 * and one demo registrar, each reached through its mailbox. The same codes as the dev PKI's
 * `DEMO_INSTITUTIONS`.
 */
export const DEMO_REGISTRY: readonly RegistryEntry[] = [
  entry('miit', 'miit', '工业和信息化部网络安全管理局'),
  entry('cncert', 'cncert', '国家计算机网络应急技术处理协调中心'),
  ...Object.entries(PROVINCES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, name]) => entry(`ca-${p}`, 'ca', `${name}通信管理局`, p)),
  entry('op-cmcc', 'operator', '中国移动通信集团有限公司'),
  entry('op-cucc', 'operator', '中国联合网络通信集团有限公司'),
  entry('op-ctcc', 'operator', '中国电信集团有限公司'),
  entry('op-cbn', 'operator', '中国广播电视网络集团有限公司'),
  entry('dr-cnnic', 'registry', '中国互联网络信息中心'),
  entry('rr-demo', 'registrar', '演示域名注册服务机构'),
];

/** The zones the demo domain registry manages, so that domain disposal routes on a fresh gateway. */
export const DEMO_DOMAIN_MANAGERS: readonly { readonly domain: string; readonly institution: string }[] = [
  { domain: 'cn', institution: 'dr-cnnic' },
  { domain: '中国', institution: 'dr-cnnic' },
];
