import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import type { GraphContext } from './context.ts';

export const builder = new SchemaBuilder<{
  Context: GraphContext;
  DefaultFieldNullability: false;
}>({
  plugins: [ErrorsPlugin, DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
  errors: { defaultTypes: [] },
});
