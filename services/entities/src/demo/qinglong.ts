import { creditCodeCheckChar, organizationCodeCheckDigit, residentIdCheckChar, UnitCategory } from '@firegov/contracts';
import type { BuildingUse, CommitmentStatus, ListItemStatus, PreventionDevice, Vulnerability } from '../domain/enums.ts';
import type { IssueWarningInput, RecordSessionInput, RegisterCommitteeInput } from '../domain/committees.ts';
import type { ListItem, RegisterDepartmentInput } from '../domain/departments.ts';
import type { Person } from '../domain/fields.ts';
import type { RegisterFireTeamInput } from '../domain/fire-teams.ts';
import type { RegisterHouseholdInput } from '../domain/households.ts';
import type { RegisterJurisdictionInput } from '../domain/jurisdictions.ts';
import type { RegisterUnitInput } from '../domain/units.ts';

// Synthetic registry for demos and load tests: Qinglong Township (青龙乡) of Fengdu County (丰都县),
// the township of the seed plan, plus a small neighbour so that scoping has something to exclude.
// Every record is marked demo: true and every name carries DEMO_MARK, so nobody mistakes it for real
// people or premises; the people, phones and ID numbers are invented but pass the real validators.

export interface DemoCounty {
  jurisdictions: RegisterJurisdictionInput[];
  units: RegisterUnitInput[];
  households: RegisterHouseholdInput[];
  fireTeams: RegisterFireTeamInput[];
  departments: RegisterDepartmentInput[];
  /** 消安委 of the township and its first village, their 双定期 sessions, and one 预警提示 to every grid. */
  committees: RegisterCommitteeInput[];
  sessions: RecordSessionInput[];
  warnings: IssueWarningInput[];
}

export interface DemoOptions {
  seed?: number;
  units?: number;
}

export const DEMO_MARK = '（演示）';
export const DEMO_COUNTY_CODE = '500230000000';
export const DEMO_TOWNSHIP_CODE = '500230213000';
export const DEMO_NEIGHBOUR_TOWNSHIP_CODE = '500230214000';

