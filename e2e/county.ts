import type { Identity } from '@firegov/auth';
import type { RunningServices } from './harness.ts';

// The demo county every cross-service test starts from, and the calls a client makes to build it.

export const COUNTY = '500230000000';
export const TOWNSHIP_A = '500230213000';
export const TOWNSHIP_B = '500230214000';
export const VILLAGE_A1 = '500230213201';
export const countyAdmin: Identity = { subject: 'e2e-admin', role: 'county_admin', jurisdiction: COUNTY };
export const townshipA: Identity = { subject: 'e2e-a-officer', role: 'township_officer', jurisdiction: TOWNSHIP_A };

// ---- what a client sends --------------------------------------------------------------------

/** A mutation whose result is `Mutation…Success { data }` or a `MutationError`; returns `data` or throws the error. */
export async function mutate<T>(
  s: RunningServices,
  service: Parameters<RunningServices['gql']>[0],
  field: string,
  query: string,
  variables: Record<string, unknown>,
  identity: Identity,
): Promise<T> {
  const data = await s.gql<Record<string, { __typename: string; data?: T; code?: string; message?: string }>>(
    service,
    query,
    variables,
    identity,
  );
  const result = data[field]!;
  if (result.data === undefined) throw new Error(`${field}: ${JSON.stringify(result)}`);
  return result.data;
}

/** The county, two townships and a village, as entities' jurisdiction tree. */
export async function seedTree(s: RunningServices): Promise<void> {
  const q = `mutation($input: RegisterJurisdictionInput!) { registerJurisdiction(input: $input) {
    __typename ... on MutationRegisterJurisdictionSuccess { data { code } } ... on MutationError { code message } } }`;
  for (const input of [
    { code: COUNTY, name: '丰都县', level: 'county' },
    { code: TOWNSHIP_A, name: '青龙乡', level: 'township', parentCode: COUNTY },
    { code: TOWNSHIP_B, name: '邻乡', level: 'township', parentCode: COUNTY },
    { code: VILLAGE_A1, name: '青龙村', level: 'village', parentCode: TOWNSHIP_A },
  ])
    await mutate(s, 'entities', 'registerJurisdiction', q, { input }, countyAdmin);
}

export interface RiskView {
  score: number;
  grade: string;
  factors: Array<{ code: string; points: number; detail: string }>;
}

/** A restaurant in village A1, registered by township A's officer, with `overrides`. */
export async function registerUnit(
  s: RunningServices,
  overrides: Record<string, unknown>,
): Promise<{ id: string; risk: RiskView }> {
  return mutate(
    s,
    'entities',
    'registerUnit',
    `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) {
      __typename ... on MutationRegisterUnitSuccess { data { id risk { score grade factors { code points detail } } } }
      ... on MutationError { code message details { path reason } } } }`,
    {
      input: {
        name: '青龙场镇张记餐馆',
        category: 'restaurant',
        jurisdictionCode: VILLAGE_A1,
        address: '青龙乡青龙村场镇街 12 号',
        buildingUse: 'public',
        floors: 2,
        heightM: 7.5,
        occupancy: 30,
        responsiblePerson: { name: '张三', phone: '13912345678', idNumber: '11010519491231002X' },
        ...overrides,
      },
    },
    townshipA,
  );
}
