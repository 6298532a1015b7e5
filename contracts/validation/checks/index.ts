import type { ScalarType } from '../../model/field-types';
import type { ScalarCheck } from './check';
import { checkDate, checkMonth } from './date';
import { checkDatetime } from './datetime';
import { checkDomain } from './domain';
import { checkEmail } from './email';
import { checkEnum } from './enum';
import { checkInstitution } from './institution';
import { checkIp } from './ip';
import { checkMalwareName } from './malware-name';
import { checkMd5 } from './md5';
import { checkMessageId } from './message-id';
import { checkBoolean, checkDecimal, checkInteger } from './numbers';
import { checkPhone } from './phone';
import { checkPort } from './port';
import { checkProvince } from './province';
import { checkSha256 } from './sha256';
import { checkText } from './text';
import { checkUrl } from './url';

/** The check of every scalar kind; a new kind fails to compile until it has one. */
export const scalarChecks: { readonly [K in ScalarType['kind']]: ScalarCheck } = {
  string: checkText,
  integer: checkInteger,
  decimal: checkDecimal,
  boolean: checkBoolean,
  datetime: checkDatetime,
  date: checkDate,
  month: checkMonth,
  enum: checkEnum,
  md5: checkMd5,
  sha256: checkSha256,
  'malware-name': checkMalwareName,
  ip: checkIp,
  port: checkPort,
  domain: checkDomain,
  url: checkUrl,
  province: checkProvince,
  institution: checkInstitution,
  email: checkEmail,
  phone: checkPhone,
  'message-id': checkMessageId,
};