interface Rng {
  next: () => number;
  int: (min: number, max: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
}

// mulberry32: tiny, fast and good enough for synthetic data; the same seed always gives the same county.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

// Day 1-28 is a real date in every month, so no calendar arithmetic is needed.
function randomDate(rng: Rng, fromYear: number, toYear: number): string {
  return `${rng.int(fromYear, toYear)}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`;
}

const QINGLONG_VILLAGES: readonly string[] = [
  '青龙村',
  '石龙村',
  '双河社区',
  '大田村',
  '新桥村',
  '金竹村',
  '红岩村',
  '白果村',
  '柏林村',
  '马鞍村',
  '观音村',
  '高峰村',
  '龙井村',
  '水井村',
  '长坝村',
  '团结村',
  '花园村',
  '黄桷村',
  '桂花村',
  '青龙场社区',
];
const NEIGHBOUR_VILLAGES: readonly string[] = ['白云村', '梨子坪村', '万家村'];
const GRID_ORDINALS = ['一', '二', '三', '四'];

const SURNAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高谭冉秦向蒋唐';
const GIVEN = '德明华建国秀英兰军平志伟芳丽强勇红霞春梅海燕玉成福贵文兵琴';
const MOBILE_PREFIXES = [
  '130',
  '131',
  '133',
  '135',
  '136',
  '138',
  '139',
  '150',
  '151',
  '152',
  '158',
  '177',
  '180',
  '187',
  '189',
  '199',
];
const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

interface Village {
  code: string;
  name: string;
  grids: string[];
  townshipName: string;
}

// Keeps generated identifiers unique: a repeated draw is simply drawn again.
function uniqueDraw(used: Set<string>, draw: () => string): string {
  for (;;) {
    const value = draw();
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
}

interface People {
  name: () => string;
  mobile: () => string;
  residentId: (fromYear: number, toYear: number) => string;
  person: (withId: boolean) => Person;
}

function people(rng: Rng): People {
  const usedIds = new Set<string>();
  const usedMobiles = new Set<string>();
  const name = (): string => {
    const given = Array.from({ length: rng.int(1, 2) }, () => rng.pick(Array.from(GIVEN))).join('');
    return rng.pick(Array.from(SURNAMES)) + given;
  };
  const mobile = (): string => uniqueDraw(usedMobiles, () => rng.pick(MOBILE_PREFIXES) + pad(rng.int(0, 99_999_999), 8));
  const residentId = (fromYear: number, toYear: number): string =>
    uniqueDraw(usedIds, () => {
      // 500230 is Fengdu's address code; the three-digit sequence ends in the sex digit.
      const first17 = `500230${randomDate(rng, fromYear, toYear).replaceAll('-', '')}${pad(rng.int(0, 999), 3)}`;
      return first17 + residentIdCheckChar(first17);
    });
  const person = (withId: boolean): Person => ({
    name: name(),
    phone: mobile(),
    ...(withId ? { idNumber: residentId(1950, 2000) } : {}),
  });
  return { name, mobile, residentId, person };
}

interface Profile {
  weight: number;
  use: BuildingUse;
  floors: readonly [number, number];
  storeyM: number;
  underground?: readonly [number, number];
  occupancy: readonly [number, number];
  suffixes: readonly string[];
  keyChance: number;
  // Who registers it decides the credit code's first two characters (GB 32100 authority and type).
  registrant: 'business' | 'institution' | 'cooperative' | 'none';
  department: keyof typeof DEPARTMENT_CODE;
}

// Weights follow a rural township: mostly shops, eateries and self-built houses, a handful of hazards.
// prettier-ignore
const PROFILES: Readonly<Record<UnitCategory, Profile>> = {
  high_rise: { weight: 1.5, use: 'residential', floors: [10, 33], storeyM: 3, underground: [0, 2], occupancy: [80, 900], suffixes: ['小区', '花园', '大厦'], keyChance: 0.6, registrant: 'business', department: 'planning' },
  large_commercial_complex: { weight: 0.3, use: 'public', floors: [4, 8], storeyM: 5, underground: [1, 2], occupancy: [500, 3000], suffixes: ['商业广场', '购物中心'], keyChance: 1, registrant: 'business', department: 'economic' },
  petrochemical: { weight: 0.2, use: 'industrial', floors: [1, 3], storeyM: 6, occupancy: [10, 80], suffixes: ['加油站', '液化气站'], keyChance: 1, registrant: 'business', department: 'emergency' },
  heritage_building: { weight: 0.5, use: 'public', floors: [1, 2], storeyM: 4, occupancy: [0, 20], suffixes: ['古祠堂', '老宅院', '古庙'], keyChance: 0.5, registrant: 'none', department: 'planning' },
  factory: { weight: 3, use: 'industrial', floors: [1, 5], storeyM: 6, occupancy: [5, 150], suffixes: ['加工厂', '木材厂', '食品厂'], keyChance: 0.1, registrant: 'business', department: 'economic' },
  warehouse: { weight: 2, use: 'industrial', floors: [1, 4], storeyM: 6.5, occupancy: [1, 20], suffixes: ['仓库', '冷库', '粮库'], keyChance: 0.1, registrant: 'business', department: 'economic' },
  business_self_built_house: { weight: 14, use: 'mixed', floors: [2, 6], storeyM: 3.2, occupancy: [3, 40], suffixes: ['自建房（经营）', '民宿', '农家乐'], keyChance: 0.02, registrant: 'business', department: 'planning' },
  rural_self_built_house: { weight: 12, use: 'residential', floors: [1, 4], storeyM: 3, occupancy: [2, 8], suffixes: ['自建房'], keyChance: 0, registrant: 'none', department: 'planning' },
  group_rental: { weight: 2, use: 'residential', floors: [3, 7], storeyM: 3, occupancy: [10, 60], suffixes: ['出租屋'], keyChance: 0.05, registrant: 'none', department: 'planning' },
  three_in_one: { weight: 3, use: 'mixed', floors: [1, 4], storeyM: 3.5, occupancy: [3, 30], suffixes: ['加工坊', '建材店', '五金店'], keyChance: 0.1, registrant: 'business', department: 'emergency' },
  school: { weight: 1.5, use: 'public', floors: [2, 5], storeyM: 3.8, occupancy: [100, 1200], suffixes: ['小学', '中学'], keyChance: 0.8, registrant: 'institution', department: 'culture' },
  kindergarten: { weight: 0.8, use: 'public', floors: [1, 3], storeyM: 3.6, occupancy: [30, 300], suffixes: ['幼儿园'], keyChance: 0.8, registrant: 'institution', department: 'culture' },
  internet_cafe: { weight: 2, use: 'public', floors: [1, 3], storeyM: 4, occupancy: [10, 120], suffixes: ['网吧'], keyChance: 0.2, registrant: 'business', department: 'culture' },
  elderly_care: { weight: 1, use: 'public', floors: [2, 5], storeyM: 3.5, occupancy: [20, 150], suffixes: ['敬老院', '养老院'], keyChance: 0.9, registrant: 'institution', department: 'social' },
  medical: { weight: 1.5, use: 'public', floors: [1, 6], storeyM: 3.8, occupancy: [10, 300], suffixes: ['卫生院', '卫生室', '诊所'], keyChance: 0.4, registrant: 'institution', department: 'social' },
  training_institution: { weight: 1.5, use: 'public', floors: [1, 4], storeyM: 3.5, occupancy: [10, 150], suffixes: ['培训学校', '托管中心'], keyChance: 0.1, registrant: 'business', department: 'social' },
  underground_works: { weight: 0.5, use: 'public', floors: [0, 0], storeyM: 0, underground: [1, 3], occupancy: [5, 200], suffixes: ['地下停车场', '人防工程'], keyChance: 0.5, registrant: 'none', department: 'planning' },
  recycling: { weight: 2, use: 'industrial', floors: [1, 2], storeyM: 5, occupancy: [2, 20], suffixes: ['废品回收站'], keyChance: 0.05, registrant: 'business', department: 'economic' },
  logistics: { weight: 2, use: 'industrial', floors: [1, 3], storeyM: 7, occupancy: [5, 80], suffixes: ['快递驿站', '物流中转站'], keyChance: 0.1, registrant: 'business', department: 'economic' },
  escape_room: { weight: 0.5, use: 'public', floors: [1, 3], storeyM: 4, occupancy: [5, 40], suffixes: ['密室逃脱馆'], keyChance: 0.2, registrant: 'business', department: 'economic' },
  esports_hotel: { weight: 0.5, use: 'public', floors: [3, 9], storeyM: 3.3, occupancy: [10, 120], suffixes: ['电竞酒店'], keyChance: 0.3, registrant: 'business', department: 'economic' },
  hotel: { weight: 3, use: 'public', floors: [2, 12], storeyM: 3.3, occupancy: [10, 200], suffixes: ['宾馆', '旅馆', '酒店'], keyChance: 0.2, registrant: 'business', department: 'economic' },
  restaurant: { weight: 12, use: 'mixed', floors: [1, 3], storeyM: 3.5, occupancy: [5, 80], suffixes: ['餐馆', '火锅店', '面馆', '饭店'], keyChance: 0.03, registrant: 'business', department: 'economic' },
  supermarket: { weight: 10, use: 'public', floors: [1, 3], storeyM: 4, occupancy: [3, 60], suffixes: ['超市', '便利店', '百货店'], keyChance: 0.03, registrant: 'business', department: 'economic' },
  tourist_site: { weight: 1, use: 'public', floors: [1, 2], storeyM: 4, occupancy: [20, 500], suffixes: ['景区', '观景台'], keyChance: 0.4, registrant: 'business', department: 'planning' },
  hazardous_explosives: { weight: 0.3, use: 'industrial', floors: [1, 2], storeyM: 5, occupancy: [3, 30], suffixes: ['民爆物品仓库', '危化品经营部'], keyChance: 1, registrant: 'business', department: 'emergency' },
  fireworks: { weight: 0.3, use: 'industrial', floors: [1, 1], storeyM: 5, occupancy: [2, 10], suffixes: ['烟花爆竹经营点'], keyChance: 1, registrant: 'business', department: 'emergency' },
  industry_trade: { weight: 2, use: 'industrial', floors: [1, 4], storeyM: 6, occupancy: [10, 200], suffixes: ['工贸有限公司', '建材有限公司'], keyChance: 0.2, registrant: 'business', department: 'economic' },
  small_venue: { weight: 20, use: 'mixed', floors: [1, 3], storeyM: 3.3, occupancy: [2, 30], suffixes: ['理发店', '茶馆', '麻将馆', '服装店', '药店', '农资店'], keyChance: 0.01, registrant: 'business', department: 'economic' },
  construction_site: { weight: 1, use: 'industrial', floors: [1, 6], storeyM: 3.5, occupancy: [10, 200], suffixes: ['项目施工现场', '安置房工地'], keyChance: 0.05, registrant: 'business', department: 'planning' },
  other: { weight: 2, use: 'public', floors: [1, 4], storeyM: 3.5, occupancy: [1, 50], suffixes: ['村委会办公楼', '便民服务中心', '农业合作社'], keyChance: 0.05, registrant: 'cooperative', department: 'emergency' },
};

const SHOP_SIGN: Partial<Record<UnitCategory, string>> = {
  rural_self_built_house: '家',
  group_rental: '家',
  business_self_built_house: '家',
};

const DEPARTMENT_CODE = {
  emergency: 'qinglong-emergency',
  economic: 'qinglong-economic',
  planning: 'qinglong-planning',
  social: 'qinglong-social',
  culture: 'qinglong-culture',
  police: 'qinglong-police',
} as const;

// GB 32100 authority + entity type: 92 sole proprietor, 91 enterprise, 12 public institution, 93 cooperative.
const CREDIT_PREFIX: Readonly<Record<Profile['registrant'], readonly string[]>> = {
  business: ['91', '92', '92'],
  institution: ['12'],
  cooperative: ['93'],
  none: [],
};

function creditCodes(rng: Rng): (registrant: Profile['registrant']) => string | undefined {
  const used = new Set<string>();
  return (registrant) => {
    const prefixes = CREDIT_PREFIX[registrant];
    if (prefixes.length === 0) return undefined;
    const prefix = rng.pick(prefixes);
    return uniqueDraw(used, () => {
      // Codes issued since 2015 carry a new organization code that starts with MA.
      const org8 = `MA${Array.from({ length: 6 }, () => rng.pick(Array.from(CREDIT_CHARSET))).join('')}`;
      const first17 = `${prefix}500230${org8}${organizationCodeCheckDigit(org8)}`;
      return first17 + creditCodeCheckChar(first17);
    });
  };
}

function buildJurisdictions(rng: Rng, grid: () => Person): { jurisdictions: RegisterJurisdictionInput[]; villages: Village[] } {
  const jurisdictions: RegisterJurisdictionInput[] = [
    { code: DEMO_COUNTY_CODE, name: `丰都县${DEMO_MARK}`, level: 'county', demo: true },
  ];
  const villages: Village[] = [];
  const townships = [
    { code: DEMO_TOWNSHIP_CODE, name: '青龙乡', villageNames: QINGLONG_VILLAGES },
    { code: DEMO_NEIGHBOUR_TOWNSHIP_CODE, name: '白云乡', villageNames: NEIGHBOUR_VILLAGES },
  ];
  for (const township of townships) {
    jurisdictions.push({
      code: township.code,
      name: `${township.name}${DEMO_MARK}`,
      level: 'township',
      parentCode: DEMO_COUNTY_CODE,
      demo: true,
    });
    township.villageNames.forEach((villageName, index) => {
      const code = `${township.code.slice(0, 9)}${201 + index}`;
      jurisdictions.push({ code, name: `${villageName}${DEMO_MARK}`, level: 'village', parentCode: township.code, demo: true });
      const grids = GRID_ORDINALS.slice(0, rng.int(2, 4)).map((ordinal, gridIndex) => {
        const gridCode = `${code}-G${pad(gridIndex + 1, 2)}`;
        const manager = grid();
        jurisdictions.push({
          code: gridCode,
          name: `${villageName}第${ordinal}网格${DEMO_MARK}`,
          level: 'grid',
          parentCode: code,
          gridManagers: [{ name: manager.name, phone: manager.phone }],
          demo: true,
        });
        return gridCode;
      });
      villages.push({ code, name: villageName, grids, townshipName: township.name });
    });
  }
  return { jurisdictions, villages };
}

function weightedCategories(): { categories: UnitCategory[]; cumulative: number[]; total: number } {
  const categories = [...UnitCategory.values];
  let total = 0;
  const cumulative = categories.map((category) => (total += PROFILES[category].weight));
  return { categories, cumulative, total };
}

// A place-name prefix as people write it on a shop sign: the township seat is 场镇, villages keep their name.
function placeName(village: Village): string {
  return village.name === '青龙场社区' ? '青龙场镇' : village.name.replace(/社区$/, '');
}

function address(rng: Rng, village: Village): string {
  const base = `重庆市丰都县${village.townshipName}${village.name}`;
  return village.name.endsWith('社区')
    ? `${base}${rng.pick(['正街', '新街', '滨河路', '场口街'])}${rng.int(1, 199)}号`
    : `${base}${rng.int(1, 12)}组${rng.int(1, 80)}号`;
}

function buildUnit(
  rng: Rng,
  category: UnitCategory,
  village: Village,
  ppl: People,
  nextCreditCode: ReturnType<typeof creditCodes>,
): RegisterUnitInput {
  const profile = PROFILES[category];
  const floors = rng.int(profile.floors[0], profile.floors[1]);
  const heightM = floors === 0 ? 0 : Math.round((floors * profile.storeyM + rng.next() * 1.5) * 10) / 10;
  const undergroundFloors = profile.underground ? rng.int(profile.underground[0], profile.underground[1]) : 0;
  const owner = ppl.person(true);
  const surname = owner.name.charAt(0);
  const suffix = rng.pick(profile.suffixes);
  // Shops are known by the owner's surname (张记), homes by the family (张家), public places by the place alone.
  const owned = SHOP_SIGN[category] ?? (profile.registrant === 'business' ? '记' : '');
  const name = `${placeName(village)}${owned === '' ? '' : surname + owned}${suffix}`;
  const creditCode = profile.registrant === 'business' && !rng.chance(0.6) ? undefined : nextCreditCode(profile.registrant);
  const commitmentRoll = rng.next();
  const commitment: CommitmentStatus = commitmentRoll < 0.3 ? 'none' : commitmentRoll < 0.6 ? 'signed' : 'posted';

  return {
    name: `${name}${DEMO_MARK}`,
    ...(creditCode !== undefined ? { creditCode } : {}),
    category,
    jurisdictionCode: village.code,
    ...(rng.chance(0.8) ? { gridCode: rng.pick(village.grids) } : {}),
    address: address(rng, village),
    ...(rng.chance(0.7)
      ? {
          location: {
            lat: Math.round((29.75 + rng.next() * 0.3) * 1e6) / 1e6,
            lng: Math.round((107.6 + rng.next() * 0.35) * 1e6) / 1e6,
          },
        }
      : {}),
    buildingUse: profile.use,
    floors,
    undergroundFloors,
    heightM,
    ...(rng.chance(0.7) ? { areaM2: Math.max(1, floors + undergroundFloors) * rng.int(40, 600) } : {}),
    occupancy: rng.int(profile.occupancy[0], profile.occupancy[1]),
    responsiblePerson: owner,
    ...(rng.chance(0.4) ? { manager: ppl.person(false) } : {}),
    ...(rng.chance(0.9) ? { supervisingDepartment: DEPARTMENT_CODE[profile.department] } : {}),
    keyUnit: rng.chance(profile.keyChance),
    // Liability insurance is bought by businesses and institutions, rarely by households.
    ...(rng.chance(profile.registrant === 'none' ? 0.05 : 0.4)
      ? {
          insurance: {
            insurer: rng.pick(['中国人保财险', '中国平安财险', '中国太平洋财险', '中华联合财险']),
            policyNo: `PDEMO${pad(rng.int(0, 99_999_999), 8)}`,
            validUntil: randomDate(rng, 2023, 2025),
          },
        }
      : {}),
    publicCommitment: commitment === 'none' ? { status: 'none' } : { status: commitment, date: randomDate(rng, 2023, 2023) },
    demo: true,
  };
}

function buildUnits(rng: Rng, count: number, villages: readonly Village[], ppl: People): RegisterUnitInput[] {
  const { categories, cumulative, total } = weightedCategories();
  const nextCreditCode = creditCodes(rng);
  const qinglong = villages.filter((v) => v.code.startsWith(DEMO_TOWNSHIP_CODE.slice(0, 9)));
  const neighbours = villages.filter((v) => !v.code.startsWith(DEMO_TOWNSHIP_CODE.slice(0, 9)));
  const seat = qinglong.find((v) => v.name === '青龙场社区');
  const units: RegisterUnitInput[] = [];
  for (let i = 0; i < count; i++) {
    // The first units cover every category once, so even a small demo shows them all.
    const roll = rng.next() * total;
    const category = categories[i] ?? categories[cumulative.findIndex((c) => roll < c)] ?? 'other';
    const where = rng.next();
    // Shops cluster in the township seat; a few units sit in the neighbour township.
    const village = where < 0.05 ? rng.pick(neighbours) : where < 0.3 && seat ? seat : rng.pick(qinglong);
    units.push(buildUnit(rng, category, village, ppl, nextCreditCode));
  }
  return units;
}

function buildHouseholds(rng: Rng, villages: readonly Village[], ppl: People): RegisterHouseholdInput[] {
  const devices: readonly PreventionDevice[] = [
    'smoke_detector',
    'simple_sprinkler',
    'electrical_fire_monitor',
    'leakage_protector',
  ];
  const households: RegisterHouseholdInput[] = [];
  for (const village of villages) {
    const count = rng.int(12, 18);
    for (let h = 0; h < count; h++) {
      const elderly = (): RegisterHouseholdInput['members'][number] => {
        const vulnerabilities: Vulnerability[] = rng.chance(0.7) ? ['empty_nest_elderly'] : ['elderly_weak_sick_disabled'];
        if (vulnerabilities[0] === 'empty_nest_elderly' && rng.chance(0.3)) vulnerabilities.push('elderly_weak_sick_disabled');
        return {
          name: ppl.name(),
          idNumber: ppl.residentId(1935, 1958),
          ...(rng.chance(0.5) ? { phone: ppl.mobile() } : {}),
          vulnerabilities,
        };
      };
      const child = (): RegisterHouseholdInput['members'][number] => ({
        name: ppl.name(),
        ...(rng.chance(0.5) ? { idNumber: ppl.residentId(2008, 2018) } : {}),
        vulnerabilities: ['left_behind_child'],
      });
      // Typical shapes: an old couple alone, or grandparents raising a left-behind grandchild.
      const members = rng.chance(0.6)
        ? Array.from({ length: rng.int(1, 2) }, elderly)
        : [elderly(), ...Array.from({ length: rng.int(1, 2) }, child)];
      const kinds = devices.filter((kind) => kind === 'smoke_detector' || rng.chance(0.35));
      households.push({
        jurisdictionCode: village.code,
        gridCode: rng.pick(village.grids),
        address: address(rng, village),
        members,
        devices: kinds.map((kind) => ({ kind, count: rng.int(1, 3), installedOn: randomDate(rng, 2022, 2023) })),
        ...(rng.chance(0.8) ? { helper: { name: ppl.name(), phone: ppl.mobile() } } : {}),
        demo: true,
      });
    }
  }
  return households;
}

function buildFireTeams(rng: Rng, villages: readonly Village[], ppl: People): RegisterFireTeamInput[] {
  const teams: RegisterFireTeamInput[] = [];
  for (const village of villages) {
    // 12-30 people, so some villages fall short of the seed plan's 20.
    const size = rng.int(12, 30);
    teams.push({
      jurisdictionCode: village.code,
      kind: 'part_time',
      name: `${village.name}兼职消防队${DEMO_MARK}`,
      members: Array.from({ length: size }, (_, i) => ({
        name: ppl.name(),
        phone: ppl.mobile(),
        role: i === 0 ? '队长' : i === 1 ? '副队长' : '队员',
      })),
      equipment: [
        { item: '手抬机动消防泵', quantity: rng.int(1, 2) },
        { item: '消防水带', quantity: rng.int(4, 12) },
        { item: '消防水枪', quantity: rng.int(2, 4) },
        { item: '手提式灭火器', quantity: rng.int(10, 40) },
        { item: '消防战斗服', quantity: size },
      ],
      demo: true,
    });
    if (rng.chance(0.7)) {
      const staff = Array.from({ length: rng.int(3, 8) }, (_, i) => ({
        name: ppl.name(),
        phone: ppl.mobile(),
        role: i === 0 ? '站长' : '队员',
      }));
      const names = staff.map((m) => m.name);
      // Some stations keep a full roster (two shifts of three), some a day shift only: checks tell them apart.
      const dutyRoster = rng.chance(0.6)
        ? [
            { from: '08:00', to: '20:00', members: names.slice(0, 3) },
            { from: '20:00', to: '08:00', members: names.slice(-3) },
          ]
        : [{ from: '08:00', to: '18:00', members: names.slice(0, 2) }];
      teams.push({
        jurisdictionCode: village.code,
        kind: 'micro_station',
        name: `${village.name}微型消防站${DEMO_MARK}`,
        members: staff,
        equipment: [
          { item: '灭火器', quantity: rng.int(6, 20) },
          { item: '消防斧', quantity: 2 },
          { item: '应急照明灯', quantity: rng.int(2, 6) },
        ],
        stationType: 'community',
        dutyRoster,
        demo: true,
      });
    }
  }
  return teams;
}

// Duties and tasks paraphrase the seed plan (青龙乡2023年消防工作要点).
const DEPARTMENTS: ReadonlyArray<{
  key: keyof typeof DEPARTMENT_CODE;
  name: string;
  owner: string;
  responsibilities: readonly string[];
  tasks: readonly string[];
}> = [
  {
    key: 'emergency',
    name: '应急办',
    owner: '应急办主任',
    responsibilities: [
      '统筹全乡消防安全工作，督促各村（社区）落实消防工作责任',
      '组织村级专兼职消防队和微型消防站建设',
      '牵头火灾事故调查处理和责任追究',
      '组织危险化学品和烟花爆竹安全监管',
      '汇总上报消防工作进展',
    ],
    tasks: [
      '完成全乡社会单位和场所摸底建档',
      '组织开展夏季消防检查专项行动',
      '组织村级消防队开展业务训练和实战演练',
      '督办重大火灾隐患整改销号',
      '开展“清零”专项执法行动',
    ],
  },
  {
    key: 'economic',
    name: '经发办',
    owner: '经发办主任',
    responsibilities: [
      '督促工贸企业和商贸场所落实消防安全主体责任',
      '推动企业投保火灾公众责任保险',
      '配合开展厂房仓库消防安全“回头看”',
      '会同应急办、派出所落实电动自行车和电焊施工消防安全联动管理',
      '指导商超、餐饮场所规范用火用电用气',
    ],
    tasks: [
      '完成厂房仓库9类问题排查整治',
      '推动重点单位签订并公示消防安全承诺',
      '组织餐饮场所燃气安全检查',
      '推进电气火灾监控设施安装',
    ],
  },
  {
    key: 'planning',
    name: '规环办',
    owner: '规环办主任',
    responsibilities: [
      '负责经营性自建房安全排查整治',
      '依法开展建设工程消防设计审查验收，强化施工现场安全管理',
      '督促高层建筑落实除险清患措施',
      '配合做好农村消防水源建设',
      '负责村居自建房消防安全指导',
    ],
    tasks: ['完成10人以上经营性自建房排查', '开展高层建筑消防安全评估', '补建消防水池和取水点', '整治群租房和“三合一”场所'],
  },
  {
    key: 'social',
    name: '社事办',
    owner: '社事办主任',
    // Task 4: 乡社事办强化福利院、孤寡老人和留守儿童消防安全监管.
    responsibilities: [
      '负责福利院、养老机构、医疗机构消防安全监管',
      '为孤寡老人、留守儿童、老弱病残家庭落实一对一帮扶',
      '组织消防宣传“五进”活动',
      '组织消防志愿者队伍',
    ],
    tasks: [
      '为弱势群体家庭安装独立式感烟探测器',
      '开展“敲门行动”入户宣传',
      '组织福利院开展消防疏散演练',
      '开展群众消防安全素质调查',
    ],
  },
  {
    key: 'culture',
    name: '文服中心',
    owner: '文服中心主任',
    // Task 4: 乡文服中心强化学校、网吧等场所消防监管.
    responsibilities: ['负责学校、幼儿园消防安全监管', '负责网吧等文化娱乐场所消防安全监管', '指导学校开展消防安全教育'],
    tasks: ['组织学校、幼儿园开展消防疏散演练', '开展网吧消防安全检查', '推动学校落实消防安全“四个能力”建设'],
  },
  {
    key: 'police',
    name: '青龙派出所',
    owner: '派出所所长',
    // Task 4: 经发办、应急办、辖区派出所 set up the e-bike and welding joint management mechanism.
    responsibilities: [
      '会同经发办、应急办落实电动自行车和电焊施工消防安全联动管理',
      '依法查处消防违法行为',
      '配合开展火灾事故调查',
    ],
    tasks: ['开展电动自行车违规停放充电联合整治', '开展电焊作业人员持证上岗检查', '配合开展“清零”专项执法行动'],
  },
];

function buildDepartments(rng: Rng): RegisterDepartmentInput[] {
  const statuses: readonly ListItemStatus[] = ['pending', 'in_progress', 'done', 'overdue'];
  return DEPARTMENTS.map((department) => {
    const items = (titles: readonly string[], prefix: string, withDeadline: boolean): ListItem[] =>
      titles.slice(0, rng.int(3, Math.min(5, titles.length))).map((title, i) => ({
        id: `${prefix}${i + 1}`,
        title,
        owner: department.owner,
        ...(withDeadline ? { deadline: randomDate(rng, 2023, 2023) } : {}),
        status: withDeadline ? rng.pick(statuses) : rng.pick(['in_progress', 'done'] as const),
      }));
    return {
      code: DEPARTMENT_CODE[department.key],
      name: `${department.name}${DEMO_MARK}`,
      jurisdictionCode: DEMO_TOWNSHIP_CODE,
      responsibilities: items(department.responsibilities, 'r', false), // 责任清单
      tasks: items(department.tasks, 't', true), // 任务清单
      demo: true,
    };
  });
}

// Seed task 6: 乡、村（居）消防安全委员会, 工作例会 and 定期报告, 重点时段预警提示. The sessions and
// the warning fall in the plan's year, like the departments' deadlines.
function buildCommittees(
  rng: Rng,
  ppl: People,
  villages: readonly Village[],
): Pick<DemoCounty, 'committees' | 'sessions' | 'warnings'> {
  const member = (role: RegisterCommitteeInput['members'][number]['role'], title: string, departmentCode?: string) => ({
    ...ppl.person(false),
    role,
    title,
    ...(departmentCode ? { departmentCode } : {}),
  });
  const township: RegisterCommitteeInput = {
    code: 'qinglong-xaw',
    name: `青龙乡消防安全委员会${DEMO_MARK}`,
    jurisdictionCode: DEMO_TOWNSHIP_CODE,
    members: [
      member('director', '乡党委书记'),
      member('deputy_director', '乡长'),
      member('office_head', '应急办主任', DEPARTMENT_CODE.emergency),
      ...DEPARTMENTS.filter((d) => d.key !== 'emergency').map((d) => member('member', d.owner, DEPARTMENT_CODE[d.key])),
    ],
    meetingEveryDays: 90,
    reportEveryDays: 90,
    demo: true,
  };
  const first = villages.find((v) => v.code.startsWith(DEMO_TOWNSHIP_CODE.slice(0, 9)))!;
  const village: RegisterCommitteeInput = {
    code: 'qinglong-v1-xaw',
    name: `${first.name}消防安全委员会${DEMO_MARK}`,
    jurisdictionCode: first.code,
    members: [member('director', '村党支部书记'), member('deputy_director', '村委会主任'), member('member', '网格员')],
    meetingEveryDays: 90,
    reportEveryDays: 180,
    demo: true,
  };
  const attendees = township.members.slice(0, rng.int(4, township.members.length)).map((m) => m.name);
  const sessions: RecordSessionInput[] = [
    {
      committeeCode: township.code,
      id: '2023-q1',
      kind: 'meeting',
      heldOn: '2023-03-15',
      attendees,
      minutes: '研究部署2023年消防工作要点，明确电动自行车和自建房整治责任分工。',
      decisions: [
        {
          title: '开展电动自行车“进楼入户”集中整治',
          departmentCode: DEPARTMENT_CODE.police,
          owner: '派出所所长',
          deadline: '2023-06-30',
        },
        {
          title: '完成经营性自建房消防安全复查',
          departmentCode: DEPARTMENT_CODE.planning,
          owner: '规环办主任',
          deadline: '2023-09-30',
        },
      ],
    },
    {
      committeeCode: township.code,
      id: '2023-r1',
      kind: 'report',
      heldOn: '2023-04-10',
      attendees: attendees.slice(0, 3),
      minutes: '消防救援站报告一季度火灾形势和隐患排查情况。',
      decisions: [],
    },
  ];
  const warnings: IssueWarningInput[] = [
    {
      id: 'qinglong-2023-summer',
      jurisdictionCode: DEMO_TOWNSHIP_CODE,
      kind: 'seasonal',
      title: `夏季高温火灾预警${DEMO_MARK}`,
      body: '高温天气用电负荷大，请各网格提醒群众规范用电、安全充电，重点关注孤寡老人和留守儿童家庭。',
      validFrom: '2023-07-01',
      validTo: '2023-08-31',
      acknowledgeWithinHours: 24,
      demo: true,
    },
  ];
  return { committees: [township, village], sessions, warnings };
}

/** A deterministic synthetic county: the same seed and size always give the same records. */
export function generateDemoCounty({ seed = 42, units = 2000 }: DemoOptions = {}): DemoCounty {
  const rng = createRng(seed);
  const ppl = people(rng);
  const { jurisdictions, villages } = buildJurisdictions(rng, () => ppl.person(false));
  return {
    jurisdictions,
    units: buildUnits(rng, Math.max(0, Math.floor(units)), villages, ppl),
    households: buildHouseholds(rng, villages, ppl),
    fireTeams: buildFireTeams(rng, villages, ppl),
    departments: buildDepartments(rng),
    ...buildCommittees(rng, ppl, villages),
  };
}
