// Talks to registries through the OCI distribution API: does a tag exist, and which manifest digest does it
// have. Auth: anonymous, or Basic/Bearer with credentials from the standard docker/podman auth files (and the
// docker credential helpers they name).
// Loopback registries are plain HTTP (as Docker treats them); other hosts need to be listed as insecure for that.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandError, InputError } from '../errors.js';
import { isLoopbackHost, splitRepository } from './reference.js';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface Credentials {
  username: string;
  password: string;
  /** An OAuth2 refresh token (docker's `identitytoken`, or a helper login with user `<token>`), used instead of
   *  the password to get bearer tokens. */
  identityToken?: string;
}

export interface RegistryClientOptions {
  /** Hosts (host[:port]) that are spoken to over plain HTTP although not on loopback. */
  insecureHosts?: readonly string[];
  /** Environment used to find auth files (REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, DOCKER_CONFIG, HOME). */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

export interface ManifestInfo {
  exists: boolean;
  digest?: string;
}

export interface RegistryClient {
  /** HEAD the manifest of `<repository>:<tag>`; `repository` includes the registry host. */
  manifest(repository: string, tag: string): Promise<ManifestInfo>;
  /** Whether the builder must be told to push/pull over plain HTTP. */
  isPlainHttp(host: string): boolean;
}

/** The auth files docker and podman read, in the order podman reads them. */
export function authFiles(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? os.homedir();
  return [
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR && path.join(env.XDG_RUNTIME_DIR, 'containers/auth.json'),
    path.join(home, '.config/containers/auth.json'),
    path.join(env.DOCKER_CONFIG ?? path.join(home, '.docker'), 'config.json'),
  ].filter((f): f is string => !!f);
}

function normaliseAuthKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

interface AuthFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** Asks a docker credential helper (`docker-credential-<name> get`, the server on stdin) for `host`'s login. */
export async function credentialsFromHelper(helper: string, host: string, env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const server = host === 'docker.io' ? 'https://index.docker.io/v1/' : host;
  // Loaded here: execa is ~100 files, and most registry use (and every render) never runs a credential helper.
  const { execa } = await import('execa');
  const r = await execa(`docker-credential-${helper}`, ['get'], { input: server, reject: false, env, extendEnv: false });
  if (r.exitCode !== 0) {
    // Helpers say "credentials not found" for a host they do not know: that is anonymous access, not an error.
    if (/not found/i.test(`${r.stdout} ${r.stderr}`)) return undefined;
    throw new CommandError(`docker-credential-${helper} get`, r.exitCode, (r.stderr || r.stdout || r.originalMessage || '').trim().split('\n').at(-1) ?? '');
  }
  const out = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
  if (out.Username === '<token>' && out.Secret) return { username: '', password: '', identityToken: out.Secret };
  return out.Username && out.Secret ? { username: out.Username, password: out.Secret } : undefined;
}

/** Credentials for `host` from the first auth file that has them: a per-host credential helper, then
 *  `auths.<host>` (`auth` = base64 user:password, or username/password), then the file's credsStore, as docker does. */
export async function findCredentials(host: string, files: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Credentials | undefined> {
  for (const file of files) {
    let data: AuthFile;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8')) as AuthFile;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new InputError(`cannot read registry auth file: ${(e as Error).message}`, { file });
    }
    const helper = Object.entries(data.credHelpers ?? {}).find(([k]) => normaliseAuthKey(k) === host)?.[1];
    if (helper) return credentialsFromHelper(helper, host, env);
    for (const [key, entry] of Object.entries(data.auths ?? {})) {
      if (normaliseAuthKey(key) !== host) continue;
      if (entry.identitytoken) return { username: '', password: '', identityToken: entry.identitytoken };
      if (entry.username && entry.password) return { username: entry.username, password: entry.password };
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      }
    }
    if (data.credsStore) {
      const found = await credentialsFromHelper(data.credsStore, host, env);
      if (found) return found;
    }
  }
  return undefined;
}

