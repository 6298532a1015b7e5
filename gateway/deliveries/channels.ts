import type { Channel, InstitutionRow } from '../store/entities/institution';

/** A delivery channel kind. */
export type ChannelKind = Channel['kind'];

const KINDS: readonly ChannelKind[] = ['mailbox', 'push', 'email'];

/**
 * The channels a delivery to `institution` tries, in order: the registry's channels in its order
 * of preference (one per kind, the first of a kind wins), then the mailbox if the registry does
 * not list it — every institution can pull from its mailbox, so it is the last resort and
 * nothing accepted is left without a way to its recipient. An institution missing from the
 * registry gets the mailbox alone.
 */
export function deliveryChannels(institution: Pick<InstitutionRow, 'channels'> | null): Channel[] {
  const out: Channel[] = [];
  for (const c of institution?.channels ?? []) {
    if (KINDS.includes(c.kind) && !out.some((o) => o.kind === c.kind)) out.push(c);
  }
  if (!out.some((c) => c.kind === 'mailbox')) out.push({ kind: 'mailbox' });
  return out;
}
