import { defineEnum } from '@firegov/contracts';

// Keys travel in tokens and are stored with audit records, so they never change; labels may.
export const Role = defineEnum({
  county_admin: { zh: '县级管理员', en: 'County administrator' },
  township_officer: { zh: '乡镇工作人员', en: 'Township officer' },
  village_grid_manager: { zh: '村（社区）网格员', en: 'Village (community) grid manager' },
  department_officer: { zh: '行业部门', en: 'Sector department officer' },
  fire_brigade: { zh: '消防救援机构', en: 'Fire and rescue brigade' },
  agency: { zh: '第三方评估机构', en: 'Third-party assessment agency' },
  device_gateway: { zh: '设备网关', en: 'Device gateway' },
  learning_platform: { zh: '全民消防学习云平台', en: 'National fire-safety learning platform' },
});

export type Role = (typeof Role.values)[number];

// Only the tiers that go door to door (registering households, checking vulnerable residents) need
// names, ID numbers and phone numbers; everyone else works from masked records.
const PERSONAL_DATA_ROLES: ReadonlySet<Role> = new Set<Role>(['county_admin', 'township_officer', 'village_grid_manager']);

// Agencies, device gateways and the learning platform (xAPI statements) are outside parties that push
// data with credentials scoped to what they may touch; the other roles are people in the county's
// own fire-safety organisation.
const OUTSIDE_PARTY_ROLES: ReadonlySet<Role> = new Set<Role>(['agency', 'device_gateway', 'learning_platform']);

export function canSeePersonalData(role: Role): boolean {
  return PERSONAL_DATA_ROLES.has(role);
}

/** True for people of the county's fire-safety organisation; false for agencies and device gateways. */
export function isUserRole(role: Role): boolean {
  return !OUTSIDE_PARTY_ROLES.has(role);
}

/** Narrows an untrusted value (a claim, a query argument) to a known role. */
export function isRole(value: unknown): value is Role {
  return Role.schema.safeParse(value).success;
}
