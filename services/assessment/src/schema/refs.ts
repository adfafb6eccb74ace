import { addSharedTypes, createSubgraphBuilder } from '@firegov/service';
import type { AgencyDoc, AssessmentDoc, ClientDoc, CreditEventDoc } from '../store/models.ts';
import type { GraphContext } from './context.ts';

export const builder = createSubgraphBuilder<GraphContext>();

export const { ErrorDetailRef, PageInfoRef } = addSharedTypes(builder);

// Object types that fields of several files return. Each is implemented in its aggregate's file
// (named in the comment); declaring them here keeps the files from importing one another.

/** agencies.ts */
export const AgencyRef = builder.objectRef<AgencyDoc>('Agency');
/** api-clients.ts */
export const AgencyApiClientRef = builder.objectRef<ClientDoc>('AgencyApiClient');
/** credit.ts */
export const AgencyCreditRef = builder.objectRef<{
  score: number;
  level: string;
  factors: Array<{ kind: string; count: number; points: number }>;
  suspendRecommended: boolean;
}>('AgencyCredit');
/** credit.ts */
export const CreditEventRef = builder.objectRef<CreditEventDoc>('CreditEvent');
/** assessments.ts */
export const AssessmentRef = builder.objectRef<AssessmentDoc>('Assessment');
/** audits.ts */
export const AssessmentAuditRef = builder.objectRef<NonNullable<AssessmentDoc['audit']>>('AssessmentAudit');
