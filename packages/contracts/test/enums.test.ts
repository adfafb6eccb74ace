import { defineEnum, JurisdictionLevel, UnitCategory } from '../src/enums/index.ts';

describe.each([
  ['UnitCategory', UnitCategory],
  ['JurisdictionLevel', JurisdictionLevel],
] as const)('%s', (_name, enumeration) => {
  test('every value has a non-empty zh and en label', () => {
    for (const value of enumeration.values) {
      const labels: { zh: string; en: string } = (enumeration.labels as Record<string, { zh: string; en: string }>)[value]!;
      expect(labels.zh.trim()).not.toBe('');
      expect(labels.en.trim()).not.toBe('');
    }
  });

  test('values are snake_case and unique', () => {
    for (const value of enumeration.values) expect(value).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(new Set(enumeration.values).size).toBe(enumeration.values.length);
  });

  test('schema accepts every value', () => {
    for (const value of enumeration.values) expect(enumeration.schema.parse(value)).toBe(value);
  });

  test('schema rejects an unknown value with a message', () => {
    const result = enumeration.schema.safeParse('castle');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^"castle" is not a known value; expected one of: /);
  });

  test('schema rejects a non-string with a message', () => {
    expect(enumeration.schema.safeParse(3).error?.issues[0]?.message).toBe('must be a string, got number');
    expect(enumeration.schema.safeParse(null).error?.issues[0]?.message).toBe('must be a string, got null');
  });
});

describe('UnitCategory', () => {
  test('has the 31 categories in order, kindergartens and construction sites among them', () => {
    expect(UnitCategory.values).toHaveLength(31);
    expect(UnitCategory.label('kindergarten')).toBe('幼儿园');
    expect(UnitCategory.label('construction_site')).toBe('施工现场');
    expect(UnitCategory.values[0]).toBe('high_rise');
    expect(UnitCategory.values.at(-1)).toBe('other');
  });

  test('labels in Chinese by default and in English on request', () => {
    expect(UnitCategory.label('three_in_one')).toBe('三合一场所');
    expect(UnitCategory.label('elderly_care', 'zh-CN')).toBe('福利院/养老机构');
    expect(UnitCategory.label('small_venue')).toBe('小单位/小场所');
    expect(UnitCategory.label('esports_hotel', 'en')).toBe('Esports hotel');
  });

  test('lists the expected error values', () => {
    const message = UnitCategory.schema.safeParse('castle').error?.issues[0]?.message;
    expect(message).toContain('high_rise');
    expect(message).toContain('other');
  });

  test('types the values as a union of the keys', () => {
    const category: UnitCategory = 'fireworks';
    // @ts-expect-error unknown values do not type-check
    const unknown: UnitCategory = 'castle';
    expect([category, unknown]).toHaveLength(2);
  });
});

describe('JurisdictionLevel', () => {
  test('has county, township, village and grid in order', () => {
    expect(JurisdictionLevel.values).toEqual(['county', 'township', 'village', 'grid']);
  });

  test('labels', () => {
    expect(JurisdictionLevel.label('village')).toBe('村（社区）');
    expect(JurisdictionLevel.label('village', 'en')).toBe('Village (community)');
    expect(JurisdictionLevel.label('grid', 'en')).toBe('Grid');
  });
});

describe('defineEnum', () => {
  const Color = defineEnum({ red: { zh: '红', en: 'Red' }, blue: { zh: '蓝', en: 'Blue' } });

  test('exposes values, schema, label and labels', () => {
    expect(Color.values).toEqual(['red', 'blue']);
    expect(Color.schema.options).toEqual(['red', 'blue']);
    expect(Color.labels.red.en).toBe('Red');
    expect(Color.label('blue')).toBe('蓝');
  });

  test('falls back to the raw value for a value it does not know', () => {
    expect(Color.label('green' as 'red')).toBe('green');
    expect(Color.label('toString' as 'red')).toBe('toString');
  });

  test('is frozen', () => {
    expect(Object.isFrozen(Color)).toBe(true);
    expect(Object.isFrozen(Color.values)).toBe(true);
  });

  test('refuses an empty definition', () => {
    expect(() => defineEnum({})).toThrow('defineEnum needs at least one value');
  });
});
