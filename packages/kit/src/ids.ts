import { randomBytes } from 'node:crypto';

/**
 * Time-ordered ids (`u_` + base36 milliseconds + random): sorting by _id is creation order, so the
 * primary index alone serves cursor pagination.
 */
export function newId(prefix: string, now = Date.now()): string {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}
