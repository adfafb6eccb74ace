// The provider's few pages, rendered on the server: no scripts, no fonts or styles from a CDN
// (county networks often have no internet). Every value is escaped.

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `body{font:15px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;margin:0}
main{max-width:420px;margin:8vh auto;background:#fff;padding:28px 32px;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:20px;margin:0 0 4px}p.sub{color:#555;margin:0 0 20px}label{display:block;margin:12px 0 4px}
input{width:100%;box-sizing:border-box;padding:8px;font-size:15px;border:1px solid #bbb;border-radius:4px}
button{margin-top:18px;padding:9px 16px;font-size:15px;border:0;border-radius:4px;background:#c62828;color:#fff;cursor:pointer}
button.plain{background:#e0e0e0;color:#222}.error{color:#b71c1c;margin:12px 0 0}code,textarea{font-family:ui-monospace,monospace;font-size:12px}
textarea{width:100%;height:90px;box-sizing:border-box}ul{padding-left:20px}`;

const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

const SCOPE_LABEL: Readonly<Record<string, string>> = {
  openid: 'who you are (your account id)',
  profile: 'your name, role and jurisdiction',
  offline_access: 'staying signed in (a refresh token)',
  read: 'reading platform data within your jurisdiction',
  write: 'changing platform data within your jurisdiction',
};

export function loginPage(o: { uid: string; clientId: string; scope: string; error?: string; username?: string }): string {
  const scopes = o.scope
    .split(' ')
    .filter(Boolean)
    .map((s) => `<li>${escape(SCOPE_LABEL[s] ?? s)}</li>`)
    .join('');
  const action = `/interaction/${encodeURIComponent(o.uid)}`;
  return page(
    '登录 FireGov',
    `<h1>登录 Sign in</h1><p class="sub">to <b>${escape(o.clientId)}</b>, which asks for:</p><ul>${scopes}</ul>
<form method="post" action="${action}/login">
<label for="username">用户名 Username</label><input id="username" name="username" autocomplete="username" value="${escape(o.username ?? '')}" required autofocus>
<label for="password">密码 Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
${o.error ? `<p class="error" role="alert">${escape(o.error)}</p>` : ''}
<button type="submit">登录并同意 Sign in and allow</button></form>
<form method="post" action="${action}/abort"><button class="plain" type="submit">取消 Cancel</button></form>`,
  );
}

export const messagePage = (title: string, message: string): string =>
  page(title, `<h1>${escape(title)}</h1><p>${escape(message)}</p><p><a href="/login">Sign in again</a></p>`);

export function signedInPage(tokens: Record<string, unknown>): string {
  const field = (label: string, name: string) =>
    typeof tokens[name] === 'string'
      ? `<label>${escape(label)}</label><textarea readonly>${escape(tokens[name])}</textarea>`
      : '';
  return page(
    '已登录 Signed in',
    `<h1>已登录 Signed in</h1><p class="sub">Until the console exists, use the access token as a bearer token at the gateway
(it expires in ${escape(typeof tokens.expires_in === 'number' ? String(tokens.expires_in) : '?')} s; the refresh token gets a new one).</p>
${field('Access token', 'access_token')}${field('Refresh token', 'refresh_token')}${field('ID token', 'id_token')}`,
  );
}
