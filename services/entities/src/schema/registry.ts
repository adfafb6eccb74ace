import { maskMobile, maskName, maskResidentId } from '@firegov/contracts';
import { AppError } from '@firegov/kit';
import { FireTeamKind, PreventionDevice, Vulnerability } from '../domain/enums.ts';
import { mayUnmask } from '../service/access.ts';
import type { DepartmentDoc, FireTeamDoc, HouseholdDoc } from '../store/models.ts';
import { builder } from './builder.ts';
import { FireTeamKindEnum, PageInfoRef } from './common.ts';
import { who, type GraphContext } from './context.ts';
import { dropNulls } from '@firegov/service';

const maskPhone = (ctx: GraphContext, phone: string | undefined) =>
  phone ? (mayUnmask(who(ctx)) ? phone : maskMobile(phone)) : null;

interface TreeNode {
  code: string;
  name: string;
  level: string;
  gridManagers?: Array<{ name: string; phone: string }>;
  children: TreeNode[];
}

const GridManagerRef = builder.objectRef<{ name: string; phone: string }>('GridManager').implement({
  description: '网格员',
  fields: (t) => ({ name: t.exposeString('name'), phone: t.string({ resolve: (g, _a, ctx) => maskPhone(ctx, g.phone) ?? '' }) }),
});

const JurisdictionNodeRef = builder.objectRef<TreeNode>('JurisdictionNode');
JurisdictionNodeRef.implement({
  description: 'county → township → village/community → grid',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    level: t.exposeString('level'),
    gridManagers: t.field({ type: [GridManagerRef], resolve: (n) => n.gridManagers ?? [] }),
    children: t.field({ type: [JurisdictionNodeRef], resolve: (n) => n.children }),
  }),
});

const enumValues = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, { value: v }]));
const VulnerabilityEnum = builder.enumType('Vulnerability', {
  description: '空巢老人 / 留守儿童 / 老弱病残',
  values: enumValues(Vulnerability.values),
});
const DeviceEnum = builder.enumType('PreventionDevice', { values: enumValues(PreventionDevice.values) });

const MemberRef = builder.objectRef<HouseholdDoc['members'][number]>('HouseholdMember').implement({
  fields: (t) => ({
    name: t.string({ resolve: (m, _a, ctx) => (mayUnmask(who(ctx)) ? m.name : maskName(m.name)) }),
    phone: t.string({ nullable: true, resolve: (m, _a, ctx) => maskPhone(ctx, m.phone) }),
    idNumber: t.string({
      nullable: true,
      resolve: (m, _a, ctx) => (m.idNumber ? (mayUnmask(who(ctx)) ? m.idNumber : maskResidentId(m.idNumber)) : null),
    }),
    vulnerabilities: t.field({ type: [VulnerabilityEnum], resolve: (m) => m.vulnerabilities as never }),
  }),
});
const DeviceRef = builder.objectRef<HouseholdDoc['devices'][number]>('InstalledDevice').implement({
  fields: (t) => ({
    kind: t.field({ type: DeviceEnum, resolve: (d) => d.kind as never }),
    count: t.exposeInt('count'),
    installedOn: t.exposeString('installedOn'),
  }),
});
const HelperRef = builder.objectRef<{ name: string; phone: string }>('Helper').implement({
  description: '一对一帮扶',
  fields: (t) => ({ name: t.exposeString('name'), phone: t.string({ resolve: (h, _a, ctx) => maskPhone(ctx, h.phone) ?? '' }) }),
});
const HouseholdRef = builder.objectRef<HouseholdDoc>('Household').implement({
  fields: (t) => ({
    id: t.exposeID('_id'),
    villageCode: t.exposeString('villageCode'),
    gridCode: t.exposeString('gridCode', { nullable: true }),
    address: t.exposeString('address'),
    members: t.field({ type: [MemberRef], resolve: (h) => h.members }),
    devices: t.field({ type: [DeviceRef], resolve: (h) => h.devices }),
    helper: t.field({ type: HelperRef, nullable: true, resolve: (h) => h.helper ?? null }),
    demo: t.exposeBoolean('demo'),
  }),
});
const HouseholdConnectionRef = builder
  .objectRef<{ nodes: HouseholdDoc[]; hasNextPage: boolean; endCursor: string | null; totalCount: () => Promise<number> }>(
    'HouseholdConnection',
  )
  .implement({
    fields: (t) => ({
      totalCount: t.int({ resolve: (p) => p.totalCount() }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p }),
      nodes: t.field({ type: [HouseholdRef], resolve: (p) => p.nodes }),
    }),
  });

