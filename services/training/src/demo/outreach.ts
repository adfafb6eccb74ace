import type { Identity } from '@firegov/auth';
import type { RegistryJurisdictionDoc, RegistryUnitDoc } from '@firegov/registry';
import { localDate } from '../domain/outreach-fields.ts';
import type { OutreachServices } from '../service/outreach.ts';
import type { TrainingModels } from '../store/models.ts';

// Demo outreach year for the demo county: 五进 events, door-knocking visits to most of the demo
// households, one literacy survey, volunteers with confirmed hours, drills at key units (some with
// findings, which become hazards in inspections) and village fire-team sessions. It needs the
// registry view and the households and fire-team projections, so it runs after entities' demo.

const MAX_VILLAGES = 12;
const DEMO_SUBJECT = 'demo-outreach';

export interface OutreachDemoSummary {
  publicity: number;
  visits: number;
  responses: number;
  volunteers: number;
  drills: number;
  teamSessions: number;
  skipped: boolean;
}

const daysAgo = (today: Date, n: number) => localDate(new Date(today.getTime() - n * 86_400_000));

export async function loadOutreachDemo(opts: {
  services: OutreachServices;
  models: TrainingModels;
  countyCode: string;
  now?: () => Date;
}): Promise<OutreachDemoSummary> {
  const { services, models, countyCode } = opts;
  const today = (opts.now ?? (() => new Date()))();
  const summary: OutreachDemoSummary = {
    publicity: 0,
    visits: 0,
    responses: 0,
    volunteers: 0,
    drills: 0,
    teamSessions: 0,
    skipped: false,
  };
  if (await models.publicityEvents.exists({ createdBy: DEMO_SUBJECT })) return { ...summary, skipped: true };
  const county: Identity = { subject: DEMO_SUBJECT, role: 'county_admin', jurisdiction: countyCode, name: '演示数据' };
  const confirmer: Identity = { subject: 'demo-outreach-confirmer', role: 'county_admin', jurisdiction: countyCode };
  const gridOf = (villageCode: string): Identity => ({
    subject: DEMO_SUBJECT,
    role: 'village_grid_manager',
    jurisdiction: villageCode,
  });

  const villages = (
    await models.jurisdictions
      .find({ level: 'village', _id: { $regex: `^${countyCode.slice(0, 6)}` } })
      .lean<RegistryJurisdictionDoc[]>()
  )
    .sort((a, b) => a._id.localeCompare(b._id))
    .slice(0, MAX_VILLAGES);

  // 五进: every village gets 进农村 and 进家庭; every other one 进社区 too.
  const kinds = ['village', 'family', 'community'] as const;
  for (const [i, v] of villages.entries()) {
    for (const [k, kind] of kinds.entries()) {
      if (kind === 'community' && i % 2 === 1) continue;
      await services.publicity.record(county, {
        kind,
        villageCode: v._id,
        organiser: { name: '县消防救援大队宣传组', phone: '13800230119' },
        date: daysAgo(today, 20 + i * 7 + k * 40),
        format: kind === 'village' ? 'broadcast' : 'talk',
        attendance: 40 + ((i * 13 + k * 7) % 60),
        materials: [{ kind: '消防安全宣传册', count: 50 + i * 5 }],
      });
      summary.publicity += 1;
    }
  }
  // 进企业 and 进学校 at demo units.
  const units = (await models.units.find({ demo: true, status: 'active', scope: countyCode }).lean<RegistryUnitDoc[]>()).sort(
    (a, b) => a._id.localeCompare(b._id),
  );
  for (const [i, u] of units.slice(0, 10).entries()) {
    await services.publicity.record(county, {
      kind: u.category === 'school' ? 'school' : 'enterprise',
      unitId: u._id,
      organiser: { name: '乡镇消防工作站' },
      date: daysAgo(today, 15 + i * 11),
      attendance: 20 + i * 3,
      materials: [{ kind: '灭火器使用指南', count: 20 + i * 3 }],
    });
    summary.publicity += 1;
  }

  // 敲门行动: two of every three households, some with a finding fixed on site.
  const households = (await models.households.find({ scope: countyCode }).lean()).sort((a, b) => a._id.localeCompare(b._id));
  for (const [i, hh] of households.entries()) {
    if (i % 3 === 2) continue;
    await services.visits.record(gridOf(hh.villageCode), {
      householdId: hh._id,
      visitor: { name: '村网格员', phone: '13900230000' },
      date: daysAgo(today, 5 + ((i * 17) % 150)),
      checks: [
        { item: 'wiring', result: i % 4 === 0 ? 'problem' : 'ok' },
        { item: 'gas', result: 'ok' },
        { item: 'smoke_alarm', result: i % 5 === 0 ? 'problem' : 'ok' },
        { item: 'escape_route', result: 'ok' },
      ],
      findings: i % 4 === 0 ? [{ description: '电线老化、私拉乱接', fixedOnSite: i % 8 === 0 }] : [],
      taught: true,
    });
    summary.visits += 1;
  }

  // One literacy survey for the county, ten respondents per village.
  const survey = await services.surveys.create(county, {
    year: Number(localDate(today).slice(0, 4)),
    title: '消防安全素质调查（演示）',
    jurisdictionCode: countyCode,
    questions: [
      {
        id: 'q1',
        text: '发现火灾应拨打的电话是？',
        category: '防范意识',
        options: [
          { id: 'a', text: '119', points: 25 },
          { id: 'b', text: '120', points: 0 },
        ],
      },
      {
        id: 'q2',
        text: '电动车可以在楼道内充电吗？',
        category: '防范意识',
        options: [
          { id: 'a', text: '不可以', points: 25 },
          { id: 'b', text: '可以', points: 0 },
        ],
      },
      {
        id: 'q3',
        text: '身上着火时应？',
        category: '自救逃生',
        options: [
          { id: 'a', text: '就地打滚压灭火苗', points: 25 },
          { id: 'b', text: '奔跑', points: 0 },
        ],
      },
      {
        id: 'q4',
        text: '干粉灭火器使用的第一步是？',
        category: '灭火器使用',
        options: [
          { id: 'a', text: '拔出保险销', points: 25 },
          { id: 'b', text: '对准火焰顶部', points: 5 },
        ],
      },
    ],
  });
  for (const [i, v] of villages.entries()) {
    for (let r = 0; r < 10; r += 1) {
      const wrong = (q: number) => (r + i + q) % (3 + (i % 3)) === 0;
      await services.surveys.recordResponse(gridOf(v._id), {
        surveyId: survey._id,
        villageCode: v._id,
        channel: r % 2 ? '入户' : '电话',
        answers: [1, 2, 3, 4].map((q) => ({ questionId: `q${q}`, optionId: wrong(q) ? 'b' : 'a' })),
      });
      summary.responses += 1;
    }
  }

  // Volunteers: three per village, hours recorded by the grid and confirmed by the county.
  for (const [i, v] of villages.entries()) {
    for (let n = 0; n < 3; n += 1) {
      const vol = await services.volunteers.register(gridOf(v._id), {
        name: `志愿者${i + 1}-${n + 1}`,
        phone: `137${String(23_000_000 + i * 10 + n).padStart(8, '0')}`,
        villageCode: v._id,
      });
      summary.volunteers += 1;
      for (let a = 0; a <= (i + n) % 4; a += 1) {
        const act = await services.volunteers.recordActivity(gridOf(v._id), {
          volunteerId: vol._id,
          kind: a % 2 ? 'door_knocking' : 'publicity',
          date: daysAgo(today, 10 + a * 30 + n),
          hours: 2 + ((i + a) % 4),
        });
        if ((a + n) % 3 !== 2) await services.volunteers.confirmActivity(confirmer, { volunteerId: vol._id, activityId: act.id });
      }
    }
  }

  // Drills at half of the demo key units; every third has findings (→ hazards in inspections).
  const keyUnits = units.filter((u) => u.keyUnit);
  for (const [i, u] of keyUnits.slice(0, 30).entries()) {
    if (i % 2 === 1) continue;
    await services.drills.record(county, {
      unitId: u._id,
      scenario: '初起火灾扑救与人员疏散',
      date: daysAgo(today, 30 + i * 9),
      place: u.name,
      departments: ['义务消防队', '疏散引导组'],
      participants: 20 + i,
      evacuationSeconds: 150 + i * 7,
      findings: i % 3 === 0 ? [{ description: '疏散指示标志不亮', severity: 'general' }] : [],
    });
    summary.drills += 1;
  }

  // Village fire-team training: one to three sessions per team.
  const teams = (await models.fireTeams.find({ scope: countyCode }).lean()).sort((a, b) => a._id.localeCompare(b._id));
  for (const [i, t] of teams.entries()) {
    for (let s = 0; s <= i % 3; s += 1) {
      await services.teamTraining.record(gridOf(t.villageCode), {
        teamId: t._id,
        date: daysAgo(today, 14 + s * 60 + i),
        hours: 3 + s,
        participants: Math.max(1, Math.min(t.memberCount, 15 + s)),
        content: ['水带连接与射水', '手抬机动泵操作', '初起火灾扑救'][s % 3]!,
      });
      summary.teamSessions += 1;
    }
  }
  return summary;
}
