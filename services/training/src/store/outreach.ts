import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Drill } from '../domain/drills.ts';
import type { PublicityEvent } from '../domain/publicity.ts';
import type { Survey, SurveyResponse } from '../domain/surveys.ts';
import type { FireTeamRef, TeamSession } from '../domain/team-training.ts';
import type { HouseholdRef, Visit } from '../domain/visits.ts';
import type { Volunteer } from '../domain/volunteers.ts';

// Outreach records: publicity (五进), door-knocking visits, literacy surveys, volunteers, drills and
// village fire-team training, plus the projections of entities' households and fire teams. Services
// write through the driver (collectionOf); these schemas declare the stored shape and the indexes.

export type DrillDoc = Drill & OutboxFields;
export type TeamSessionDoc = TeamSession & OutboxFields;
/** Projections remember which entities events they applied. */
export type HouseholdRefDoc = HouseholdRef & { appliedEventIds?: string[] };
export type FireTeamRefDoc = FireTeamRef & { appliedEventIds?: string[] };

const opts = { versionKey: false, minimize: false } as const;
const Mixed = Schema.Types.Mixed;

const publicitySchema = new Schema<PublicityEvent>(
  {
    _id: String,
    kind: String,
    villageCode: String,
    unitId: String,
    unitName: String,
    scope: [String],
    organiser: Mixed,
    date: String,
    format: String,
    audience: String,
    attendance: Number,
    materials: [Mixed],
    note: String,
    createdAt: String,
    createdBy: String,
  },
  opts,
);
// Coverage reads a jurisdiction's events over a period.
publicitySchema.index({ scope: 1, date: 1 });

const householdSchema = new Schema<HouseholdRefDoc>(
  {
    _id: String,
    villageCode: String,
    gridCode: String,
    scope: [String],
    memberCount: Number,
    vulnerabilities: [String],
    demo: Boolean,
    lastVisitOn: String,
    appliedEventIds: [String],
  },
  opts,
);
householdSchema.index({ scope: 1, _id: 1 });

const visitSchema = new Schema<Visit>(
  {
    _id: String,
    householdId: String,
    villageCode: String,
    gridCode: String,
    scope: [String],
    vulnerable: Boolean,
    vulnerabilities: [String],
    visitor: Mixed,
    date: String,
    checks: [Mixed],
    findings: [Mixed],
    taught: Boolean,
    revisitOn: String,
    createdAt: String,
    createdBy: String,
  },
  opts,
);
visitSchema.index({ scope: 1, date: 1 });
visitSchema.index({ householdId: 1, date: -1 });

const surveySchema = new Schema<Survey>(
  {
    _id: String,
    year: Number,
    title: String,
    jurisdictionCode: String,
    scope: [String],
    questions: [Mixed],
    passScore: Number,
    createdAt: String,
    createdBy: String,
  },
  opts,
);
surveySchema.index({ scope: 1, year: 1 });

const responseSchema = new Schema<SurveyResponse>(
  {
    _id: String,
    surveyId: String,
    year: Number,
    villageCode: String,
    scope: [String],
    channel: String,
    ageBand: String,
    answers: [Mixed],
    score: Number,
    passed: Boolean,
    createdAt: String,
    createdBy: String,
  },
  opts,
);
responseSchema.index({ surveyId: 1, scope: 1 });

const volunteerSchema = new Schema<Volunteer>(
  {
    _id: String,
    version: Number,
    name: String,
    phone: String,
    villageCode: String,
    scope: [String],
    personId: String,
    registeredBy: String,
    registeredAt: String,
    activities: [Mixed],
    recognitions: [Mixed],
  },
  opts,
);
volunteerSchema.index({ scope: 1, _id: 1 });

const drillSchema = new Schema<DrillDoc>(
  {
    _id: String,
    unitId: String,
    unitName: String,
    villageCode: String,
    scope: [String],
    scenario: String,
    date: String,
    place: String,
    departments: [String],
    participants: Number,
    evacuationSeconds: Number,
    findings: [Mixed],
    createdAt: String,
    createdBy: String,
    ...outboxSchemaFields,
  },
  opts,
);
drillSchema.index({ scope: 1, date: 1 });
drillSchema.index({ unitId: 1, date: -1 });
drillSchema.index({ outboxPending: 1 });

const fireTeamSchema = new Schema<FireTeamRefDoc>(
  { _id: String, villageCode: String, scope: [String], kind: String, memberCount: Number, appliedEventIds: [String] },
  opts,
);

const teamSessionSchema = new Schema<TeamSessionDoc>(
  {
    _id: String,
    teamId: String,
    villageCode: String,
    scope: [String],
    date: String,
    hours: Number,
    participants: Number,
    content: String,
    createdAt: String,
    createdBy: String,
    ...outboxSchemaFields,
  },
  opts,
);
teamSessionSchema.index({ scope: 1, date: 1 });
teamSessionSchema.index({ outboxPending: 1 });

export interface OutreachModels {
  publicityEvents: Model<PublicityEvent>;
  households: Model<HouseholdRefDoc>;
  visits: Model<Visit>;
  surveys: Model<Survey>;
  surveyResponses: Model<SurveyResponse>;
  volunteers: Model<Volunteer>;
  drills: Model<DrillDoc>;
  fireTeams: Model<FireTeamRefDoc>;
  teamSessions: Model<TeamSessionDoc>;
}

export function outreachModels(conn: Connection): OutreachModels {
  return {
    publicityEvents: conn.model<PublicityEvent>('PublicityEvent', publicitySchema, 'publicity_events'),
    households: conn.model<HouseholdRefDoc>('HouseholdRef', householdSchema, 'households'),
    visits: conn.model<Visit>('Visit', visitSchema, 'visits'),
    surveys: conn.model<Survey>('Survey', surveySchema, 'surveys'),
    surveyResponses: conn.model<SurveyResponse>('SurveyResponse', responseSchema, 'survey_responses'),
    volunteers: conn.model<Volunteer>('Volunteer', volunteerSchema, 'volunteers'),
    drills: conn.model<DrillDoc>('Drill', drillSchema, 'drills'),
    fireTeams: conn.model<FireTeamRefDoc>('FireTeamRef', fireTeamSchema, 'fire_teams'),
    teamSessions: conn.model<TeamSessionDoc>('TeamSession', teamSessionSchema, 'team_sessions'),
  };
}

/** Outreach collections whose documents carry an outbox. */
export const outreachOutboxCollections = (m: OutreachModels): Array<Collection<Document>> => [
  m.drills.collection,
  m.teamSessions.collection,
];