const TeamMemberRef = builder.objectRef<FireTeamDoc['members'][number]>('FireTeamMember').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.exposeString('role', { nullable: true }),
    phone: t.string({ resolve: (m, _a, ctx) => maskPhone(ctx, m.phone) ?? '' }),
  }),
});
const EquipmentRef = builder.objectRef<FireTeamDoc['equipment'][number]>('Equipment').implement({
  fields: (t) => ({ item: t.exposeString('item'), quantity: t.exposeInt('quantity') }),
});
const FireTeamRef = builder.objectRef<FireTeamDoc>('FireTeam').implement({
  description: '专/兼职消防队 or 微型消防站',
  fields: (t) => ({
    id: t.exposeID('_id'),
    villageCode: t.exposeString('villageCode'),
    kind: t.field({ type: FireTeamKindEnum, resolve: (f) => f.kind as never }),
    kindLabel: t.string({ resolve: (f) => FireTeamKind.label(f.kind as never) }),
    name: t.exposeString('name'),
    memberCount: t.int({ resolve: (f) => f.members.length }),
    members: t.field({ type: [TeamMemberRef], resolve: (f) => f.members }),
    equipment: t.field({ type: [EquipmentRef], resolve: (f) => f.equipment }),
  }),
});

interface ReadinessRow {
  villageCode: string;
  villageName: string;
  memberCount: number;
  required: number;
  shortBy: number;
  hasMicroStation: boolean;
  ready: boolean;
  gaps: string[];
}
const ReadinessRef = builder.objectRef<ReadinessRow>('FireForceReadiness').implement({
  description: 'The seed asks each village for a 20–30 person team and a micro fire station.',
  fields: (t) => ({
    villageCode: t.exposeString('villageCode'),
    villageName: t.exposeString('villageName'),
    memberCount: t.exposeInt('memberCount'),
    required: t.exposeInt('required'),
    shortBy: t.exposeInt('shortBy'),
    hasMicroStation: t.exposeBoolean('hasMicroStation'),
    ready: t.exposeBoolean('ready'),
    gaps: t.exposeStringList('gaps'),
  }),
});

const ListItemRef = builder.objectRef<DepartmentDoc['tasks'][number]>('ListItem').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    title: t.exposeString('title'),
    owner: t.exposeString('owner'),
    deadline: t.exposeString('deadline', { nullable: true }),
    status: t.exposeString('status'),
  }),
});
const DepartmentRef = builder.objectRef<DepartmentDoc>('Department').implement({
  fields: (t) => ({
    code: t.exposeString('_id'),
    name: t.exposeString('name'),
    jurisdictionCode: t.exposeString('jurisdictionCode'),
    responsibilities: t.field({ type: [ListItemRef], description: '责任清单', resolve: (d) => d.responsibilities }),
    tasks: t.field({ type: [ListItemRef], description: '任务清单', resolve: (d) => d.tasks }),
  }),
});

builder.queryFields((t) => ({
  jurisdictionTree: t.field({
    type: [JurisdictionNodeRef],
    description: 'The tree under `code` (default: your jurisdiction).',
    args: { code: t.arg.string({ required: false }) },
    resolve: (_r, { code }, ctx) => ctx.services.registry.jurisdictionTree(who(ctx), code) as Promise<TreeNode[]>,
  }),
  households: t.field({
    type: HouseholdConnectionRef,
    args: {
      jurisdictionCode: t.arg.string({ required: false }),
      first: t.arg.int({ required: false }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_r, a, ctx) => ctx.services.registry.households(who(ctx), a.jurisdictionCode, a.first, a.after),
  }),
  fireTeams: t.field({
    type: [FireTeamRef],
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => ctx.services.registry.fireTeams(who(ctx), a.jurisdictionCode),
  }),
  fireForceReadiness: t.field({
    type: [ReadinessRef],
    args: { jurisdictionCode: t.arg.string({ required: false }), onlyGaps: t.arg.boolean({ required: false }) },
    resolve: (_r, a, ctx) =>
      ctx.services.registry.readiness(who(ctx), a.jurisdictionCode, a.onlyGaps ?? false) as Promise<ReadinessRow[]>,
  }),
  departments: t.field({
    type: [DepartmentRef],
    args: { jurisdictionCode: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => ctx.services.registry.departments(who(ctx), a.jurisdictionCode),
  }),
}));

const MemberInput = builder.inputType('HouseholdMemberInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    idNumber: t.string({ required: false }),
    phone: t.string({ required: false }),
    vulnerabilities: t.field({ type: [VulnerabilityEnum], required: true }),
  }),
});
const DeviceInput = builder.inputType('InstalledDeviceInput', {
  fields: (t) => ({
    kind: t.field({ type: DeviceEnum, required: true }),
    count: t.int({ required: true }),
    installedOn: t.string({ required: true }),
  }),
});
const ContactInput = builder.inputType('ContactInput', {
  fields: (t) => ({ name: t.string({ required: true }), phone: t.string({ required: true }) }),
});
const TeamMemberInput = builder.inputType('FireTeamMemberInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    role: t.string({ required: false }),
  }),
});
const EquipmentInput = builder.inputType('EquipmentInput', {
  fields: (t) => ({ item: t.string({ required: true }), quantity: t.int({ required: true }) }),
});

