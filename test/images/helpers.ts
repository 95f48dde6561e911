// Shared by the image tests: temporary trees from inline file maps, projects, real tools and a real registry.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { parseProject, type Project } from '../../src/project/config.js';

export type FileMap = Record<string, string | { content: string | Buffer; mode?: number }>;

export function writeTree(root: string, files: FileMap): void {
  for (const [rel, spec] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    const { content, mode } = typeof spec === 'string' ? { content: spec, mode: undefined } : spec;
    fs.writeFileSync(p, content);
    if (mode !== undefined) fs.chmodSync(p, mode);
  }
}

export function tempTree(files: FileMap): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-images-test-'));
  writeTree(root, files);
  return root;
}

/** A project in a temp folder: kforge.yaml with the given images and registry, plus `files`. */
export function tempProject(files: FileMap, images: string, registry?: string): Project {
  const root = tempTree({
    ...files,
    'kforge.yaml': `apiVersion: kforge.dev/v1alpha1\nkind: Project\n${registry ? `registry: ${registry}\n` : ''}images:\n${images}\nenvironments:\n  dev: {path: overlays/dev}\n`,
  });
  return parseProject(fs.readFileSync(path.join(root, 'kforge.yaml'), 'utf8'), path.join(root, 'kforge.yaml'));
}

/** Sets mtimes in the past, so the hash cache does not treat the files as racily fresh. */
export function age(root: string, seconds = 60): void {
  const t = new Date(Date.now() - seconds * 1000);
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      if (!e.isSymbolicLink()) fs.utimesSync(p, t, t);
    }
  };
  walk(root);
}

/** Whether `cmd` can run. A missing tool skips loudly, and fails under CI=true. */
export async function requireTool(cmd: string, args: string[] = ['--version']): Promise<boolean> {
  const r = await execa(cmd, args, { reject: false });
  if (r.exitCode === 0) return true;
  const msg = `${cmd} is not installed: apt-get install -y buildah docker-registry busybox-static`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${msg}`);
  console.error(`\n!!!!!!!!!! SKIP: ${msg} — these tests did not run !!!!!!!!!!\n`);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface TestRegistry {
  host: string;
  stop(): Promise<void>;
}

/** Starts Debian's docker-registry on a free loopback port with storage in a temp folder. */
export async function startRegistry(): Promise<TestRegistry> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-registry-'));
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${dir}/data}, delete: {enabled: true}}\nhttp: {addr: "127.0.0.1:${port}"}\n`);
  const proc: ResultPromise = execa('docker-registry', ['serve', config], { reject: false, stdin: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`http://${host}/v2/`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error('docker-registry did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host,
    async stop() {
      proc.kill();
      await proc;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
