import { defineEnum, idSchema, textField } from '@firegov/contracts';
import type { z } from 'zod';
import {
  countField,
  isoDateField,
  listOf,
  personRefField,
  strictObject,
  villageCodeField,
  type PersonRef,
} from './outreach-fields.ts';

// 五进 publicity (全民消防安全宣传教育纲要, 公通字〔2011〕20号 [C]; the five as named in summaries [C2]).
// Local variants add 进机关 or 进场所 [C2/L]: the list is an enum so adding one is one line here.
export const PublicityKind = defineEnum({
  enterprise: { zh: '进企业', en: 'Into enterprises' },
  village: { zh: '进农村', en: 'Into villages' },
  community: { zh: '进社区', en: 'Into communities' },
  school: { zh: '进学校', en: 'Into schools' },
  family: { zh: '进家庭', en: 'Into families' },
});
export type PublicityKind = (typeof PublicityKind.values)[number];

export const PublicityFormat = defineEnum({
  talk: { zh: '宣讲', en: 'Talk' },
  drill: { zh: '演练', en: 'Drill' },
  leaflets: { zh: '发放资料', en: 'Leaflets' },
  broadcast: { zh: '广播', en: 'Broadcast' },
  exhibition: { zh: '展览', en: 'Exhibition' },
  other: { zh: '其他', en: 'Other' },
});
export type PublicityFormat = (typeof PublicityFormat.values)[number];

export const recordPublicityInput = strictObject({
  kind: PublicityKind.schema,
  /** Where: a village, a unit of the registry, or both (a unit's own village wins). */
  villageCode: villageCodeField.optional(),
  unitId: idSchema.optional(),
  organiser: personRefField,
  date: isoDateField,
  format: PublicityFormat.schema.default('talk'),
  audience: textField(1, 100).optional(),
  attendance: countField(1_000_000),
  materials: listOf(strictObject({ kind: textField(1, 50), count: countField(1_000_000) }), 50).default([]),
  note: textField(1, 500).optional(),
});
export type RecordPublicityInput = z.output<typeof recordPublicityInput>;

export interface PublicityEvent {
  _id: string;
  kind: PublicityKind;
  villageCode: string;
  unitId?: string;
  unitName?: string;
  scope: string[];
  organiser: PersonRef;
  date: string;
  format: PublicityFormat;
  audience?: string;
  attendance: number;
  materials: Array<{ kind: string; count: number }>;
  note?: string;
  createdAt: string;
  createdBy: string;
}

export interface CoverageRow {
  key: string;
  events: number;
  attendance: number;
  materials: number;
}

/** Events, attendance and materials per village and per kind of 五进 (every kind listed, reached or not). */
export function publicityCoverage(
  events: ReadonlyArray<Pick<PublicityEvent, 'kind' | 'villageCode' | 'attendance' | 'materials'>>,
) {
  const add = (map: Map<string, CoverageRow>, key: string, e: (typeof events)[number]) => {
    const row = map.get(key) ?? { key, events: 0, attendance: 0, materials: 0 };
    row.events += 1;
    row.attendance += e.attendance;
    row.materials += e.materials.reduce((n, m) => n + m.count, 0);
    map.set(key, row);
  };
  const byKind = new Map<string, CoverageRow>(
    PublicityKind.values.map((k) => [k, { key: k, events: 0, attendance: 0, materials: 0 }]),
  );
  const byVillage = new Map<string, CoverageRow>();
  for (const e of events) {
    add(byKind, e.kind, e);
    add(byVillage, e.villageCode, e);
  }
  return {
    byKind: [...byKind.values()],
    byVillage: [...byVillage.values()].sort((a, b) => a.key.localeCompare(b.key)),
  };
}
