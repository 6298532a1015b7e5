export { purgeExpired, DEFAULT_RETENTION_DAYS, type PurgeOptions, type PurgeResult, type PurgedMessage } from './purge';
export { declaredMd5s, listSampleFiles, type SampleFile } from './sample-files';
export { setLegalHold } from './legal-hold';
