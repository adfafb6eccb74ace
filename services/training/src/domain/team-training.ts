import { idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { countField, isoDateField, strictObject } from './outreach-fields.ts';

// Village fire teams' training sessions (队伍训练): time, participants and content (R7, 61号令 Art.43 [C2]).

export const recordTeamSessionInput = strictObject({
  /** A fire team of entities (专/兼职消防队 or 微型消防站), as its fireforces topic announced it. */
  teamId: idSchema,
  date: isoDateField,
  hours: z
    .number({ error: typeError('a number of hours') })
    .positive('must be more than 0')
    .max(24, 'must be at most 24'),
  participants: countField(1000).refine((n) => n > 0, 'must be at least 1'),
  content: textField(1, 500),
});
export type RecordTeamSessionInput = z.output<typeof recordTeamSessionInput>;

export interface TeamSession {
  _id: string;
  teamId: string;
  villageCode: string;
  scope: string[];
  date: string;
  hours: number;
  participants: number;
  content: string;
  createdAt: string;
  createdBy: string;
}

/** A fire team as training knows it from entities' fireforces topic. */
export interface FireTeamRef {
  _id: string;
  villageCode: string;
  scope: string[];
  kind: string;
  memberCount: number;
}
