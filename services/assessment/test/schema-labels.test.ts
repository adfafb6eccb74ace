import { unlabelledEnumValues } from '@firegov/service';
import { assessmentSubgraphSchema } from '../src/schema/index.ts';

test('every enum value of the subgraph carries its zh-CN label', () => {
  expect(unlabelledEnumValues(assessmentSubgraphSchema())).toEqual([]);
});
