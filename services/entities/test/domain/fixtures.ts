import { creditCodeCheckChar, organizationCodeCheckDigit, residentIdCheckChar } from '@firegov/contracts';
import type { z } from 'zod';

export const VILLAGE = '500230213201';
export const GRID = `${VILLAGE}-G01`;
export const MOBILE = '13812345678';

export function residentId(first17 = '50023019800101123'): string {
  return first17 + residentIdCheckChar(first17);
}

export function creditCode(org8 = 'MA5U0000'): string {
  const first17 = `92500230${org8}${organizationCodeCheckDigit(org8)}`;
  return first17 + creditCodeCheckChar(first17);
}

export function validUnit(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '青龙场镇张记餐馆',
    category: 'restaurant',
    jurisdictionCode: VILLAGE,
    address: '青龙乡青龙村场镇街12号',
    buildingUse: 'mixed',
    floors: 3,
    heightM: 10.5,
    occupancy: 30,
    responsiblePerson: { name: '张三', phone: MOBILE, idNumber: residentId() },
    ...overrides,
  };
}

/** A schema's issues as `path: message` lines, in zod's order ([] when the input is valid). */
export function issues(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
