// The only way the widget makes DOM: elements, attributes and text nodes. There is no innerHTML anywhere,
// so no server-supplied string can become markup. Every `gh-x` class is also the `part` `x`, so a page can style
// the widget inside a shadow root with ::part(x); the part names are a public API (listed in the README).
type Attrs = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
    if (k === 'class') el.setAttribute('part', (v as string).replace(/gh-/g, ''));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

let counter = 0;
export const uid = (prefix: string) => `gh-${prefix}-${++counter}`;