/** Parses `Bearer realm="…",service="…",scope="…"` into its scheme and parameters. */
export function parseWwwAuthenticate(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^(\S+)\s*(.*)$/.exec(header.trim());
  const params: Record<string, string> = {};
  for (const p of (m?.[2] ?? '').matchAll(/([a-zA-Z_]+)=(?:"([^"]*)"|([^,\s]*))/g)) params[p[1].toLowerCase()] = p[2] ?? p[3];
  return { scheme: (m?.[1] ?? '').toLowerCase(), params };
}

const basic = (c: Credentials) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

export function createRegistryClient(opts: RegistryClientOptions = {}): RegistryClient {
  const env = opts.env ?? process.env;
  const doFetch = opts.fetch ?? fetch;
  const insecure = new Set(opts.insecureHosts ?? []);
  const tokens = new Map<string, string>();
  const isPlainHttp = (host: string) => isLoopbackHost(host) || insecure.has(host);

  const request = async (url: string, init: RequestInit, what: string): Promise<Response> => {
    try {
      return await doFetch(url, { ...init, redirect: 'follow' });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new CommandError(`registry ${what}`, undefined, cause?.code ?? cause?.message ?? (e as Error).message, `cannot reach registry at ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
  };

  const authorize = async (host: string, challenge: string, scope: string): Promise<string> => {
    const { scheme, params } = parseWwwAuthenticate(challenge);
    const creds = await findCredentials(host, authFiles(env), env);
    if (scheme === 'basic') {
      if (!creds || creds.identityToken) throw new CommandError(`registry ${host}`, undefined, '', `registry ${host} needs credentials: log in with docker login or podman login`);
      return basic(creds);
    }
    if (scheme !== 'bearer' || !params.realm) throw new CommandError(`registry ${host}`, undefined, '', `registry ${host} asks for unsupported authentication '${challenge}'`);
    const key = `${host} ${params.service ?? ''} ${scope}`;
    const known = tokens.get(key);
    if (known) return known;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? scope);
    // With an identity token, docker's OAuth2 flow: POST a refresh_token grant to the realm instead of a GET.
    const res = creds?.identityToken
      ? await request(params.realm, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, service: params.service ?? '', scope: params.scope ?? scope, client_id: 'kforge' }).toString(),
        }, `token ${url.host}`)
      : await request(url.toString(), { headers: creds ? { Authorization: basic(creds) } : {} }, `token ${url.host}`);
    if (!res.ok) throw new CommandError(`registry ${host}`, undefined, '', `registry ${host}: token request to ${url.host} answered ${res.status}${creds ? '' : ' (no credentials found in the docker/podman auth files)'}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new CommandError(`registry ${host}`, undefined, '', `registry ${host}: token response has no token`);
    tokens.set(key, `Bearer ${token}`);
    return `Bearer ${token}`;
  };

  return {
    isPlainHttp,
    async manifest(repository, tag) {
      const { location, repo } = splitRepository(repository);
      const url = `${isPlainHttp(location.host) ? 'http' : 'https'}://${location.apiHost}/v2/${repo}/manifests/${encodeURIComponent(tag)}`;
      const scope = `repository:${repo}:pull`;
      const headers: Record<string, string> = { Accept: MANIFEST_TYPES.join(', ') };
      let res = await request(url, { method: 'HEAD', headers }, `HEAD ${url}`);
      if (res.status === 401) {
        const challenge = res.headers.get('www-authenticate');
        if (!challenge) throw new CommandError(`registry ${location.host}`, undefined, '', `registry ${location.host} answered 401 without a challenge`);
        headers.Authorization = await authorize(location.host, challenge, scope);
        res = await request(url, { method: 'HEAD', headers }, `HEAD ${url}`);
      }
      if (res.status === 404) return { exists: false };
      if (!res.ok) throw new CommandError(`registry ${location.host}`, undefined, '', `registry ${location.host}: HEAD ${repo}:${tag} answered ${res.status}`);
      let digest = res.headers.get('docker-content-digest') ?? undefined;
      if (!digest) {
        // Some registries omit the header on HEAD: the digest is the sha256 of the manifest bytes.
        const get = await request(url, { method: 'GET', headers }, `GET ${url}`);
        if (!get.ok) throw new CommandError(`registry ${location.host}`, undefined, '', `registry ${location.host}: GET ${repo}:${tag} answered ${get.status}`);
        digest = `sha256:${crypto.createHash('sha256').update(Buffer.from(await get.arrayBuffer())).digest('hex')}`;
      }
      return { exists: true, digest };
    },
  };
}
