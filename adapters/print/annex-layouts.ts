/**
 * How each annex of the mechanism (mechanism.zh.txt, 附件一 … 附件五) lays its boxes out on paper.
 * Only the arrangement is written here: the labels, titles and types come from the form
 * declarations in contracts/forms (architecture.md, idea 3). Fields a form declares but its annex
 * does not print (e.g. IncidentReport's `discoveredAt`, `level`) are printed after the annex's
 * table, under their declared labels, so nothing the sender signed is left off the page.
 */

/** A line above the table: a body field, or the envelope's addressees (报 / 抄报). */
export type HeaderLine = { readonly field: string } | { readonly envelope: 'to-cc' };

/** The paper layout of one annex. */
export interface AnnexLayout {
  /** The form (envelope `type`) printed with this layout. */
  readonly form: string;
  /** The annex number as the mechanism writes it, e.g. `附件三`. */
  readonly annex: string;
  /** A field printed in brackets under the title, e.g. （报送单位：…） of Annexes 3 and 5. */
  readonly unitLine?: string;
  /** The lines between the title and the table, in the annex's order. */
  readonly header: readonly HeaderLine[];
  /** Annexes 1–2: the repeating group printed as the table, one row per item, its columns in declaration order. */
  readonly rowsOf?: string;
  /** Annexes 3–5: the table's rows, each with one to three boxes (label, value). */
  readonly grid?: readonly (readonly string[])[];
  /** Boxes of the paper form that the sender does not fill, printed empty, e.g. Annex 5's 验证结果. */
  readonly blankBoxes?: readonly { readonly label: string; readonly note: string }[];
}

const FILER = ['reporter', 'phone', 'email'];

/** Annexes 1–5, in the mechanism's order. */
export const ANNEX_LAYOUTS: readonly AnnexLayout[] = [
  {
    form: 'SampleReport',
    annex: '附件一',
    header: [{ field: 'reportingUnit' }, { field: 'reporter' }, { field: 'reportDate' }],
    rowsOf: 'samples',
  },
  {
    form: 'SampleIdentification',
    annex: '附件二',
    header: [{ field: 'number' }, { field: 'identifiedBy' }, { field: 'identifiedAt' }],
    rowsOf: 'samples',
  },
  {
    form: 'IncidentReport',
    annex: '附件三',
    unitLine: 'reportingUnit',
    header: [{ envelope: 'to-cc' }],
    grid: [FILER, ['occurredAt', 'reportedAt'], ['malwareName'], ['summary'], ['controlServers'], ['distributionServers'], ['infectedDevices'], ['mainBehaviours'], ['potentialHarm'], ['remarks']],
  },
  {
    form: 'IncidentNotice',
    annex: '附件四',
    header: [{ envelope: 'to-cc' }, { field: 'taskNumber' }],
    grid: [FILER, ['occurredAt', 'reportedAt'], ['malwareName'], ['operator', 'affectedPlatforms'], ['summary'], ['controlServers'], ['distributionServers'], ['infectedDevices'], ['mainBehaviours'], ['potentialHarm'], ['remarks']],
  },
  {
    form: 'DisposalFeedback',
    annex: '附件五',
    unitLine: 'reportingUnit',
    header: [{ envelope: 'to-cc' }, { field: 'taskNumber' }],
    grid: [
      FILER, ['disposedAt', 'feedbackAt'], ['malwareName'], ['disposedControlServers'], ['disposedDistributionServers'], ['usersNotified'],
      ['undisposedControlServers'], ['undisposedDistributionServers'], ['undisposedReason'], ['remarks'],
    ],
    blankBoxes: [{ label: '验证结果', note: '由CNCERT填写' }],
  },
];

const byForm = new Map(ANNEX_LAYOUTS.map((l) => [l.form, l]));

/** The annex layout of form `name`, or undefined for a message that has no annex. */
export function annexLayoutOf(name: string): AnnexLayout | undefined {
  return byForm.get(name);
}

/** Every body field an annex layout places (header, unit line, table), in no particular order. */
export function placedFields(layout: AnnexLayout): Set<string> {
  const placed = new Set<string>();
  if (layout.unitLine) placed.add(layout.unitLine);
  for (const h of layout.header) if ('field' in h) placed.add(h.field);
  if (layout.rowsOf) placed.add(layout.rowsOf);
  for (const row of layout.grid ?? []) for (const f of row) placed.add(f);
  return placed;
}
