/**
 * The routing of the mechanism as data (architecture.md, idea 3): for each form, who may send
 * it and whom it must go to (报 `to`) and be copied to (抄报 `cc`), as rules.md lists them.
 *
 * Institution patterns: an exact code (`miit`, `cncert`, `mmgw`, `ca-11`, `op-cmcc` …), a kind
 * (`ca-*`, `op-*`, `dr-*`, `rr-*`) or `*` (anyone). Body paths are dotted field names; lists on
 * the way are walked through, so `samples.md5` names the MD5 of every sample row.
 */

/** Facts the routing cannot know from the message itself; a resolver answers them. */
export type RoutingFactName = 'domain-managers' | 'sample-reporters' | 'sender-of';

/** One rule that yields recipients. */
export type RecipientRule =
  /** This institution. */
  | { readonly kind: 'institution'; readonly code: string }
  /** The relevant Communications Administration (ca-NN) of each province code at `field`. */
  | { readonly kind: 'provinces'; readonly field: string }
  /** The institution codes written at `field`. */
  | { readonly kind: 'field'; readonly field: string }
  /** What the resolver answers for each value at `field` (e.g. the dr-/rr- managing each domain). */
  | { readonly kind: 'fact'; readonly fact: RoutingFactName; readonly field: string }
  /** The sender names them (e.g. "the units concerned"): the envelope's own entries that match `patterns`, at least `minItems`. */
  | { readonly kind: 'chosen'; readonly patterns: readonly string[]; readonly minItems: number };

/** A condition on a body field, e.g. the event level. */
export interface RouteCondition {
  readonly field: string;
  readonly in: readonly string[];
}

/** One way a form may travel: senders, condition, required recipients. */
export interface RouteDeclaration {
  /** The article the route comes from, e.g. `Art. 10(2)`; say `Default:` in `description` for what rules.md leaves open. */
  readonly source: string;
  /** Who → whom, in words. */
  readonly description: string;
  readonly senders: readonly string[];
  /** The route applies only when this holds (e.g. level in I–III). */
  readonly when?: RouteCondition;
  /** Required recipients in `to` (报). */
  readonly to: readonly RecipientRule[];
  /** Required recipients in `cc` (抄报). */
  readonly cc?: readonly RecipientRule[];
  /** Further parties the sender may add in `to` or `cc`; none unless listed. */
  readonly mayAlsoInclude?: readonly string[];
  /** The form may travel only over the agreed electronic interface, never as a phone call or paper (Art. 10(2), level IV). */
  readonly electronicOnly?: boolean;
}

/** The routing table: for each declared form, its routes, tried in order. */
export type RoutingTable = Readonly<Record<string, readonly RouteDeclaration[]>>;
