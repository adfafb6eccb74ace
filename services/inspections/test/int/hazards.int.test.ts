import { hazardTopic } from '@firegov/contracts';
import {
  brigade,
  countyAdmin,
  gridA1,
  inDays,
  seedRegistry,
  startHarness,
  townshipA,
  townshipB,
  unitSnapshot,
  type Harness,
} from '../harness.ts';

let h: Harness;
const restaurant = unitSnapshot({ name: '青龙场镇张记餐馆' });
const factory = unitSnapshot({ name: '青龙建材厂', category: 'factory', villageCode: '500230213202' });
// Flagged high-rise by entities from its height (GB 50016: > 24 m, not single-storey), a hotel by category.
const tallHotel = unitSnapshot({ name: '青龙大酒店', category: 'hotel', floors: 12, heightM: 39.6, highRise: true });
const otherTownship = unitSnapshot({
  name: '邻乡超市',
  category: 'supermarket',
  townshipCode: '500230214000',
  villageCode: '500230214201',
});

beforeAll(async () => {
  h = await startHarness('insp-hazards');
  await seedRegistry(h, [restaurant, factory, tallHotel, otherTownship]);
});
afterAll(async () => h.close());

const HAZARD_FIELDS = `id version status grade round deadline unitName villageName source campaignKey title
  determination { grade basis explanation matched { code } edition clauses provisional }
  escalation { level }`;

const RECORD_INSPECTION = `mutation($input: RecordInspectionInput!) {
  recordInspection(input: $input) {
    __typename
    ... on MutationRecordInspectionSuccess { data { id unitName villageName kind campaignKey hazards { ${HAZARD_FIELDS} } } }
    ... on MutationError { code message details { path reason } }
  }
}`;

type Result<T> = { __typename: string; data?: T; code?: string; details?: Array<{ path: string; reason: string }> };

async function hazardCount(): Promise<number> {
  return h.models.hazards.countDocuments({});
}

