/** Validation of mmgw messages against the form declarations, with the domain checks. */
export { validate, type ValidationResult } from './validate';
export { validateInput, type InputValidation } from './validate-input';
export { DEFAULT_VALIDATION_OPTIONS, type ValidationOptions } from './options';
export { formatContractError, toGatewayError, type ContractError } from './contract-error';
export { PROVINCES, PROVINCE_CODES } from './provinces';
