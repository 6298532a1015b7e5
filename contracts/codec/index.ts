/** The codecs of mmgw messages: XML and JSON, both derived from the form declarations. */
export { decode, decodeJson, decodeXml, sniffFormat, type DecodeOptions, type DecodeResult, type DocumentFormat } from './decode';
export { encode } from './encode';
export { encodeJson, isFlattenedJws, type FlattenedJws } from './json-codec';
export { encodeXml } from './xml-writer';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './limits';
export { DSIG_NAMESPACE } from './xml-reader';
export type { MessageDocument } from './message-document';
export type { DocumentInput } from './text-input';
