import type { Identity } from '@firegov/auth';
import { newOutbox } from '@firegov/events';
import { collectionOf, isDuplicateKeyError, notFound, validationFailed } from '@firegov/kit';
import type { Page } from '@firegov/service';
import { currentAt, newCertificate, type Certificate } from '../domain/certificates.ts';
import type { Attempt, Exam } from '../domain/exams.ts';
import { certificateIssued } from '../events/outbound.ts';
import { NO_OUTBOX, pageIn, type LearningDeps } from './learning-access.ts';

/**
 * The only writer of certificates (培训合格证书). Issued by the exam service on a pass, never by a
 * caller; read by people in the jurisdiction where the attempt was taken (and above), and in-process
 * by the compliance rules through `validFor`.
 */
export function certificateService(deps: LearningDeps) {
  const certs = collectionOf(deps.models.certificates);

  return {
    /**
     * The certificate a passed attempt earns, superseding the person's earlier ones for the course.
     * Its id derives from the attempt, so issuing twice (a retried submit) stores and announces one.
     */
    async issue(attempt: Attempt, exam: Exam): Promise<Certificate> {
      const earlier = await certs
        .find(
          { personId: attempt.personId, courseId: exam.courseId, supersededBy: { $exists: false } },
          { projection: { _id: 1, issuedAt: 1 } },
        )
        .toArray();
      const doc = newCertificate(
        attempt,
        exam,
        earlier.filter((c) => c.issuedAt <= (attempt.submittedAt ?? '')).map((c) => c._id),
      );
      const supersedes = doc.supersedes.filter((id) => id !== doc._id);
      const cert = { ...doc, supersedes };
      try {
        const stored = { ...cert, ...newOutbox([certificateIssued(cert)]) };
        await certs.insertOne(stored);
        deps.relay.kickInserted(deps.models.certificates.collection, [stored]);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      // After the insert, so a crash in between leaves the old certificate current, never none.
      if (supersedes.length > 0) {
        await certs.updateMany(
          { _id: { $in: supersedes }, supersededBy: { $exists: false } },
          { $set: { supersededBy: cert._id } },
        );
      }
      return cert;
    },

    async byId(who: Identity, id: string): Promise<Certificate> {
      const doc = await certs.findOne({ _id: id }, { projection: NO_OUTBOX });
      if (!doc || !doc.scope.includes(who.jurisdiction)) throw notFound('certificate');
      return doc;
    },

    /** A person's certificates, superseded ones included, that were issued inside the caller's jurisdiction. */
    forPerson(who: Identity, personId: string, first?: number | null, after?: string | null): Promise<Page<Certificate>> {
      return pageIn(certs, { personId, scope: who.jurisdiction }, first, after, NO_OUTBOX);
    },

    /** Current certificates whose validity ends within `days` days (复训提醒). */
    expiring(who: Identity, days: number, first?: number | null, after?: string | null): Promise<Page<Certificate>> {
      if (!Number.isInteger(days) || days < 1 || days > 366) {
        throw validationFailed([{ path: '$.withinDays', reason: 'must be a whole number of days from 1 to 366' }]);
      }
      const now = deps.now();
      const filter = {
        scope: who.jurisdiction,
        supersededBy: { $exists: false },
        validUntil: { $gte: now.toISOString(), $lte: new Date(now.getTime() + days * 86_400_000).toISOString() },
      };
      return pageIn(certs, filter, first, after, NO_OUTBOX);
    },

    /**
     * For the compliance rules, in-process: the certificate that counts for each of these people
     * and courses at `at` (latest issued by then, still valid then). Unscoped: the caller has
     * already decided the people are its to see. No `courseIds` means every course.
     */
    async validFor(personIds: readonly string[], courseIds: readonly string[] | undefined, at: Date): Promise<Certificate[]> {
      if (personIds.length === 0) return [];
      const filter = {
        personId: { $in: [...personIds] },
        issuedAt: { $lte: at.toISOString() },
        ...(courseIds ? { courseId: { $in: [...courseIds] } } : {}),
      };
      return currentAt(await certs.find(filter, { projection: NO_OUTBOX }).toArray(), at);
    },
  };
}

export type CertificateService = ReturnType<typeof certificateService>;