describe('inspections and the hazards they find', () => {
  test('a campaign inspection turns each failed checklist item into a hazard, with the unit as it was', async () => {
    const res = await h.gql<{ recordInspection: Result<Record<string, unknown> & { hazards: Array<Record<string, unknown>> }> }>(
      RECORD_INSPECTION,
      {
        input: {
          unitId: factory.id,
          kind: 'village_screening',
          campaignKey: 'factory_warehouse_review',
          inspectedAt: h.clock.now().toISOString(),
          inspectors: ['李检查', '王网格'],
          results: [
            { itemCode: 'fire_lane_occupied', outcome: 'fail', note: '厂区东侧消防车道堆放建材' },
            { itemCode: 'exit_locked', outcome: 'fail', note: '二楼安全出口上锁', factorCodes: ['C-3.2'] },
            { itemCode: 'illegal_hot_work', outcome: 'pass' },
          ],
        },
      },
      gridA1.jurisdiction === factory.villageCode ? gridA1 : townshipA,
    );
    const r = res.data?.recordInspection;
    expect(r?.__typename).toBe('MutationRecordInspectionSuccess');
    expect(r?.data).toMatchObject({ unitName: '青龙建材厂', villageName: '石龙村', kind: 'village_screening' });
    const hazards = r?.data?.hazards ?? [];
    expect(hazards).toHaveLength(2);
    expect(hazards[0]).toMatchObject({
      status: 'open',
      grade: 'general',
      source: 'inspection',
      campaignKey: 'factory_warehouse_review',
    });
    const inspectionId = (r?.data as unknown as { id: string }).id;
    const ofInspection = (m: (typeof h.events.messages)[number]) =>
      m.topic === h.topic(hazardTopic.name) &&
      (m.envelope?.data as { sourceRef?: { id: string } }).sourceRef?.id.startsWith(inspectionId) === true;
    const recorded = await h.events.waitFor(ofInspection, 2);
    expect(new Set(recorded.map((m) => m.envelope?.id)).size).toBe(2);
    expect(recorded.every((m) => m.envelope?.type === 'inspections.hazard.recorded')).toBe(true);
    expect(recorded[0]?.key).toBe(factory.id);
  });

  test('the high-rise campaign reaches a unit flagged high-rise whatever its category, and only those', async () => {
    const inspect = (unitId: string) =>
      h.gql<{ recordInspection: Result<{ hazards: Array<{ campaignKey: string }> }> }>(
        RECORD_INSPECTION,
        {
          input: {
            unitId,
            kind: 'village_screening',
            campaignKey: 'high_rise_risk_clearance',
            inspectedAt: h.clock.now().toISOString(),
            inspectors: ['李检查'],
            results: [{ itemCode: 'fire_engine_access', outcome: 'fail', note: '登高操作场地停满车辆' }],
          },
        },
        townshipA,
      );
    const hotel = (await inspect(tallHotel.id)).data?.recordInspection;
    expect(hotel?.__typename).toBe('MutationRecordInspectionSuccess');
    expect(hotel?.data?.hazards.map((x) => x.campaignKey)).toEqual(['high_rise_risk_clearance']);
    const before = await hazardCount();
    const low = (await inspect(restaurant.id)).data?.recordInspection;
    expect(low).toMatchObject({ __typename: 'MutationError', code: 'VALIDATION_FAILED' });
    expect(low?.details?.[0]).toEqual({
      path: '$.campaignKey',
      reason: expect.stringMatching(/targets high_rise, units flagged highRise from .*; unit is restaurant$/),
    });
    expect(await hazardCount()).toBe(before);
    const listed = await h.gql<{ campaigns: Array<{ key: string; targetFlags: string[] }> }>(
      `{ campaigns { key targetFlags } }`,
      {},
      townshipA,
    );
    expect(listed.data?.campaigns.find((c) => c.key === 'high_rise_risk_clearance')?.targetFlags).toEqual(['highRise']);
  });

  test('every bad field is named, and a refused inspection stores nothing', async () => {
    const before = await hazardCount();
    const res = await h.gql<{ recordInspection: Result<unknown> }>(
      RECORD_INSPECTION,
      {
        input: {
          unitId: factory.id,
          kind: 'village_screening',
          campaignKey: 'factory_warehouse_review',
          inspectedAt: inDays(h, 2),
          inspectors: [],
          results: [
            { itemCode: 'not_on_list', outcome: 'fail', note: 'x' },
            { itemCode: 'exit_locked', outcome: 'fail' },
            { itemCode: 'fire_lane_occupied', outcome: 'maybe' },
          ],
        },
      },
      townshipA,
    );
    const r = res.data?.recordInspection;
    expect(r?.code).toBe('VALIDATION_FAILED');
    const paths = (r?.details ?? []).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['$.inspectors', '$.results[1].note', '$.results[2].outcome']));
    expect(await hazardCount()).toBe(before);
  });

  test('an inspection of a unit not in the registry, or outside the campaign’s targets, is refused', async () => {
    const before = await hazardCount();
    const base = { kind: 'self_check', inspectedAt: h.clock.now().toISOString(), inspectors: ['张三'] };
    const unknown = await h.gql<{ recordInspection: Result<unknown> }>(
      RECORD_INSPECTION,
      { input: { ...base, unitId: 'u_nope', results: [{ itemCode: 'x1', outcome: 'fail', note: '问题' }] } },
      townshipA,
    );
    expect(unknown.data?.recordInspection).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.unitId' }] });
    const wrongTarget = await h.gql<{ recordInspection: Result<unknown> }>(
      RECORD_INSPECTION,
      {
        input: {
          ...base,
          unitId: restaurant.id,
          campaignKey: 'factory_warehouse_review',
          results: [{ itemCode: 'exit_locked', outcome: 'fail', note: '锁闭' }],
        },
      },
      townshipA,
    );
    expect(wrongTarget.data?.recordInspection).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.campaignKey' }] });
    const outside = await h.gql<{ recordInspection: Result<unknown> }>(
      RECORD_INSPECTION,
      { input: { ...base, unitId: otherTownship.id, results: [{ itemCode: 'x1', outcome: 'fail', note: '问题' }] } },
      townshipA,
    );
    expect(outside.data?.recordInspection).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await hazardCount()).toBe(before);
  });
});

