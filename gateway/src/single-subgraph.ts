import {
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  Kind,
  OperationTypeNode,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

// Which one subgraph can answer an operation whole (pure: the supergraph's join directives and the
// document, no I/O). Most of what county platforms ask touches one service only (a unit list, the
// hazard queue, an assessment); for those the planner's delegation (re-building the query, walking
// the answer through the stitched schema) is pure overhead, a large share of the gateway's CPU per
// request. The gateway sends such an operation to that subgraph as it is (forward.ts).

/** What each subgraph resolves: type → field → the graphs that resolve it without another subgraph. */
export interface SupergraphOwnership {
  /** join__Graph enum value → the subgraph's name (as in SUBGRAPHS). */
  graphs: ReadonlyMap<string, string>;
  /** Types each graph defines (join__type); interface objects are left out (another graph holds their fields). */
  types: ReadonlyMap<string, ReadonlySet<string>>;
  fields: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

const argument = (d: ConstDirectiveNode, name: string) => d.arguments?.find((a) => a.name.value === name)?.value;
const enumArg = (d: ConstDirectiveNode, name: string) => {
  const v = argument(d, name);
  return v?.kind === Kind.ENUM ? v.value : undefined;
};
const stringArg = (d: ConstDirectiveNode, name: string) => {
  const v = argument(d, name);
  return v?.kind === Kind.STRING ? v.value : undefined;
};
const isTrue = (d: ConstDirectiveNode, name: string) => {
  const v = argument(d, name);
  return v?.kind === Kind.BOOLEAN && v.value;
};

/** Reads the join directives of a supergraph SDL (join/v0.3, as @theguild/federation-composition writes it). */
export function supergraphOwnership(supergraphSdl: string): SupergraphOwnership {
  const doc = parse(supergraphSdl);
  const graphs = new Map<string, string>();
  const types = new Map<string, Set<string>>();
  const fields = new Map<string, Map<string, Set<string>>>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'join__Graph') {
      for (const v of def.values ?? []) {
        const d = v.directives?.find((x) => x.name.value === 'join__graph');
        const name = d && stringArg(d, 'name');
        if (name) graphs.set(v.name.value, name);
      }
      continue;
    }
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      def.kind !== Kind.UNION_TYPE_DEFINITION &&
      def.kind !== Kind.OBJECT_TYPE_EXTENSION
    )
      continue;
    const typeGraphs = new Set<string>();
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'join__type' || isTrue(d, 'isInterfaceObject')) continue;
      const g = enumArg(d, 'graph');
      if (g) typeGraphs.add(g);
    }
    types.set(def.name.value, typeGraphs);
    if (def.kind === Kind.UNION_TYPE_DEFINITION) continue;
    const byField = new Map<string, Set<string>>();
    for (const f of def.fields ?? []) {
      const joins = (f.directives ?? []).filter((d) => d.name.value === 'join__field');
      // No join__field: every graph that defines the type resolves the field.
      if (joins.length === 0) {
        byField.set(f.name.value, new Set(typeGraphs));
        continue;
      }
      const resolving = new Set<string>();
      for (const d of joins) {
        const g = enumArg(d, 'graph');
        // External (another graph's), overridden, or needing other graphs' fields first: not alone.
        if (!g || isTrue(d, 'external') || isTrue(d, 'usedOverridden') || argument(d, 'requires') !== undefined) continue;
        resolving.add(g);
      }
      byField.set(f.name.value, resolving);
    }
    fields.set(def.name.value, byField);
  }
  return { graphs, types, fields };
}

const PASSING_DIRECTIVES = new Set(['skip', 'include']);

/**
 * The subgraph that resolves every field `operation` selects, or undefined when none does alone
 * (the planner then splits it), and for subscriptions, introspection and directives a subgraph
 * might treat differently (@defer, @stream). `schema` is the gateway's public schema the document
 * was validated against.
 */
export function singleSubgraphOf(
  ownership: SupergraphOwnership,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): string | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation === OperationTypeNode.SUBSCRIPTION) return undefined;
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  let candidates: Set<string> | undefined;
  const narrow = (to: ReadonlySet<string> | undefined): boolean => {
    if (!to || to.size === 0) return false;
    candidates = candidates ? new Set([...candidates].filter((g) => to.has(g))) : new Set(to);
    return candidates.size > 0;
  };
  const visiting = new Set<string>();
  const passes = (directives: readonly { name: { value: string } }[] | undefined) =>
    (directives ?? []).every((d) => PASSING_DIRECTIVES.has(d.name.value));

  const walk = (type: GraphQLCompositeType, set: SelectionSetNode): boolean => {
    if (!narrow(ownership.types.get(type.name))) return false;
    for (const sel of set.selections) {
      if (!passes(sel.directives)) return false;
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name === '__typename') continue;
        // Introspection is the gateway's own (the public schema, not a subgraph's).
        if (name.startsWith('__')) return false;
        // Fields of an interface or union are answered per concrete type: leave those to the planner.
        if (isAbstractType(type)) return false;
        if (!narrow(ownership.fields.get(type.name)?.get(name))) return false;
        const field = type.getFields()[name];
        if (!field) return false;
        const result = getNamedType(field.type);
        if (sel.selectionSet) {
          if (!isCompositeType(result) || !walk(result, sel.selectionSet)) return false;
        }
        continue;
      }
      const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
      if (!fragment) return false;
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        if (!passes(fragment.directives) || visiting.has(sel.name.value)) return false;
        visiting.add(sel.name.value);
      }
      const on = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      const ok = on !== undefined && on !== null && isCompositeType(on) && walk(on, fragment.selectionSet);
      if (sel.kind === Kind.FRAGMENT_SPREAD) visiting.delete(sel.name.value);
      if (!ok) return false;
    }
    return true;
  };
  if (!walk(root, operation.selectionSet) || !candidates) return undefined;
  const graph = [...candidates].sort()[0];
  return graph === undefined ? undefined : ownership.graphs.get(graph);
}
