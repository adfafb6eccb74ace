import { connectMongo } from '@firegov/kit';
import type { Connection } from 'mongoose';
import { testEnv } from './env.ts';

export async function testMongo(dbName: string): Promise<Connection> {
  return connectMongo(testEnv.MONGO_URL, dbName);
}

export async function dropAndClose(conn: Connection): Promise<void> {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
}