const RECORD_HAZARD = `mutation($input: RecordHazardInput!) {
  recordHazard(input: $input) {
    __typename
    ... on MutationRecordHazardSuccess { data { ${HAZARD_FIELDS} } }
    ... on MutationError { code message details { path reason } }
  }
}`;

async function recordHazard(input: Record<string, unknown>, who = townshipA) {
  const res = await h.gql<{ recordHazard: Result<{ id: string; grade: string; version: number } & Record<string, unknown>> }>(
    RECORD_HAZARD,
    { input: { unitId: restaurant.id, title: '疏散通道堵塞', description: '后厨通道堆放杂物', ...input } },
    who,
  );
  return res.data?.recordHazard as Result<{ id: string; grade: string; version: number } & Record<string, unknown>>;
}

describe('GB 35181 grading', () => {
  test('one direct factor makes a hazard major; unknown factor codes are named', async () => {
    const major = await recordHazard({ factorCodes: ['D-6'] });
    // The harness's clock is in 2026: GB 35181-2025 decides, provisionally (its text is not keyed in).
    expect(major.data).toMatchObject({
      grade: 'major',
      determination: {
        basis: 'direct',
        matched: [{ code: 'D-6' }],
        edition: 'ed2025',
        provisional: true,
        clauses: ['第5章（条号未确认）'],
      },
    });
    const bad = await recordHazard({ factorCodes: ['D-6', 'Z-9', 'C-99.9'] });
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.details?.map((d) => d.path)).toEqual(['$.factorCodes[1]', '$.factorCodes[2]']);
  });

  test('an expert panel (7 experts, 5 agreeing) regrades a general hazard to major', async () => {
    const general = await recordHazard({ factorCodes: ['C-3.1'] });
    expect(general.data?.grade).toBe('general');
    const res = await h.gql<{ determineHazardGrade: Result<{ grade: string; version: number }> }>(
      `mutation($id: ID!, $panel: ExpertPanelInput, $discussion: CollectiveDiscussionInput) {
        determineHazardGrade(hazardId: $id, expertPanel: $panel, discussion: $discussion) {
          __typename ... on MutationDetermineHazardGradeSuccess { data { grade version } } ... on MutationError { code details { path reason } }
        }
      }`,
      {
        id: general.data?.id,
        discussion: { participants: ['甲', '乙', '丙'], conclusion: 'general' },
        panel: { experts: ['专家1', '专家2', '专家3', '专家4', '专家5', '专家6', '专家7'], votesMajor: 5 },
      },
      brigade,
    );
    expect(res.data?.determineHazardGrade.data).toEqual({ grade: 'major', version: 2 });
    const panelTooSmall = await h.gql<{ determineHazardGrade: Result<unknown> }>(
      `mutation($id: ID!, $panel: ExpertPanelInput) {
        determineHazardGrade(hazardId: $id, expertPanel: $panel) { __typename ... on MutationError { code details { path } } }
      }`,
      { id: general.data?.id, panel: { experts: ['a', 'b', 'c'], votesMajor: 3 } },
      brigade,
    );
    expect(panelTooSmall.data?.determineHazardGrade.code).toBe('VALIDATION_FAILED');
  });
});

const STEP_FIELDS = `__typename ... on MutationError { code message details { path reason } }`;

