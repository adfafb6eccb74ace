import type { AssessmentDoc, AssessmentModels, AssessmentVersionDoc, SubmissionBody } from './models.ts';

/**
 * How an assessment is stored: each version's body as one JSON string, and no separate copy of
 * the current version. Nothing queries inside a body, and the local store (FerretDB) spends its
 * time converting nested documents — a string field is nearly free — so this is what lets the push
 * path keep up. Readers get the ordinary shape back from `fromStored`.
 */
export interface StoredVersion extends Omit<AssessmentVersionDoc, 'body'> {
  bodyJson: string;
}

export interface StoredAssessment extends Omit<AssessmentDoc, 'current' | 'versions'> {
  versions: StoredVersion[];
}

export function toStored(doc: AssessmentDoc): StoredAssessment {
  const { current: _current, versions, ...rest } = doc;
  return { ...rest, versions: versions.map(({ body, ...v }) => ({ ...v, bodyJson: JSON.stringify(body) })) };
}

export function fromStored(raw: StoredAssessment): AssessmentDoc {
  const versions = raw.versions.map(({ bodyJson, ...v }) => ({ ...v, body: JSON.parse(bodyJson) as SubmissionBody }));
  const last = versions.at(-1);
  if (!last) throw new Error(`assessment ${raw._id} has no version`);
  return { ...raw, versions, current: last.body };
}

export async function readAssessment(models: AssessmentModels, id: string): Promise<AssessmentDoc | null> {
  const raw = await models.assessments.collection.findOne({ _id: id } as never, { projection: { outbox: 0 } });
  return raw ? fromStored(raw as unknown as StoredAssessment) : null;
}
