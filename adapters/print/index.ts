/** Printing a stored message as its official form (issue 8, item 2): Annexes 1–5 and every other message, as print-ready HTML and PDF. */
export { renderPrintForm, hasAnnexLayout, type PrintableForm, type PrintMetadata, type PrintOptions, type PrintedForm } from './render-print-form';
export { ANNEX_LAYOUTS, annexLayoutOf, type AnnexLayout } from './annex-layouts';
export { beijingZh, type InstitutionNames } from './print-values';
export { signerCertificateOf, type SignerCertificate } from './signer-certificate';
export { renderPdf, DEFAULT_CHROMIUM_PATH } from './render-pdf';
