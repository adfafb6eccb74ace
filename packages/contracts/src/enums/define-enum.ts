import { z } from 'zod';

export type Locale = 'zh-CN' | 'en';

export interface EnumLabel {
  readonly zh: string;
  readonly en: string;
}

export type EnumDefinition = Readonly<Record<string, EnumLabel>>;

export interface DefinedEnum<D extends EnumDefinition> {
  /** API values in declaration order. */
  readonly values: readonly [keyof D & string, ...(keyof D & string)[]];
  readonly schema: z.ZodEnum<{ [K in keyof D & string]: K }>;
  readonly label: (value: keyof D & string, locale?: Locale) => string;
  readonly labels: D;
}

/**
 * One source for an enum's API values, its validator and its display labels, so a value
 * cannot be added to the API without a label (or the other way round).
 */
export function defineEnum<const D extends EnumDefinition>(def: D): DefinedEnum<D> {
  const keys = Object.keys(def) as (keyof D & string)[];
  const [first, ...rest] = keys;
  if (first === undefined) throw new Error('defineEnum needs at least one value');
  const values: readonly [keyof D & string, ...(keyof D & string)[]] = Object.freeze([first, ...rest]);
  const expected = values.join(', ');

  const schema = z.enum(values, {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `"${issue.input}" is not a known value; expected one of: ${expected}`
        : `must be a string, got ${issue.input === null ? 'null' : typeof issue.input}`,
  }) as z.ZodEnum<{ [K in keyof D & string]: K }>;

  const label = (value: keyof D & string, locale: Locale = 'zh-CN'): string => {
    // Unknown values can still arrive from untyped callers; showing the raw value beats throwing in a view.
    const entry: EnumLabel | undefined = Object.hasOwn(def, value) ? def[value] : undefined;
    if (entry === undefined) return String(value);
    return locale === 'en' ? entry.en : entry.zh;
  };

  return Object.freeze({ values, schema, label, labels: def });
}