const ListNameEnum = builder.enumType('DepartmentList', {
  description: 'responsibilities = 责任清单, tasks = 任务清单',
  values: { responsibilities: { value: 'responsibilities' }, tasks: { value: 'tasks' } } as const,
});
const ListItemStatusEnum = builder.enumType('ListItemStatus', {
  values: {
    pending: { value: 'pending' },
    in_progress: { value: 'in_progress' },
    done: { value: 'done' },
    overdue: { value: 'overdue' },
  } as const,
});
const ListItemInput = builder.inputType('ListItemInput', {
  fields: (t) => ({
    id: t.string({ required: true }),
    title: t.string({ required: true }),
    owner: t.string({ required: true }),
    deadline: t.string({ required: false }),
    status: t.field({ type: ListItemStatusEnum, required: false }),
  }),
});
const JurisdictionRef = builder
  .objectRef<{ _id: string; name: string; level: string; parentCode?: string }>('Jurisdiction')
  .implement({
    fields: (t) => ({
      code: t.exposeString('_id'),
      name: t.exposeString('name'),
      level: t.exposeString('level'),
      parentCode: t.exposeString('parentCode', { nullable: true }),
    }),
  });

builder.mutationFields((t) => ({
  registerJurisdiction: t.field({
    type: JurisdictionRef,
    description:
      'County administrators: a township, village/community or grid (with its grid managers) under an existing parent.',
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterJurisdictionInput', {
          fields: (f) => ({
            code: f.string({ required: true }),
            name: f.string({ required: true }),
            level: f.string({ required: true }),
            parentCode: f.string({ required: false }),
            gridManagers: f.field({ type: [ContactInput], required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerJurisdiction(who(ctx), dropNulls(input)),
  }),
  registerDepartment: t.field({
    type: DepartmentRef,
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterDepartmentInput', {
          fields: (f) => ({
            code: f.string({ required: true }),
            name: f.string({ required: true }),
            jurisdictionCode: f.string({ required: true }),
            responsibilities: f.field({ type: [ListItemInput], required: true }),
            tasks: f.field({ type: [ListItemInput], required: true }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerDepartment(who(ctx), dropNulls(input)),
  }),
  setListItemStatus: t.field({
    type: DepartmentRef,
    errors: { types: [AppError] },
    args: {
      departmentCode: t.arg.string({ required: true }),
      list: t.arg({ type: ListNameEnum, required: true }),
      itemId: t.arg.string({ required: true }),
      status: t.arg({ type: ListItemStatusEnum, required: true }),
    },
    resolve: (_r, args, ctx) => ctx.services.registry.setListItemStatus(who(ctx), args),
  }),
  registerHousehold: t.field({
    type: HouseholdRef,
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterHouseholdInput', {
          fields: (f) => ({
            jurisdictionCode: f.string({ required: true }),
            gridCode: f.string({ required: false }),
            address: f.string({ required: true }),
            members: f.field({ type: [MemberInput], required: true }),
            devices: f.field({ type: [DeviceInput], required: true }),
            helper: f.field({ type: ContactInput, required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerHousehold(who(ctx), dropNulls(input)),
  }),
  registerFireTeam: t.field({
    type: FireTeamRef,
    errors: { types: [AppError] },
    args: {
      input: t.arg({
        type: builder.inputType('RegisterFireTeamInput', {
          fields: (f) => ({
            jurisdictionCode: f.string({ required: true }),
            kind: f.field({ type: FireTeamKindEnum, required: true }),
            name: f.string({ required: true }),
            members: f.field({ type: [TeamMemberInput], required: true }),
            equipment: f.field({ type: [EquipmentInput], required: true }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_r, { input }, ctx) => ctx.services.registry.registerFireTeam(who(ctx), dropNulls(input)),
  }),
}));
