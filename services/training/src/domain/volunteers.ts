import { defineEnum, invalidTransition, mobileSchema, notPermitted, stringFirst, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { isoDateField, strictObject, villageCodeField, type Period } from './outreach-fields.ts';

// Fire-safety volunteers (中国消防志愿者行动 [C2]; records per 民政部令67号 [C]: service, hours, awards).

export const ActivityKind = defineEnum({
  publicity: { zh: '宣传', en: 'Publicity' },
  door_knocking: { zh: '敲门入户', en: 'Door knocking' },
  patrol: { zh: '防火巡查', en: 'Fire patrol' },
  drill: { zh: '演练', en: 'Drill' },
  firefighting: { zh: '协助灭火', en: 'Firefighting support' },
  other: { zh: '其他', en: 'Other' },
});
export type ActivityKind = (typeof ActivityKind.values)[number];

export const registerVolunteerInput = strictObject({
  name: textField(1, 50),
  phone: stringFirst(mobileSchema),
  villageCode: villageCodeField,
  personId: z
    .string({ error: typeError('an id string') })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id')
    .optional(),
});
export type RegisterVolunteerInput = z.output<typeof registerVolunteerInput>;

export const recordActivityInput = strictObject({
  volunteerId: z.string({ error: typeError('an id string') }).min(1, 'must not be empty'),
  kind: ActivityKind.schema,
  date: isoDateField,
  hours: z
    .number({ error: typeError('a number of hours') })
    .positive('must be more than 0')
    .max(24, 'must be at most 24 for one day'),
  description: textField(1, 200).optional(),
});
export type RecordActivityInput = z.output<typeof recordActivityInput>;

export const confirmActivityInput = strictObject({
  volunteerId: z.string({ error: typeError('an id string') }).min(1, 'must not be empty'),
  activityId: z.string({ error: typeError('an id string') }).min(1, 'must not be empty'),
  /** The hours the organiser confirms; at most the hours claimed. Absent: as claimed. */
  hours: z
    .number({ error: typeError('a number of hours') })
    .min(0, 'must not be negative')
    .max(24, 'must be at most 24')
    .optional(),
  reject: z.boolean({ error: typeError('true or false') }).default(false),
});
export type ConfirmActivityInput = z.output<typeof confirmActivityInput>;

export const recogniseInput = strictObject({
  volunteerId: z.string({ error: typeError('an id string') }).min(1, 'must not be empty'),
  title: textField(1, 100),
  date: isoDateField,
});

export type ActivityStatus = 'claimed' | 'confirmed' | 'rejected';

export interface VolunteerActivity {
  id: string;
  kind: ActivityKind;
  date: string;
  hoursClaimed: number;
  description?: string;
  status: ActivityStatus;
  recordedBy: string;
  confirmedHours?: number;
  confirmedBy?: string;
  confirmedAt?: string;
}

export interface Volunteer {
  _id: string;
  version: number;
  name: string;
  phone: string;
  villageCode: string;
  scope: string[];
  personId?: string;
  registeredBy: string;
  registeredAt: string;
  activities: VolunteerActivity[];
  recognitions: Array<{ title: string; date: string; by: string }>;
}

export const MAX_ACTIVITIES = 2000;

/**
 * Confirmation is the organiser's separate step: a claimed activity only, by someone other than
 * whoever recorded it or registered the volunteer, for at most the hours claimed.
 */
export function confirmActivity(v: Volunteer, input: ConfirmActivityInput, by: string, at: Date): VolunteerActivity {
  const activity = v.activities.find((a) => a.id === input.activityId);
  if (!activity) throw notPermitted('no such activity of this volunteer', '$.activityId', 'is not an activity of this volunteer');
  if (activity.status !== 'claimed') throw invalidTransition(input.reject ? 'reject' : 'confirm', activity.status, ['claimed']);
  if (by === activity.recordedBy || by === v.registeredBy)
    throw notPermitted(
      'hours are confirmed by someone other than whoever recorded them',
      '$.activityId',
      'was recorded or registered by you',
    );
  const hours = input.hours ?? activity.hoursClaimed;
  if (hours > activity.hoursClaimed)
    throw notPermitted('cannot confirm more hours than claimed', '$.hours', `must be at most ${activity.hoursClaimed}`);
  return input.reject
    ? { ...activity, status: 'rejected', confirmedBy: by, confirmedAt: at.toISOString() }
    : { ...activity, status: 'confirmed', confirmedHours: hours, confirmedBy: by, confirmedAt: at.toISOString() };
}

/**
 * What the best-volunteer ranking weighs. "最美消防志愿者" criteria have no source [U]: the weights
 * are the county's policy, published with every ranking so a score can be checked by hand.
 */
export interface RankingWeights {
  perConfirmedHour: number;
  perActivity: number;
  perRecognition: number;
  confidence: 'U';
  source: string;
}
export const DEFAULT_RANKING_WEIGHTS: RankingWeights = {
  perConfirmedHour: 1,
  perActivity: 2,
  perRecognition: 10,
  confidence: 'U',
  source: '最美消防志愿者 selection criteria not found; county policy',
};

export interface RankingFactor {
  code: 'confirmed_hours' | 'activities' | 'recognitions';
  label: string;
  quantity: number;
  weight: number;
  points: number;
}

export interface RankingRow {
  volunteerId: string;
  name: string;
  villageCode: string;
  score: number;
  /** The score is the sum of these points, each quantity × weight. */
  factors: RankingFactor[];
}

const within = (date: string, p: Period) => date >= p.from && date <= p.to;

/** Confirmed work in the period, ranked by score (then hours, then id); ties keep a stable order. */
export function rankVolunteers(
  volunteers: readonly Volunteer[],
  period: Period,
  w: RankingWeights = DEFAULT_RANKING_WEIGHTS,
): RankingRow[] {
  const round = (n: number) => Math.round(n * 100) / 100;
  return volunteers
    .map((v) => {
      const done = v.activities.filter((a) => a.status === 'confirmed' && within(a.date, period));
      const hours = round(done.reduce((n, a) => n + (a.confirmedHours ?? 0), 0));
      const recognitions = v.recognitions.filter((r) => within(r.date, period)).length;
      const factors: RankingFactor[] = [
        {
          code: 'confirmed_hours',
          label: '确认服务时长',
          quantity: hours,
          weight: w.perConfirmedHour,
          points: round(hours * w.perConfirmedHour),
        },
        {
          code: 'activities',
          label: '确认活动次数',
          quantity: done.length,
          weight: w.perActivity,
          points: round(done.length * w.perActivity),
        },
        {
          code: 'recognitions',
          label: '表彰',
          quantity: recognitions,
          weight: w.perRecognition,
          points: round(recognitions * w.perRecognition),
        },
      ];
      return {
        volunteerId: v._id,
        name: v.name,
        villageCode: v.villageCode,
        score: round(factors.reduce((n, f) => n + f.points, 0)),
        factors,
      };
    })
    .filter((r) => r.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score || b.factors[0]!.quantity - a.factors[0]!.quantity || a.volunteerId.localeCompare(b.volunteerId),
    );
}
