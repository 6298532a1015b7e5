import { IsNull, Not, type DataSource } from 'typeorm';
import type { Clock } from '../clock';
import { InstitutionEntity, type InstitutionRow } from '../store/entities/institution';
import { InstitutionCertificateEntity, type InstitutionCertificateRow } from '../store/entities/institution-certificate';

/** Options of the registry reader. */
export interface RegistryOptions {
  readonly clock: Clock;
  /**
   * How long the institutions read are kept before they are read again (another process may
   * change the registry); `invalidate()` drops them at once.
   * @defaultValue 30000
   */
  readonly ttlMs?: number;
}

/**
 * The registry of institutions as intake and routing read it: every institution, kept in memory
 * (one query per `ttlMs`, not one per message) with explicit invalidation after a change.
 */
export class Registry {
  private cached: { readonly at: number; readonly rows: Promise<ReadonlyMap<string, InstitutionRow>> } | undefined;
  private withdrawnCache: { readonly at: number; readonly rows: Promise<ReadonlyMap<string, InstitutionCertificateRow>> } | undefined;
  private readonly ttlMs: number;

  constructor(private readonly dataSource: DataSource, private readonly options: RegistryOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  /** Every institution by code. */
  institutions(): Promise<ReadonlyMap<string, InstitutionRow>> {
    const now = this.options.clock.now().getTime();
    if (this.cached === undefined || now - this.cached.at >= this.ttlMs || now < this.cached.at) {
      const rows = this.dataSource.manager.find(InstitutionEntity).then((list) => new Map(list.map((r) => [r.code, r] as const)));
      this.cached = { at: now, rows };
      rows.catch(() => { if (this.cached?.rows === rows) this.cached = undefined; });
    }
    return this.cached.rows;
  }

  /** The institution `code`, or undefined when it is not in the registry. */
  async get(code: string): Promise<InstitutionRow | undefined> {
    return (await this.institutions()).get(code);
  }

  /** The codes of `codes` that are not in the registry, each once, in order. */
  async missing(codes: readonly string[]): Promise<string[]> {
    const all = await this.institutions();
    return [...new Set(codes)].filter((c) => !all.has(c));
  }

  /** Drops the cached institutions and withdrawn certificates: the next read goes to the store. */
  invalidate(): void {
    this.cached = undefined;
    this.withdrawnCache = undefined;
  }

  /**
   * The certificate with SHA-256 fingerprint `fingerprint` (hex of the DER) when the
   * administrator has withdrawn it (`revokedAt` set), else undefined; cached like the institutions.
   */
  async withdrawn(fingerprint: string): Promise<InstitutionCertificateRow | undefined> {
    const now = this.options.clock.now().getTime();
    if (this.withdrawnCache === undefined || now - this.withdrawnCache.at >= this.ttlMs || now < this.withdrawnCache.at) {
      const rows = this.dataSource.manager.find(InstitutionCertificateEntity, { where: { revokedAt: Not(IsNull()) } }).then((list) => new Map(list.map((r) => [r.fingerprint, r] as const)));
      this.withdrawnCache = { at: now, rows };
      rows.catch(() => { if (this.withdrawnCache?.rows === rows) this.withdrawnCache = undefined; });
    }
    return (await this.withdrawnCache.rows).get(fingerprint.toLowerCase());
  }

  /** The certificates on record for `code`, newest first (not cached: read when managing them). */
  certificatesOf(code: string): Promise<InstitutionCertificateRow[]> {
    return this.dataSource.manager.find(InstitutionCertificateEntity, { where: { institutionCode: code }, order: { notBefore: 'DESC' } });
  }
}
