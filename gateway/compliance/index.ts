export { complianceReport, type ComplianceQuery, type ComplianceReport, type UnitCompliance, type LateObligation, type OverdueObligation } from './report';
export { parsePeriod, inPeriod, type Period } from './period';
export { scanUnderGrading, type UnderGradedReport, type UnderGradingScan } from './under-graded';
export { complianceFor, mayReadCompliance, COMPLIANCE_READERS } from './access';
