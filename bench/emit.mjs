// Printer benchmark: the time kforge takes to print rendered resources as YAML (src/emit/yaml.ts), measured the
// way one render thread prints them: build an environment, print its resources, go on to the next one (10
// environments of a generated tree with one Builder, so objects of shared bases are shared as in a render),
// keeping every text as render does until it writes. Each run is a fresh process, so the JIT and the printer's
// caches start cold, as they do in a render; then the same process prints fresh copies again and again (warm).
// Times are CPU time of the process (JIT and GC threads included) and wall time; medians over the runs.
//   node --import tsx bench/emit.mjs [--apps 100] [--envs 20] [--shape flat|deep] [--runs 7]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const THREAD_ENVS = 10;

if (args[0] === '--child') await child(args[1]);
else parent();

function parent() {
  const apps = opt('apps', '100'), envs = opt('envs', '20'), shape = opt('shape', 'flat'), runs = Number(opt('runs', '7'));
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-emit-bench-'));
  try {
    run(process.execPath, [path.join(here, 'gen-tree.mjs'), tree, apps, envs, shape]);
    const results = [];
    for (let i = 0; i < runs; i++) results.push(JSON.parse(run(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', tree])));
    const median = (f) => {
      const xs = results.map(f).sort((a, b) => a - b);
      return xs[Math.floor(xs.length / 2)].toFixed(1);
    };
    const { resources, lines, bytes } = results[0];
    console.log(`${apps} apps x ${envs} envs (${shape}): ${resources} resources, ${lines} lines, ${bytes} bytes printed per thread; ${runs} runs, medians`);
    console.log(`  cold, as a render thread prints: ${median((r) => r.coldCpu)} ms CPU, ${median((r) => r.coldWall)} ms wall (first environment ${median((r) => r.firstEnvCpu)} ms CPU)`);
    console.log(`  warm: ${median((r) => r.warmCpu)} ms CPU for the same ${resources} resources`);
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

async function child(tree) {
  const { loadProject } = await import('../src/project/config.ts');
  const { Builder } = await import('../src/kustomize/build.ts');
  const { emitResource } = await import('../src/emit/yaml.ts');
  const project = loadProject({ cwd: tree });
  const envs = project.environments.slice(0, THREAD_ENVS);
  const build = (builder, env) => builder.build(path.resolve(project.root, env.path)).resources.map((r) => r.object);
  const cpuMs = (since) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };

  const kept = [];
  let coldCpu = 0, coldWall = 0, firstEnvCpu = 0;
  const builder = new Builder();
  for (const env of envs) {
    const objects = build(builder, env);
    const cpu = process.cpuUsage(), wall = performance.now();
    for (const o of objects) kept.push(emitResource(o));
    coldWall += performance.now() - wall;
    const ms = cpuMs(cpu);
    if (env === envs[0]) firstEnvCpu = ms;
    coldCpu += ms;
  }
  const lines = kept.reduce((n, text) => n + text.split('\n').length - 1, 0);

  const warm = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const fresh = new Builder();
    const objects = envs.flatMap((env) => build(fresh, env));
    const cpu = process.cpuUsage();
    const texts = objects.map(emitResource);
    // Read as writing them would read them, so that a printer leaving ropes of pieces to join pays for it.
    bytes = 0;
    for (const t of texts) bytes += Buffer.byteLength(t);
    warm.push(cpuMs(cpu));
  }
  warm.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ resources: kept.length, lines, bytes, coldCpu, coldWall, firstEnvCpu, warmCpu: warm[2] }));
}
