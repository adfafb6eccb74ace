import { collectionOf } from '@firegov/kit';
import type { AssessmentDoc, AssessmentModels, StoredAssessment, SubmissionBody } from './models.ts';

// How an assessment is stored: each version's body as one JSON string, and no separate copy of the
// current version. Nothing queries inside a body, and the local store (FerretDB) spends its time
// converting nested documents — a string field is nearly free — so this is what lets the push path
// keep up. Readers get the ordinary shape back from `fromStored`.

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
  const raw = await collectionOf(models.assessments).findOne({ _id: id }, { projection: { outbox: 0 } });
  return raw ? fromStored(raw) : null;
}
