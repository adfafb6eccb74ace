// The few DOM helpers app.ts (the metrics) and traces-view.ts (the traces) share.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

export function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

export async function getJson(path: string, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
  const res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  const body: unknown = await res.json().catch(() => null);
  return { status: res.status, body };
}
