import { invalidInput } from '@firegov/contracts';
import { createHash } from 'node:crypto';
import type { ErrorDetail } from '@firegov/contracts';

// Audit sampling (抽查): which received assessments a fire inspector re-inspects. The draw is a hash,
// not Math.random, so a replayed event or a second replica draws the same answer and the choice can
// be re-derived in a dispute; the salt is a server secret, so agencies cannot tell in advance
// which of their assessments will be checked (and cut corners on the others).

const UINT32_RANGE = 2 ** 32;

function check(share: number, salt: string): void {
  const problems: ErrorDetail[] = [];
  if (!Number.isFinite(share) || share < 0 || share > 1) {
    problems.push({ path: '$.share', reason: `must be a fraction between 0 and 1, got ${share}` });
  }
  // Without a salt anyone could compute the draw from the assessment id.
  if (salt === '') problems.push({ path: '$.salt', reason: 'must not be empty: the draw would be predictable' });
  if (problems.length > 0) throw invalidInput('cannot draw the audit sample', problems);
}

/** The assessment's draw in [0, 1): the first 8 hex digits of sha256(salt + id) as a uint32 over 2^32. */
export function sampleDraw(assessmentId: string, salt: string): number {
  const digest = createHash('sha256')
    .update(salt + assessmentId, 'utf8')
    .digest('hex');
  return Number.parseInt(digest.slice(0, 8), 16) / UINT32_RANGE;
}

/** True when the assessment is in the audit sample of the given share (0 none, 1 all). */
export function shouldSample(assessmentId: string, share: number, salt: string): boolean {
  check(share, salt);
  return sampleDraw(assessmentId, salt) < share;
}
