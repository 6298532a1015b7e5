import { EntitySchema } from 'typeorm';
import { instant } from '../../store/entities/columns';

/** An Art. 16 special period as stored (declared by an administrator). */
export interface SpecialPeriodRow {
  id: string;
  name: string;
  start: Date;
  end: Date;
  hourFactor: number | null;
  /** The per-obligation overrides (JSON of `SpecialPeriodSpec.overrides`). */
  overrides: object;
  declaredBy: string;
  declaredAt: Date;
}

export const SpecialPeriodEntity = new EntitySchema<SpecialPeriodRow>({
  name: 'SpecialPeriod',
  tableName: 'special_periods',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 200 },
    start: { ...instant, name: 'start_at' },
    end: { ...instant, name: 'end_at' },
    hourFactor: { type: 'double', name: 'hour_factor', nullable: true },
    overrides: { type: 'simple-json' },
    declaredBy: { type: 'varchar', length: 64, name: 'declared_by' },
    declaredAt: { ...instant, name: 'declared_at' },
  },
});
