import { hashSecret } from '@firegov/auth';
import { collectionOf } from '@firegov/kit';
import { DEMO_USERS, type User } from '../domain/users.ts';
import type { IdentityModels } from '../store/models.ts';

/** Writes the demo county's people (synthetic, marked demo) with `password`, hashed; again on every start. */
export async function loadDemoUsers(models: IdentityModels, password: string, now: () => Date): Promise<User[]> {
  const users = collectionOf(models.users);
  const written: User[] = [];
  for (const u of DEMO_USERS) {
    const doc: User = { ...u, passwordHash: hashSecret(password), demo: true, createdAt: now().toISOString() };
    const { _id, ...fields } = doc;
    await users.updateOne({ _id }, { $set: fields }, { upsert: true });
    written.push(doc);
  }
  return written;
}
