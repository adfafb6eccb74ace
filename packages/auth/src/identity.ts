import { divisionCodeSchema, isWithinDivision } from '@firegov/contracts';
import { z } from 'zod';
import { Role } from './roles.ts';

/**
 * Who is calling. `jurisdiction` is the 12-digit division code whose whole subtree the caller may
 * see: a county admin's county, a township officer's township, a grid manager's village.
 */
export const identitySchema = z
  .object({
    subject: z.string().trim().min(1, 'must not be empty').max(200),
    role: Role.schema,
    jurisdiction: divisionCodeSchema,
    name: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    agencyId: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    /**
     * The OAuth client the token was issued to (`client_id`) and the scopes it was granted (`scope`,
     * space separated in the token). Every token of the identity service names one: the console for
     * people, the platform client itself for client credentials (see isPlatformClient in scopes.ts).
     */
    client: z
      .object({
        id: z.string().trim().min(1, 'must not be empty').max(200),
        scopes: z.array(z.string().min(1).max(100)).max(50),
      })
      .optional(),
    /**
     * A platform client limited to its trusted documents (the token's `trusted_documents: true`):
     * the gateway runs only its registered documents, and a subgraph serves it only through the
     * gateway (trusted-documents.ts).
     */
    trustedDocumentsOnly: z.literal(true).optional(),
  })
  .superRefine((identity, ctx) => {
    // An agency's rights are scoped to the agency, so an agency identity without one is unusable.
    if (identity.role === 'agency' && identity.agencyId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'required for role agency' });
    }
  });

export type Identity = z.infer<typeof identitySchema>;

// Grids subdivide a village and are named after it (`500230213201-G01`), so the village code is
// what places a grid in the division tree.
const SCOPED_CODE = /^(\d{12})(?:-[A-Za-z0-9]{1,16})?$/;

/** True when `code` (a division code or a grid code) lies in the identity's jurisdiction. */
export function inScope(identity: Pick<Identity, 'jurisdiction'>, code: string): boolean {
  const division = SCOPED_CODE.exec(code.trim())?.[1];
  if (division === undefined) return false;
  return isWithinDivision(division, identity.jurisdiction);
}
