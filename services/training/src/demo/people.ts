import type { Identity } from '@firegov/auth';
import { residentIdCheckChar } from '@firegov/contracts';
import type { RegistryUnitDoc } from '@firegov/registry';
import type { PeopleServices } from '../service/people-services.ts';
import type { TrainingModels } from '../store/models.ts';

// Demo people: the responsible person (责任人) and safety manager (管理人) of a share of the demo
// county's key units, with stable ids p_demo_<n> (the learning demo issues certificates to some of
// them; the rest stay untrained, so compliance lists and coverage have something to show).

const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超'];

/** Share of the demo key units that get registered people (every other one, in id order). */
export const DEMO_UNIT_STRIDE = 2;
export const MAX_DEMO_UNITS = 40;

export const demoPersonId = (n: number): string => `p_demo_${n}`;

function residentId(n: number): string {
  // 500230 (Fengdu) + birth date 1970-01-01 + n spread over the day-of-year and sequence digits.
  const birth = new Date(Date.UTC(1970 + (n % 30), 0, 1 + (n % 28)));
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `500230${ymd}${String(n % 1000).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

export interface PeopleDemoSummary {
  units: number;
  people: number;
  skipped: boolean;
}

/** Registers the demo people once (skipped when p_demo_1 exists) and announces the units' coverage. */
export async function loadPeopleDemo(opts: {
  services: PeopleServices;
  models: TrainingModels;
  countyCode: string;
}): Promise<PeopleDemoSummary> {
  await opts.services.requirements.seedDefaults();
  if (await opts.models.people.exists({ _id: demoPersonId(1) })) return { units: 0, people: 0, skipped: true };
  const admin: Identity = { subject: 'demo-loader', role: 'county_admin', jurisdiction: opts.countyCode, name: '演示数据' };
  const keyUnits = (
    await opts.models.units
      .find({ demo: true, keyUnit: true, status: 'active', scope: opts.countyCode })
      .lean<RegistryUnitDoc[]>()
  ).sort((a, b) => (a._id < b._id ? -1 : 1));
  const picked = keyUnits.filter((_u, i) => i % DEMO_UNIT_STRIDE === 0).slice(0, MAX_DEMO_UNITS);
  let n = 0;
  for (const unit of picked) {
    for (const role of ['responsible_person', 'safety_manager'] as const) {
      n += 1;
      await opts.services.people.register(
        admin,
        {
          name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`,
          phone: `139${String(23_000_000 + n).padStart(8, '0')}`,
          residentId: residentId(n),
          platformAccount: `xfxx-demo-${n}`,
          assignments: [{ role, unitId: unit._id }],
        },
        { id: demoPersonId(n), demo: true },
      );
    }
  }
  return { units: picked.length, people: n, skipped: false };
}
