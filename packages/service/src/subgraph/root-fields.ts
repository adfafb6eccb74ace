import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The document's fragments by name, for following spreads. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out[d.name.value] = d;
  return out;
}

/**
 * The root fields an operation selects, as execution will see them: fragments followed (each once)
 * and @skip/@include honoured, so what the policy gate checks and what the audit records are the
 * fields that actually run.
 */
export function selectedRootFields(
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Record<string, unknown>,
  out: FieldNode[] = [],
  seen: Set<string> = new Set(),
): FieldNode[] {
  for (const sel of selectionSet.selections) {
    if (getDirectiveValues(GraphQLSkipDirective, sel, variables)?.if === true) continue;
    if (getDirectiveValues(GraphQLIncludeDirective, sel, variables)?.if === false) continue;
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) selectedRootFields(sel.selectionSet, fragments, variables, out, seen);
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const fragment = fragments[sel.name.value];
      if (fragment) selectedRootFields(fragment.selectionSet, fragments, variables, out, seen);
    }
  }
  return out;
}
