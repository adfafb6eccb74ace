import { isWithinDivision } from '@firegov/contracts';
import type { JurisdictionLevel } from '@firegov/contracts';
import { GRID_CODE } from './jurisdictions.ts';

export interface JurisdictionNodeInput {
  code: string;
  name: string;
  level: JurisdictionLevel;
  parentCode?: string | null;
}

export interface JurisdictionTreeNode {
  code: string;
  name: string;
  level: JurisdictionLevel;
  children: JurisdictionTreeNode[];
}

// Plain code-unit order, not localeCompare, so the tree is the same on every machine and locale.
function byCode(a: { code: string }, b: { code: string }): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/**
 * Nests nodes under their parents, children sorted by code. A node whose parent is not in the list
 * becomes a root, so a county-scoped query can build its own subtree without the levels above it.
 */
export function buildTree(nodes: readonly JurisdictionNodeInput[]): JurisdictionTreeNode[] {
  const byCodeMap = new Map<string, JurisdictionTreeNode>();
  for (const node of nodes) {
    if (byCodeMap.has(node.code)) throw new Error(`jurisdiction ${node.code} appears twice`);
    byCodeMap.set(node.code, { code: node.code, name: node.name, level: node.level, children: [] });
  }
  const roots: JurisdictionTreeNode[] = [];
  for (const node of nodes) {
    const treeNode = byCodeMap.get(node.code);
    if (treeNode === undefined) continue;
    const parent = node.parentCode === node.code ? undefined : byCodeMap.get(node.parentCode ?? '');
    (parent ? parent.children : roots).push(treeNode);
  }
  const sort = (list: JurisdictionTreeNode[]): JurisdictionTreeNode[] => {
    list.sort(byCode);
    for (const item of list) sort(item.children);
    return list;
  };
  return sort(roots);
}

/**
 * True when `code` is `scopeCode` or lies inside it. Grid codes (XXXXXXXXXXXX-G01) lie inside their
 * village and everything above; nothing but the grid itself lies inside a grid. False for invalid codes.
 */
export function isInScope(code: string, scopeCode: string): boolean {
  const codeIsGrid = GRID_CODE.test(code);
  if (GRID_CODE.test(scopeCode)) return codeIsGrid && code === scopeCode;
  return isWithinDivision(codeIsGrid ? code.slice(0, 12) : code, scopeCode);
}
