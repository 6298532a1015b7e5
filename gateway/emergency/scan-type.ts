/** The media types a scan of a paper original may have, recognised by their first bytes (not by the name or the browser's claim). */
export type ScanType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** The media type of `bytes` by its signature: `%PDF-`, JPEG's FF D8 FF, PNG's 89 50 4E 47 0D 0A 1A 0A; undefined for anything else. */
export function scanTypeOf(bytes: Buffer): ScanType | undefined {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

/** The file extension of a scan type, for the download's name. */
export const SCAN_EXTENSIONS: Readonly<Record<ScanType, string>> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };
