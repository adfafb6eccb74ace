import fs from 'node:fs';
import path from 'node:path';
import { submissionSchema } from '../../src/domain/inputs.ts';

test('the example assessment shipped for agencies is a valid submission', () => {
  const file = path.join(__dirname, '..', '..', 'examples', 'assessment.example.json');
  const parsed = submissionSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  expect(parsed.error?.issues ?? []).toEqual([]);
});
