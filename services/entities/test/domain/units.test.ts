import { registerUnitSchema, updateUnitSchema } from '../../src/domain/units.ts';
import { creditCode, GRID, issues, validUnit, VILLAGE } from './fixtures.ts';

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
