export {
  checkCreditCode,
  creditCodeCheckChar,
  creditCodeSchema,
  organizationCodeCheckDigit,
  type CreditCodeCheck,
} from './credit-code.ts';
export {
  checkDivisionCode,
  divisionCodeSchema,
  divisionLevel,
  divisionParent,
  divisionScope,
  isProvinceCode,
  isWithinDivision,
  PROVINCE_CODES,
  type DivisionCodeCheck,
  type DivisionLevel,
} from './division-code.ts';
export { maskMobile, maskName, maskResidentId } from './masking.ts';
export { checkMobile, mobileSchema, type MobileCheck } from './mobile.ts';
export {
  checkResidentId,
  residentIdBirthDate,
  residentIdCheckChar,
  residentIdSchema,
  residentIdSex,
  type ResidentIdCheck,
  type ResidentSex,
} from './resident-id.ts';
