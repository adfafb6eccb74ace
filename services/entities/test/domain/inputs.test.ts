import type { z } from 'zod';
import {
  checkIsoDate,
  personSchema,
  registerDepartmentSchema,
  registerFireTeamSchema,
  registerHouseholdSchema,
  registerJurisdictionSchema,
  registerUnitSchema,
  updateUnitSchema,
} from '../../src/domain/inputs.ts';
import { creditCode, GRID, MOBILE, residentId, validUnit, VILLAGE } from './fixtures.ts';

function issues(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('dates', () => {
  test.each(['2024-02-29', '2023-12-31', '2000-02-29'])('%s is a real date', (value) => {
    expect(checkIsoDate(value)).toBeUndefined();
  });

  test.each([
    ['2023-02-29', '2023-02-29 is not a real calendar date'],
    ['1900-02-29', '1900-02-29 is not a real calendar date'],
    ['2023-13-01', '2023-13-01 is not a real calendar date'],
    ['2023-1-01', '"2023-1-01" is not a date written YYYY-MM-DD'],
    ['2023-01-01T00:00:00Z', '"2023-01-01T00:00:00Z" is not a date written YYYY-MM-DD'],
  ])('%s is rejected', (value, reason) => {
    expect(checkIsoDate(value)).toBe(reason);
  });
});

describe('personSchema', () => {
  test('accepts a person and normalizes the phone', () => {
    expect(personSchema.parse({ name: ' 李四 ', phone: '+86 138-1234-5678' })).toEqual({ name: '李四', phone: MOBILE });
  });

  test('names each bad field', () => {
    expect(issues(personSchema, { name: '', phone: '12345678901', idNumber: '500230198001011230' })).toEqual([
      'name: must not be empty',
      'phone: second digit must be 3-9, got "2"',
      expect.stringMatching(/^idNumber: check character is "0", expected /),
    ]);
  });

  test('rejects unknown fields and missing ones', () => {
    expect(issues(personSchema, { phone: MOBILE, email: 'a@b.c' })).toEqual(['name: is required', ': Unrecognized key: "email"']);
  });

  test('says what type it expected', () => {
    expect(issues(personSchema, 'zhang')).toEqual([': must be an object, got string']);
    expect(issues(personSchema, { name: 3, phone: MOBILE })).toEqual(['name: must be a string, got number']);
  });
});

describe('registerUnitSchema', () => {
  test('accepts a minimal unit and fills in the defaults', () => {
    const unit = registerUnitSchema.parse(validUnit());
    expect(unit).toMatchObject({ undergroundFloors: 0, keyUnit: false, publicCommitment: { status: 'none' }, demo: false });
  });

  test('accepts a full unit', () => {
    const result = registerUnitSchema.safeParse(
      validUnit({
        creditCode: creditCode(),
        gridCode: GRID,
        location: { lat: 29.88, lng: 107.73 },
        undergroundFloors: 1,
        areaM2: 320,
        manager: { name: '王五', phone: '13987654321' },
        supervisingDepartment: 'emergency',
        keyUnit: true,
        insurance: { insurer: '中国人保', policyNo: 'PICC-2023-001', validUntil: '2024-06-30' },
        publicCommitment: { status: 'posted', date: '2023-03-15' },
        demo: true,
      }),
    );
    expect(result.error?.issues).toBeUndefined();
  });

  test('requires a village-level jurisdiction code', () => {
    expect(issues(registerUnitSchema, validUnit({ jurisdictionCode: '500230213000' }))).toEqual([
      'jurisdictionCode: must be a village or community code (level village)',
    ]);
    expect(issues(registerUnitSchema, validUnit({ jurisdictionCode: '5002302132' }))).toEqual([
      'jurisdictionCode: must be 12 digits, got 10',
    ]);
  });

  test('a grid code must have the grid-code form and belong to the unit village', () => {
    expect(issues(registerUnitSchema, validUnit({ gridCode: 'G01' }))).toEqual([
      'gridCode: must be a grid code: a 12-digit village code, "-G" and two digits, e.g. 500230213201-G01',
    ]);
    expect(issues(registerUnitSchema, validUnit({ gridCode: '500230213202-G01' }))).toEqual([
      'gridCode: grid 500230213202-G01 is not in village 500230213201; its code must start with "500230213201-"',
    ]);
  });

  test('rejects a location outside mainland China', () => {
    expect(issues(registerUnitSchema, validUnit({ location: { lat: 107.7, lng: 29.9 } }))).toEqual([
      'location.lat: must be at most 53.6',
      'location.lng: must be at least 73.5',
    ]);
  });

  test('checks numeric ranges', () => {
    expect(
      issues(registerUnitSchema, validUnit({ floors: 2.5, undergroundFloors: 21, heightM: -1, areaM2: 0, occupancy: 100_001 })),
    ).toEqual([
      'floors: must be a whole number',
      'undergroundFloors: must be at most 20',
      'heightM: must be at least 0',
      'areaM2: must be greater than 0',
      'occupancy: must be at most 100000',
    ]);
  });

  test('checks the credit code, the insurance date and the commitment', () => {
    const bad = creditCode().slice(0, 17) + (creditCode().endsWith('0') ? '1' : '0');
    expect(
      issues(
        registerUnitSchema,
        validUnit({
          creditCode: bad,
          insurance: { insurer: '人保', policyNo: 'P1', validUntil: '2023-02-30' },
          publicCommitment: { status: 'pledged' },
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^creditCode: check character is /),
      'insurance.validUntil: 2023-02-30 is not a real calendar date',
      expect.stringMatching(/^publicCommitment.status: "pledged" is not a known value/),
    ]);
  });

  test('rejects unknown fields', () => {
    expect(issues(registerUnitSchema, validUnit({ riskGrade: 'low' }))).toEqual([': Unrecognized key: "riskGrade"']);
  });
});

describe('updateUnitSchema', () => {
  test('accepts a partial update without applying registration defaults', () => {
    expect(updateUnitSchema.parse({ occupancy: 12, expectedVersion: 3 })).toEqual({ occupancy: 12, expectedVersion: 3 });
  });

  test('null clears an optional field', () => {
    expect(updateUnitSchema.parse({ insurance: null, manager: null })).toEqual({ insurance: null, manager: null });
  });

  test('refuses an empty update, even with a version', () => {
    expect(issues(updateUnitSchema, {})).toEqual([': nothing to update']);
    expect(issues(updateUnitSchema, { expectedVersion: 2 })).toEqual([': nothing to update']);
  });

  test('validates the fields it gets', () => {
    expect(issues(updateUnitSchema, { floors: -1, expectedVersion: 0, owner: 'x' })).toEqual([
      'floors: must be at least 0',
      'expectedVersion: must be at least 1',
      ': Unrecognized key: "owner"',
    ]);
    expect(issues(updateUnitSchema, { jurisdictionCode: VILLAGE, gridCode: '500230213209-G02' })).toEqual([
      'gridCode: grid 500230213209-G02 is not in village 500230213201; its code must start with "500230213201-"',
    ]);
  });
});

describe('registerHouseholdSchema', () => {
  const household = {
    jurisdictionCode: VILLAGE,
    gridCode: GRID,
    address: '青龙村3组15号',
    members: [{ name: '陈大爷', idNumber: residentId('50023019450302121'), vulnerabilities: ['empty_nest_elderly'] }],
    devices: [{ kind: 'smoke_detector', count: 2, installedOn: '2023-04-01' }],
    helper: { name: '刘网格', phone: MOBILE },
  };

  test('accepts a household', () => {
    expect(registerHouseholdSchema.parse(household)).toMatchObject({ demo: false });
  });

  test('each member must have a vulnerability and there must be a member', () => {
    expect(issues(registerHouseholdSchema, { ...household, members: [] })).toEqual(['members: must list at least one member']);
    expect(issues(registerHouseholdSchema, { ...household, members: [{ name: '陈', vulnerabilities: [] }] })).toEqual([
      'members.0.vulnerabilities: must list at least one vulnerability',
    ]);
  });

  test('checks devices and the helper', () => {
    expect(
      issues(registerHouseholdSchema, {
        ...household,
        devices: [{ kind: 'fire_blanket', count: 0, installedOn: '2023-04-31' }],
        helper: { name: '刘', phone: MOBILE, idNumber: residentId() },
      }),
    ).toEqual([
      expect.stringMatching(/^devices.0.kind: "fire_blanket" is not a known value/),
      'devices.0.count: must be at least 1',
      'devices.0.installedOn: 2023-04-31 is not a real calendar date',
      'helper: Unrecognized key: "idNumber"',
    ]);
  });
});

describe('registerFireTeamSchema', () => {
  test('accepts a team and checks its members and equipment', () => {
    const team = {
      jurisdictionCode: VILLAGE,
      kind: 'part_time',
      name: '青龙村兼职消防队',
      members: [{ name: '赵六', phone: MOBILE, role: '队长' }],
      equipment: [{ item: '手抬机动泵', quantity: 1 }],
    };
    expect(registerFireTeamSchema.parse(team)).toMatchObject({ demo: false });
    expect(issues(registerFireTeamSchema, { ...team, kind: 'volunteer', equipment: [{ item: '水带', quantity: 0 }] })).toEqual([
      expect.stringMatching(/^kind: "volunteer" is not a known value/),
      'equipment.0.quantity: must be at least 1',
    ]);
  });
});

describe('registerDepartmentSchema', () => {
  const department = {
    code: 'emergency',
    name: '应急办',
    jurisdictionCode: '500230213000',
    responsibilities: [{ id: 'r1', title: '统筹全乡消防安全工作', owner: '应急办主任' }],
    tasks: [{ id: 't1', title: '开展高层建筑除险清患', owner: '李主任', deadline: '2023-06-30', status: 'in_progress' }],
  };

  test('accepts a department and defaults item status to pending', () => {
    const parsed = registerDepartmentSchema.parse(department);
    expect(parsed.responsibilities[0]?.status).toBe('pending');
    expect(parsed.tasks[0]?.status).toBe('in_progress');
  });

  test('checks the code, item ids and duplicates', () => {
    expect(
      issues(registerDepartmentSchema, {
        ...department,
        code: 'Emergency',
        tasks: [department.tasks[0], { id: 't1', title: '再次', owner: '李' }, { id: 'bad id', title: 'x', owner: 'y' }],
      }),
    ).toEqual([
      'code: must be 2-31 characters: a lowercase letter, then lowercase letters, digits, "_" or "-"',
      'tasks.2.id: must be 1-40 letters, digits, "_" or "-"',
      'tasks.1.id: id "t1" is used twice in this list',
    ]);
    expect(issues(registerDepartmentSchema, { ...department, tasks: [department.tasks[0], department.tasks[0]] })).toEqual([
      'tasks.1.id: id "t1" is used twice in this list',
    ]);
  });
});

describe('registerJurisdictionSchema', () => {
  test.each([
    { code: '500230000000', name: '丰都县', level: 'county' },
    { code: '500230000000', name: '丰都县', level: 'county', parentCode: '500200000000' },
    { code: '500230213000', name: '青龙乡', level: 'township', parentCode: '500230000000' },
    { code: VILLAGE, name: '青龙村', level: 'village', parentCode: '500230213000' },
    { code: GRID, name: '第一网格', level: 'grid', parentCode: VILLAGE, gridManagers: [{ name: '刘网格', phone: MOBILE }] },
  ])('accepts $level $code', (input) => {
    expect(issues(registerJurisdictionSchema, input)).toEqual([]);
  });

  test('the level must match the code', () => {
    expect(
      issues(registerJurisdictionSchema, { code: VILLAGE, name: '青龙村', level: 'township', parentCode: '500230213000' }),
    ).toEqual(['level: is "township" but 500230213201 is a village code']);
    expect(issues(registerJurisdictionSchema, { code: GRID, name: '网格', level: 'village', parentCode: VILLAGE })).toEqual([
      'level: is "village" but 500230213201-G01 is a grid code',
    ]);
  });

  test('provinces and cities are not jurisdictions', () => {
    expect(issues(registerJurisdictionSchema, { code: '500200000000', name: '重庆市辖区', level: 'county' })).toEqual([
      'code: 500200000000 is a city code; jurisdictions are counties, townships, villages and grids',
    ]);
  });

  test('a grid must hang off a village', () => {
    expect(
      issues(registerJurisdictionSchema, { code: '500230213000-G01', name: '网格', level: 'grid', parentCode: '500230213000' }),
    ).toEqual(['code: grid code 500230213000-G01 must start with a village or community code']);
  });

  test('parentCode is required below the county and must be the real parent', () => {
    expect(issues(registerJurisdictionSchema, { code: VILLAGE, name: '青龙村', level: 'village' })).toEqual([
      'parentCode: is required for a village; expected 500230213000',
    ]);
    expect(
      issues(registerJurisdictionSchema, { code: VILLAGE, name: '青龙村', level: 'village', parentCode: '500230214000' }),
    ).toEqual(['parentCode: is 500230214000 but 500230213201 lies directly under 500230213000']);
    expect(issues(registerJurisdictionSchema, { code: GRID, name: '网格', level: 'grid', parentCode: '500230213202' })).toEqual([
      'parentCode: is 500230213202 but 500230213201-G01 lies directly under 500230213201',
    ]);
  });

  test('only grids have grid managers', () => {
    expect(
      issues(registerJurisdictionSchema, {
        code: VILLAGE,
        name: '青龙村',
        level: 'village',
        parentCode: '500230213000',
        gridManagers: [{ name: '刘', phone: MOBILE }],
      }),
    ).toEqual(['gridManagers: only grids have grid managers (网格员), and 500230213201 is a village']);
  });

  test('rejects codes that are neither', () => {
    expect(issues(registerJurisdictionSchema, { code: 'QL-01', name: 'x', level: 'grid' })).toEqual([
      'code: must be a 12-digit division code or a grid code such as 500230213201-G01: must contain only digits, found "Q" at position 1',
    ]);
  });
});