describe('rectification', () => {
  test('order → rectified → failed re-inspection reopens with a new deadline → passed re-inspection closes; each step an event', async () => {
    const hz = await recordHazard({ title: '灭火器过期' });
    const id = hz.data?.id as string;
    const order = await h.gql<{ issueRectificationOrder: Result<{ status: string; deadline: string; round: number }> }>(
      `mutation($id: ID!, $d: String!) { issueRectificationOrder(hazardId: $id, deadline: $d, responsibleParty: "张记餐馆 张三", measures: "更换灭火器") {
        ${STEP_FIELDS} ... on MutationIssueRectificationOrderSuccess { data { status deadline round } } } }`,
      { id, d: inDays(h, 10) },
      townshipA,
    );
    expect(order.data?.issueRectificationOrder.data).toMatchObject({ status: 'rectifying', round: 1 });

    const report = await h.gql<{ reportRectified: Result<{ status: string }> }>(
      `mutation($id: ID!) { reportRectified(hazardId: $id, notes: "已更换") { ${STEP_FIELDS} ... on MutationReportRectifiedSuccess { data { status } } } }`,
      { id },
      gridA1,
    );
    expect(report.data?.reportRectified.data).toEqual({ status: 'awaiting_reinspection' });

    const noDeadline = await h.gql<{ reinspectHazard: Result<unknown> }>(
      `mutation($id: ID!) { reinspectHazard(hazardId: $id, passed: false) { ${STEP_FIELDS} } }`,
      { id },
      townshipA,
    );
    expect(noDeadline.data?.reinspectHazard).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.newDeadline' }] });

    const failed = await h.gql<{ reinspectHazard: Result<{ status: string; round: number; deadline: string }> }>(
      `mutation($id: ID!, $d: String!) { reinspectHazard(hazardId: $id, passed: false, notes: "仍有过期", newDeadline: $d) {
        ${STEP_FIELDS} ... on MutationReinspectHazardSuccess { data { status round deadline } } } }`,
      { id, d: inDays(h, 5) },
      townshipA,
    );
    expect(failed.data?.reinspectHazard.data).toMatchObject({ status: 'rectifying', round: 2 });

    await h.gql(`mutation($id: ID!) { reportRectified(hazardId: $id) { __typename } }`, { id }, gridA1);
    const passed = await h.gql<{ reinspectHazard: Result<{ status: string }> }>(
      `mutation($id: ID!) { reinspectHazard(hazardId: $id, passed: true, notes: "合格") { ${STEP_FIELDS} ... on MutationReinspectHazardSuccess { data { status } } } }`,
      { id },
      townshipA,
    );
    expect(passed.data?.reinspectHazard.data).toEqual({ status: 'closed' });

    // Kafka delivers at least once: a collector may see a message twice, so events count by id.
    await h.events.waitFor(
      (m) =>
        m.envelope?.subject === id &&
        m.envelope.type === 'inspections.hazard.transitioned' &&
        (m.envelope.data as { status: string }).status === 'closed',
    );
    const seen = new Map(h.events.messages.filter((m) => m.envelope?.subject === id).map((m) => [m.envelope?.id, m.envelope]));
    expect([...seen.values()].map((e) => `${e?.type}:${(e?.data as { status: string }).status}`)).toEqual([
      'inspections.hazard.recorded:open',
      'inspections.hazard.transitioned:rectifying',
      'inspections.hazard.transitioned:awaiting_reinspection',
      'inspections.hazard.transitioned:rectifying',
      'inspections.hazard.transitioned:awaiting_reinspection',
      'inspections.hazard.transitioned:closed',
    ]);
  });

  test('no skipping: a hazard without an order cannot be re-inspected or closed, and a closed one takes no more steps', async () => {
    const hz = await recordHazard({ title: '应急照明损坏' });
    const id = hz.data?.id as string;
    const skip = await h.gql<{ reinspectHazard: Result<unknown> }>(
      `mutation($id: ID!) { reinspectHazard(hazardId: $id, passed: true) { ${STEP_FIELDS} } }`,
      { id },
      townshipA,
    );
    expect(skip.data?.reinspectHazard.code).toBe('CONFLICT');
    const doc = await h.models.hazards.findById(id).lean();
    expect(doc?.state.status).toBe('open');
    expect(doc?.version).toBe(1);
  });

  test('a stale expectedVersion is a CONFLICT and changes nothing', async () => {
    const hz = await recordHazard({ title: '电线私拉乱接' });
    const res = await h.gql<{ issueRectificationOrder: Result<unknown> }>(
      `mutation($id: ID!, $d: String!) { issueRectificationOrder(hazardId: $id, deadline: $d, responsibleParty: "店主", expectedVersion: 7) { ${STEP_FIELDS} } }`,
      { id: hz.data?.id, d: inDays(h, 3) },
      townshipA,
    );
    expect(res.data?.issueRectificationOrder).toMatchObject({ code: 'CONFLICT', details: [{ path: '$.expectedVersion' }] });
  });
});

