import { EntitySchema } from 'typeorm';
import { instant } from '../../store/entities/columns';

/** A sample (by MD5) declared in an accepted SampleReport, and who reported it in which message. */
export interface SampleReporterRow {
  /** 32 lower-case hex digits. */
  md5: string;
  institutionCode: string;
  messageId: string;
  reportedAt: Date;
}

export const SampleReporterEntity = new EntitySchema<SampleReporterRow>({
  name: 'SampleReporter',
  tableName: 'sample_reporters',
  columns: {
    md5: { type: 'varchar', length: 32, primary: true },
    institutionCode: { type: 'varchar', length: 32, name: 'institution_code', primary: true },
    messageId: { type: 'varchar', length: 128, name: 'message_id', primary: true },
    reportedAt: { ...instant, name: 'reported_at' },
  },
});
