import { CaseEntity, CaseMessageEntity } from './case';
import { ObligationEntity } from './obligation';
import { SpecialPeriodEntity } from './special-period';
import { AlertEmailEntity, AlertEntity } from '../alerts-entity';

export * from './case';
export * from './obligation';
export * from './special-period';

/** The entities of the obligations module, for the store's DataSource. */
export const obligationEntities = [ObligationEntity, CaseEntity, CaseMessageEntity, SpecialPeriodEntity, AlertEntity, AlertEmailEntity];