describe('jurisdiction and roles', () => {
  test('another township sees nothing of this township’s hazards; a grid manager may not order rectification', async () => {
    const hz = await recordHazard({ title: '仓库违规住人' });
    const id = hz.data?.id as string;
    const other = await h.gql<{ hazard: unknown }>(`query($id: ID!) { hazard(id: $id) { id } }`, { id }, townshipB);
    expect(other.data?.hazard).toBeNull();
    const county = await h.gql<{ hazard: { id: string } }>(`query($id: ID!) { hazard(id: $id) { id } }`, { id }, countyAdmin);
    expect(county.data?.hazard.id).toBe(id);
    const order = await h.gql<{ issueRectificationOrder: Result<unknown> }>(
      `mutation($id: ID!, $d: String!) { issueRectificationOrder(hazardId: $id, deadline: $d, responsibleParty: "x") { ${STEP_FIELDS} } }`,
      { id, d: inDays(h, 3) },
      gridA1,
    );
    expect(order.data?.issueRectificationOrder.code).toBe('FORBIDDEN');
    const stolen = await h.gql<{ issueRectificationOrder: Result<unknown> }>(
      `mutation($id: ID!, $d: String!) { issueRectificationOrder(hazardId: $id, deadline: $d, responsibleParty: "x") { ${STEP_FIELDS} } }`,
      { id, d: inDays(h, 3) },
      townshipB,
    );
    expect(stolen.data?.issueRectificationOrder.code).toBe('NOT_FOUND');
    const queue = await h.gql<{ hazardQueue: unknown }>(
      `query { hazardQueue(queue: open, jurisdictionCode: "500230213000") { totalCount } }`,
      {},
      townshipB,
    );
    expect(queue.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('no token, no data', async () => {
    const res = await h.gql<{ hazardQueue: unknown }>(`query { hazardQueue(queue: open) { totalCount } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the Unit entity, extended', () => {
  test('references resolve to open-hazard counts, hazards and inspections in one batch; out-of-scope units give null', async () => {
    const res = await h.gql<{
      _entities: Array<{ id: string; openHazardCount: number | null; hazards: unknown[]; inspections: unknown[] }>;
    }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Unit { id openHazardCount hazards(openOnly: true) { id status } inspections { id } } } }`,
      {
        reps: [
          { __typename: 'Unit', id: factory.id },
          { __typename: 'Unit', id: restaurant.id },
          { __typename: 'Unit', id: otherTownship.id },
        ],
      },
      townshipA,
    );
    expect(res.errors).toBeUndefined();
    const [f, r, o] = res.data?._entities ?? [];
    expect(f?.openHazardCount).toBe(2);
    expect(f?.hazards).toHaveLength(2);
    expect(f?.inspections).toHaveLength(1);
    const openRestaurant = await h.models.hazards.countDocuments({
      unitId: restaurant.id,
      'state.status': { $in: ['open', 'rectifying', 'awaiting_reinspection'] },
    });
    expect(r?.openHazardCount).toBe(openRestaurant);
    expect(o?.openHazardCount).toBeNull();
  });
});
