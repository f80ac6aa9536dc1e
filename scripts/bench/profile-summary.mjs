// Reads a V8 .cpuprofile (the Gatehouse server under load) and says where its main thread's time went: idle,
// by package (native code such as a synchronous write counted for the package that called it), and the top
// functions by self time, each as a share of the profiled wall time (one core) and in milliseconds per completed sign-in.
import { readFileSync } from 'node:fs';

function partOf(url) {
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).replace(/^internal\//, '').split('/')[0].replace(/^(streams|stream_base_commons)$/, 'stream');
  const g = url.match(/packages\/server\/dist\/([^/]+)/);
  if (g) return `gatehouse ${g[1].replace(/\.js$/, '')}`;
  return url.split('/').pop();
}

export function summariseProfile(file, flowsDone) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // A native frame (fs.writeSync's writeString, better-sqlite3's run, a crypto job's run) counts for the nearest
  // package or Gatehouse module that called it, through any node: internals; failing that, for the node: module.
  const partCache = new Map();
  const partOfNode = (id) => {
    if (partCache.has(id)) return partCache.get(id);
    const { url, functionName } = byId.get(id).callFrame;
    let part = url ? partOf(url) : functionName.startsWith('(') ? functionName : undefined;
    if (part === undefined) {
      let internal;
      for (let up = parent.get(id); up !== undefined && part === undefined; up = parent.get(up)) {
        const u = byId.get(up).callFrame.url;
        if (u && !u.startsWith('node:')) part = partOf(u);
        else if (u) internal ??= partOf(u);
      }
      part ??= internal ?? '(native)';
    }
    partCache.set(id, part);
    return part;
  };
  const self = new Map();
  const parts = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000; // ms; each delta is the time until the next sample
    const n = byId.get(p.samples[i]);
    total += dt;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|dist)\//, '')}:${lineNumber + 1}` : `(native, from ${partOfNode(n.id)})`}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    const part = partOfNode(n.id);
    parts.set(part, (parts.get(part) ?? 0) + dt);
  }
  const pct = (ms) => `${((100 * ms) / total).toFixed(1)} %`;
  const perFlow = (ms) => (ms / flowsDone).toFixed(3);
  const idle = parts.get('(idle)') ?? 0;
  const out = [`Profiled ${(total / 1000).toFixed(1)} s of the server's main thread, ${flowsDone} sign-ins: idle ${pct(idle)}; busy ${perFlow(total - idle)} ms per sign-in.\n`];
  out.push('| part (self time; native code counted for its caller) | share of the core | ms per sign-in |\n|---|---|---|');
  for (const [k, v] of [...parts].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 16)) out.push(`| ${k} | ${pct(v)} | ${perFlow(v)} |`);
  out.push('\n| function (self time) | share of the core | ms per sign-in |\n|---|---|---|');
  for (const [k, v] of [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 16)) out.push(`| \`${k}\` | ${pct(v)} | ${perFlow(v)} |`);
  return out.join('\n') + '\n';
}

if (process.argv[2]) console.log(summariseProfile(process.argv[2], Number(process.argv[3] ?? 1)));
