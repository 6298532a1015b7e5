/**
 * The vocabulary in which every form of the mechanism is declared, once (architecture.md,
 * idea 3). Codecs, validation, JSON Schema, XSD, examples and documentation are derived from
 * these declarations and never written a second time.
 */

/** Where a rule comes from: an article, annex or standard, e.g. `Art. 9(1)`, `Annex 1`, `YD/T 2439-2012`. */
export type Source = string;

/** Scalar kinds. Domain kinds (md5, malware-name, …) carry their own check and normalisation. */
export type ScalarType =
  | { readonly kind: 'string'; readonly minLength?: number; readonly maxLength?: number; readonly pattern?: string; readonly patternHint?: string; readonly multiline?: boolean }
  | { readonly kind: 'integer'; readonly minimum?: number; readonly maximum?: number }
  /** A non-integer number, e.g. an amount of yuan; `fractionDigits` bounds the decimals. */
  | { readonly kind: 'decimal'; readonly minimum?: number; readonly fractionDigits?: number }
  | { readonly kind: 'boolean' }
  /** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`); kept as written. */
  | { readonly kind: 'datetime' }
  /** ISO 8601 calendar date `YYYY-MM-DD` (a Beijing-time date, e.g. an effective date). */
  | { readonly kind: 'date' }
  /** A Beijing-time month `YYYY-MM`. */
  | { readonly kind: 'month' }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly labels?: Readonly<Record<string, string>> }
  /** 32 hex digits, normalised to lower case. */
  | { readonly kind: 'md5' }
  /** 64 hex digits, normalised to lower case. */
  | { readonly kind: 'sha256' }
  /** YD/T 2439-2012 canonical malware name `<os>.<attribute>.<family>.<variant>[.[中文扩展]]`. */
  | { readonly kind: 'malware-name' }
  /** IPv4 or IPv6 address; IPv6 normalised to its compressed lower-case form. */
  | { readonly kind: 'ip' }
  /** TCP/UDP port 1–65535. */
  | { readonly kind: 'port' }
  /** A domain name; IDNA to punycode, lower case, defanged `[.]` accepted. */
  | { readonly kind: 'domain' }
  /** An http(s) URL; defanged forms (`hxxp://`, `[.]`) accepted and normalised. */
  | { readonly kind: 'url' }
  /** GB/T 2260 two-digit province code (`11` Beijing … `65` Xinjiang). */
  | { readonly kind: 'province' }
  /** An institution code of the mechanism: `miit`, `cncert`, `ca-NN`, `op-*`, `dr-*`, `rr-*`. */
  | { readonly kind: 'institution' }
  | { readonly kind: 'email' }
  /** A telephone or mobile number: digits with optional `+`, spaces, hyphens and an extension. */
  | { readonly kind: 'phone' }
  /** A message id: 8–128 characters of `[A-Za-z0-9._:-]`, starting with a letter or digit. */
  | { readonly kind: 'message-id' };

export interface ArrayType {
  readonly kind: 'array';
  readonly of: FieldType;
  /** The XML element name of each item, e.g. `server` inside `<controlServers>`. */
  readonly item: string;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** A cross-field rule, declared as data and checked by validation. */
export type CrossRule =
  /** `field` is required when any of `when` is present and non-empty. */
  | { readonly rule: 'required-when-any'; readonly field: string; readonly when: readonly string[]; readonly source: Source; readonly message: string };

export interface ObjectType {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, Field>>;
  readonly rules?: readonly CrossRule[];
}

export type FieldType = ScalarType | ArrayType | ObjectType;

export interface Field {
  readonly type: FieldType;
  readonly required: boolean;
  /** The form's own Chinese label, e.g. `填报单位`. */
  readonly label: string;
  /** English label for documentation and the English console. */
  readonly labelEn: string;
  /** Where the field comes from, when it differs from its form's source. */
  readonly source?: Source;
}

/** One form or message of the mechanism (rules.md, "The forms"). */
export interface FormDeclaration {
  /** The envelope `type` and the XML element name inside `<body>`, e.g. `SampleReport`. */
  readonly name: string;
  /** The form's Chinese title, e.g. `移动互联网疑似恶意程序样本报送表`. */
  readonly title: string;
  readonly titleEn: string;
  /** The annex or article the form comes from, e.g. `Annex 1`. */
  readonly source: Source;
  readonly body: ObjectType;
  /** One valid, complete example message (envelope and body) of this form, as JSON. */
  readonly example: ExampleMessage;
}

export interface ExampleMessage {
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly sentAt: string;
  readonly references?: { readonly taskNumber?: string; readonly inReplyTo?: string };
  readonly body: Readonly<Record<string, unknown>>;
}
