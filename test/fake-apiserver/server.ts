// A fake Kubernetes API server that the real kubectl 1.32 talks to: discovery (aggregated and legacy), /version,
// OpenAPI v3 stubs, server-side apply (with dryRun=All and field ownership), create/update/patch, GET/LIST/WATCH
// with label and field selectors, DELETE, Status errors, and fake controllers that make workloads ready after a
// delay (or never). Every request and every controller step is recorded in `log` for tests to assert on.
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import yaml from 'js-yaml';
import jsonPatch from 'fast-json-patch';
import { isMap, recordUpdate, serverSideApply, type Json, type JsonMap } from './fields.js';
import {
  aggregatedDiscovery, apiVersionOf, findByKind, findByPlural, legacyApiVersions, legacyGroupList, legacyResourceList, openApiGroupVersion,
  openApiIndex, type KindInfo,
} from './kinds.js';
import { applyDefaults, controllerStatus, specChanged, tracksGeneration, unknownFields, validate } from './objects.js';
import { fieldSelector, labelSelector } from './selectors.js';

/** Annotation a test manifest can carry to set its readiness: milliseconds, "never", or "fail" (Jobs, Deployments). */
export const READY_AFTER_ANNOTATION = 'fake.kforge.dev/ready-after';

export interface RequestEntry {
  type: 'request';
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  body?: Json;
  status: number;
  kind?: string;
  namespace?: string;
  name?: string;
  dryRun: boolean;
  watch: boolean;
}

export interface ControllerEntry {
  type: 'controller';
  seq: number;
  state: 'progressing' | 'ready' | 'failed';
  kind: string;
  namespace: string;
  name: string;
}

export type LogEntry = RequestEntry | ControllerEntry;

export interface FakeServerOptions {
  /**
   * Milliseconds until a workload is ready, 'never', or 'fail' (a Job fails, a Deployment exceeds its progress
   * deadline); default: the annotation, else
   * `defaultReadyAfterMs`.
   */
  readyAfter?: (obj: JsonMap) => number | 'never' | 'fail' | undefined;
  defaultReadyAfterMs?: number;
  /** false: answer discovery only in the legacy form, as servers before aggregated discovery did. Default true. */
  aggregatedDiscovery?: boolean;
  gitVersion?: string;
}

export interface FakeServer {
  url: string;
  log: LogEntry[];
  requests(filter?: Partial<Pick<RequestEntry, 'method' | 'kind' | 'name' | 'namespace' | 'dryRun'>>): RequestEntry[];
  /** A stored object (as GET returns it), or undefined. */
  get(apiVersion: string, kind: string, namespace: string, name: string): JsonMap | undefined;
  objects(): JsonMap[];
  /** Stores an object as if another client had created it (no log entry); returns it as stored. */
  seed(obj: JsonMap, manager?: string): JsonMap;
  close(): Promise<void>;
}

interface Stored {
  info: KindInfo;
  obj: JsonMap;
}

interface Watcher {
  info: KindInfo;
  namespace?: string;
  match: (obj: JsonMap) => boolean;
  send: (type: string, obj: JsonMap) => void;
}

class ApiError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: JsonMap) {
    super(message);
  }
  status(): JsonMap {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, ...(this.details ? { details: this.details } : {}), code: this.code };
  }
}

const resourceName = (info: KindInfo) => (info.group ? `${info.plural}.${info.group}` : info.plural);
const notFound = (info: KindInfo, name: string) =>
  new ApiError(404, 'NotFound', `${resourceName(info)} "${name}" not found`, { name, ...(info.group ? { group: info.group } : {}), kind: info.plural });

export async function startFakeApiServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const store = new Map<string, Stored>();
  const history: { rv: number; type: string; info: KindInfo; obj: JsonMap }[] = [];
  const watchers = new Set<Watcher>();
  const timers = new Map<string, NodeJS.Timeout[]>();
  const openResponses = new Set<http.ServerResponse>();
  const log: LogEntry[] = [];
  let rv = 1000;
  let seq = 0;

  const keyOf = (info: KindInfo, ns: string, name: string) => `${info.group}/${info.plural}/${info.namespaced ? ns : ''}/${name}`;
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  function emit(type: string, info: KindInfo, obj: JsonMap) {
    history.push({ rv: Number((obj.metadata as JsonMap).resourceVersion), type, info, obj });
    for (const w of watchers) if (w.info === info && (!w.namespace || (obj.metadata as JsonMap).namespace === w.namespace) && w.match(obj)) w.send(type, obj);
  }

  function write(info: KindInfo, obj: JsonMap, created: boolean) {
    const md = obj.metadata as JsonMap;
    md.resourceVersion = String(++rv);
    store.set(keyOf(info, String(md.namespace ?? ''), String(md.name)), { info, obj });
    emit(created ? 'ADDED' : 'MODIFIED', info, obj);
  }

  function remove(info: KindInfo, obj: JsonMap) {
    const md = obj.metadata as JsonMap;
    store.delete(keyOf(info, String(md.namespace ?? ''), String(md.name)));
    for (const t of timers.get(keyOf(info, String(md.namespace ?? ''), String(md.name))) ?? []) clearTimeout(t);
    const gone = structuredClone(obj);
    (gone.metadata as JsonMap).resourceVersion = String(++rv);
    emit('DELETED', info, gone);
    if (info.kind === 'Namespace') {
      for (const s of [...store.values()]) if (s.info.namespaced && (s.obj.metadata as JsonMap).namespace === md.name) remove(s.info, s.obj);
    }
  }

  function readyAfter(obj: JsonMap): number | 'never' | 'fail' {
    const fromOption = opts.readyAfter?.(obj);
    if (fromOption !== undefined) return fromOption;
    const md = obj.metadata as JsonMap;
    const ann = isMap(md.annotations) ? md.annotations[READY_AFTER_ANNOTATION] : undefined;
    if (ann === 'never' || ann === 'fail') return ann;
    if (typeof ann === 'string' && /^\d+$/.test(ann)) return Number(ann);
    return opts.defaultReadyAfterMs ?? 50;
  }

  /** The fake controllers: observe the new generation at once, become ready after the configured delay. */
  function scheduleController(info: KindInfo, obj: JsonMap) {
    if (!info.controller) return;
    const md = obj.metadata as JsonMap;
    const k = keyOf(info, String(md.namespace ?? ''), String(md.name));
    for (const t of timers.get(k) ?? []) clearTimeout(t);
    const generation = md.generation;
    const step = (state: 'progressing' | 'ready' | 'failed') => {
      const cur = store.get(k);
      if (!cur || (cur.obj.metadata as JsonMap).generation !== generation) return;
      const next = structuredClone(cur.obj);
      next.status = controllerStatus(info, next, state, now());
      write(info, next, false);
      log.push({ type: 'controller', seq: ++seq, state, kind: info.kind, namespace: String(md.namespace ?? ''), name: String(md.name) });
    };
    const delay = readyAfter(obj);
    const list = [setTimeout(() => step('progressing'), 5)];
    if (delay === 'fail' && (info.controller === 'job' || info.controller === 'deployment')) list.push(setTimeout(() => step('failed'), 10));
    else if (typeof delay === 'number') list.push(setTimeout(() => step('ready'), Math.max(10, delay)));
    timers.set(k, list);
  }

  function checkNamespace(info: KindInfo, ns: string) {
    if (!info.namespaced) return;
    if (!store.has(`/namespaces//${ns}`)) throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
  }

  /** Validates, defaults and stores (unless dry run) a new state of an object; returns what the server returns. */
  function commit(info: KindInfo, before: JsonMap | undefined, next: JsonMap, dryRun: boolean): JsonMap {
    const md = isMap(next.metadata) ? next.metadata : (next.metadata = {});
    next.apiVersion = apiVersionOf(info);
    next.kind = info.kind;
    const errs = validate(info, next, before);
    if (errs.length > 0) {
      const name = String(md.name ?? '');
      throw new ApiError(422, 'Invalid', `${info.kind}${info.group ? `.${info.group}` : ''} "${name}" is invalid: ${errs.map((e) => `${e.field}: ${e.value !== undefined ? `Invalid value: ${JSON.stringify(e.value)}: ` : ''}${e.message}`).join(', ')}`, {
        name, ...(info.group ? { group: info.group } : {}), kind: info.kind,
        causes: errs.map((e) => ({ reason: 'FieldValueInvalid', message: `${e.value !== undefined ? `Invalid value: ${JSON.stringify(e.value)}: ` : ''}${e.message}`, field: e.field })),
      });
    }
    applyDefaults(info, next, before);
    if (before) {
      const bmd = before.metadata as JsonMap;
      md.uid = bmd.uid;
      md.creationTimestamp = bmd.creationTimestamp;
      if (tracksGeneration(info)) md.generation = specChanged(before, next) ? Number(bmd.generation ?? 1) + 1 : Number(bmd.generation ?? 1);
      md.resourceVersion = bmd.resourceVersion;
      const strip = (o: JsonMap) => {
        const c = structuredClone(o);
        const m = c.metadata as JsonMap;
        if (Array.isArray(m.managedFields)) for (const e of m.managedFields) if (isMap(e)) delete e.time;
        return c;
      };
      // A write that changes nothing is a no-op: same resourceVersion, no event (what makes re-applies quiet).
      if (isDeepStrictEqual(strip(before), strip(next))) return before;
    } else {
      md.uid = crypto.randomUUID();
      md.creationTimestamp = now();
      if (tracksGeneration(info)) md.generation = 1;
    }
    if (dryRun) return next;
    write(info, next, !before);
    if (info.controller && (!before || md.generation !== (before.metadata as JsonMap).generation)) scheduleController(info, next);
    return next;
  }

  function lookup(info: KindInfo, ns: string, name: string): JsonMap | undefined {
    return store.get(keyOf(info, ns, name))?.obj;
  }

  function parseBody(raw: string, contentType: string): JsonMap {
    let data: unknown;
    try {
      data = contentType.includes('yaml') ? yaml.load(raw) : JSON.parse(raw);
    } catch (e) {
      throw new ApiError(400, 'BadRequest', `error decoding body: ${(e as Error).message}`);
    }
    if (!isMap(data) && !Array.isArray(data)) throw new ApiError(400, 'BadRequest', 'the body of the request was in an unknown format');
    return data as JsonMap;
  }

  function checkIdentity(info: KindInfo, body: JsonMap, ns: string, name: string | undefined, strict: boolean) {
    const md = isMap(body.metadata) ? body.metadata : (body.metadata = {});
    if (name !== undefined && md.name !== undefined && md.name !== name) {
      throw new ApiError(400, 'BadRequest', `the name of the object (${String(md.name)}) does not match the name on the URL (${name})`);
    }
    if (info.namespaced) {
      if (md.namespace !== undefined && md.namespace !== ns) {
        throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      }
      md.namespace = ns;
    } else delete md.namespace;
    if (name !== undefined) md.name = name;
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(info)) {
      throw new ApiError(400, 'BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(info)})`);
    }
    const unknown = unknownFields(info, body);
    if (strict && unknown.length > 0) {
      throw new ApiError(400, 'BadRequest', `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
    }
  }

  const table = (items: JsonMap[], listRv: string) => ({
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: listRv },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp', priority: 0 },
    ],
    rows: items.map((o) => {
      const md = o.metadata as JsonMap;
      const age = Math.max(0, Math.round((Date.now() - Date.parse(String(md.creationTimestamp))) / 1000));
      return { cells: [md.name as Json, `${age}s`], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: md } };
    }),
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string, entry: RequestEntry): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const accept = req.headers.accept ?? '';
    const send = (code: number, body: unknown, contentType = 'application/json') => {
      entry.status = code;
      res.writeHead(code, { 'Content-Type': contentType });
      res.end(JSON.stringify(body));
    };
    const p = url.pathname.replace(/\/+$/, '');
    const seg = p.split('/').filter(Boolean);
    const method = req.method ?? 'GET';

    if (p === '/version') {
      return send(200, { major: '1', minor: '32', gitVersion: opts.gitVersion ?? 'v1.32.4', gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2025-04-22T00:00:00Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64' });
    }
    if (p === '/api' || p === '/apis') {
      if (opts.aggregatedDiscovery !== false && accept.includes('as=APIGroupDiscoveryList') && accept.includes('v=v2')) {
        return send(200, aggregatedDiscovery(p === '/api'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      }
      return send(200, p === '/api' ? legacyApiVersions(req.headers.host ?? '') : legacyGroupList());
    }
    if (p === '/openapi/v3') return send(200, openApiIndex());
    if (seg[0] === 'openapi' && seg[1] === 'v3') {
      const doc = seg[2] === 'api' ? openApiGroupVersion('', seg[3]) : openApiGroupVersion(seg[3], seg[4]);
      if (doc && seg.length === (seg[2] === 'api' ? 4 : 5)) return send(200, doc);
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }

    let group: string, version: string, rest: string[];
    if (seg[0] === 'api' && seg.length >= 2) [group, version, rest] = ['', seg[1], seg.slice(2)];
    else if (seg[0] === 'apis' && seg.length >= 3) [group, version, rest] = [seg[1], seg[2], seg.slice(3)];
    else throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (rest.length === 0) {
      const list = legacyResourceList(group, version);
      if (!list) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return send(200, list);
    }
    let ns = '';
    let info: KindInfo | undefined;
    let name: string | undefined;
    let sub: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && findByPlural(group, version, rest[2])?.namespaced) {
      [ns, info, name, sub] = [rest[1], findByPlural(group, version, rest[2]), rest[3], rest[4]];
    } else {
      [info, name, sub] = [findByPlural(group, version, rest[0]), rest[1], rest[2]];
    }
    if (!info) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    Object.assign(entry, { kind: info.kind, namespace: ns || undefined, name });
    if (sub !== undefined && sub !== 'status') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');

    const dryRun = url.searchParams.getAll('dryRun').includes('All');
    entry.dryRun = dryRun;
    const strict = url.searchParams.get('fieldValidation') === 'Strict';
    const manager = url.searchParams.get('fieldManager') ?? String(req.headers['user-agent'] ?? 'unknown').split('/')[0];
    const contentType = String(req.headers['content-type'] ?? '');

    if (name === undefined) {
      if (method === 'GET') {
        const match = labelSelector(url.searchParams.get('labelSelector'));
        const fsel = fieldSelector(url.searchParams.get('fieldSelector'));
        if ('error' in fsel) throw new ApiError(400, 'BadRequest', fsel.error);
        const filter = (o: JsonMap) => match(o) && fsel(o);
        const w = url.searchParams.get('watch');
        if (w === 'true' || w === '1') return watch(info, ns, filter, url, res, entry, accept);
        const items = [...store.values()]
          .filter((s) => s.info === info && (!ns || (s.obj.metadata as JsonMap).namespace === ns) && filter(s.obj))
          .map((s) => s.obj)
          .sort((a, b) => `${(a.metadata as JsonMap).namespace}/${(a.metadata as JsonMap).name}`.localeCompare(`${(b.metadata as JsonMap).namespace}/${(b.metadata as JsonMap).name}`));
        if (accept.includes('as=Table')) return send(200, table(items, String(rv)), 'application/json;as=Table;v=v1;g=meta.k8s.io');
        if (accept.includes('as=PartialObjectMetadataList')) {
          return send(200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: String(rv) }, items: items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })) }, 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io');
        }
        return send(200, { kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata: { resourceVersion: String(rv) }, items });
      }
      if (method === 'POST') {
        const body = parseBody(raw, contentType);
        checkIdentity(info, body, ns, undefined, strict);
        const md = body.metadata as JsonMap;
        if (!md.name && typeof md.generateName === 'string') md.name = `${md.generateName}${crypto.randomBytes(3).toString('hex').slice(0, 5)}`;
        checkNamespace(info, ns);
        if (lookup(info, ns, String(md.name ?? ''))) {
          throw new ApiError(409, 'AlreadyExists', `${resourceName(info)} "${String(md.name)}" already exists`, { name: md.name as Json, ...(info.group ? { group: info.group } : {}), kind: info.plural });
        }
        recordUpdate(undefined, body, manager, now());
        return send(201, commit(info, undefined, body, dryRun));
      }
      throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }

    const live = lookup(info, ns, name);
    if (method === 'GET') {
      if (!live) throw notFound(info, name);
      if (accept.includes('as=Table')) return send(200, table([live], String(rv)), 'application/json;as=Table;v=v1;g=meta.k8s.io');
      if (accept.includes('as=PartialObjectMetadata')) return send(200, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: live.metadata }, 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io');
      return send(200, live);
    }
    if (method === 'DELETE') {
      if (!live) throw notFound(info, name);
      if (!dryRun) remove(info, live);
      return send(200, live);
    }
    if (method === 'PUT') {
      if (!live) throw notFound(info, name);
      const body = parseBody(raw, contentType);
      checkIdentity(info, body, ns, name, strict);
      const want = (body.metadata as JsonMap).resourceVersion;
      if (want !== undefined && want !== (live.metadata as JsonMap).resourceVersion) {
        throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${resourceName(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, ...(info.group ? { group: info.group } : {}), kind: info.plural });
      }
      if (sub === 'status') body.metadata = structuredClone(live.metadata);
      else (body.metadata as JsonMap).managedFields = structuredClone((live.metadata as JsonMap).managedFields ?? []);
      if (sub !== 'status') recordUpdate(live, body, manager, now());
      return send(200, commit(info, live, body, dryRun));
    }
    if (method === 'PATCH') {
      if (contentType.startsWith('application/apply-patch')) {
        if (!url.searchParams.get('fieldManager')) throw new ApiError(400, 'BadRequest', 'PATCH requests for apply must include a non-empty fieldManager');
        const body = parseBody(raw, contentType);
        checkIdentity(info, body, ns, name, strict);
        if (!live) checkNamespace(info, ns);
        const result = serverSideApply(live, body, manager, url.searchParams.get('force') === 'true', now());
        if ('conflicts' in result) {
          const c = result.conflicts;
          throw new ApiError(409, 'Conflict', `Apply failed with ${c.length} conflict${c.length === 1 ? '' : 's'}: ${c.map((x) => `conflict with "${x.manager}" using ${x.apiVersion}: ${x.field}`).join('\n')}`, {
            name, ...(info.group ? { group: info.group } : {}), kind: info.kind,
            causes: c.map((x) => ({ reason: 'FieldManagerConflict', message: `conflict with "${x.manager}" using ${x.apiVersion}`, field: x.field })),
          });
        }
        return send(live ? 200 : 201, commit(info, live, result.object, dryRun));
      }
      if (!live) throw notFound(info, name);
      const patch = parseBody(raw, contentType);
      let next: JsonMap;
      if (contentType.startsWith('application/json-patch+json')) {
        try {
          next = jsonPatch.applyPatch(structuredClone(live), patch as unknown as jsonPatch.Operation[], true, false).newDocument;
        } catch (e) {
          throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${(e as Error).message}`);
        }
      } else if (contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/strategic-merge-patch+json')) {
        // Strategic merge is modelled as a JSON merge patch (lists replace): enough for annotate/label/scale.
        next = mergePatch(structuredClone(live), patch);
      } else throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      if (sub === 'status') next = { ...structuredClone(live), status: next.status ?? {} };
      else recordUpdate(live, next, manager, now());
      return send(200, commit(info, live, next, dryRun));
    }
    throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  function watch(info: KindInfo, ns: string, filter: (o: JsonMap) => boolean, url: URL, res: http.ServerResponse, entry: RequestEntry, accept: string) {
    entry.status = 200;
    entry.watch = true;
    const partial = accept.includes('as=PartialObjectMetadata');
    res.writeHead(200, { 'Content-Type': partial ? 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io' : 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    openResponses.add(res);
    const view = (o: JsonMap) => (partial ? { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } : o);
    const w: Watcher = { info, namespace: ns || undefined, match: filter, send: (type, obj) => res.write(JSON.stringify({ type, object: view(obj) }) + '\n') };
    const from = url.searchParams.get('resourceVersion');
    if (!from || from === '0') {
      for (const s of store.values()) if (s.info === info && (!ns || (s.obj.metadata as JsonMap).namespace === ns) && filter(s.obj)) w.send('ADDED', s.obj);
    } else {
      for (const h of history) if (h.rv > Number(from) && h.info === info && (!ns || (h.obj.metadata as JsonMap).namespace === ns) && filter(h.obj)) w.send(h.type, h.obj);
    }
    watchers.add(w);
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? '1800');
    const end = () => {
      watchers.delete(w);
      openResponses.delete(res);
      clearTimeout(t);
      if (!res.writableEnded) res.end();
    };
    const t = setTimeout(end, timeout * 1000);
    res.on('close', end);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const contentType = req.headers['content-type'];
      let body: Json | undefined;
      if (raw) {
        try {
          body = (contentType ?? '').includes('yaml') ? (yaml.load(raw) as Json) : (JSON.parse(raw) as Json);
        } catch {
          body = raw;
        }
      }
      const entry: RequestEntry = {
        type: 'request', seq: ++seq, method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams),
        contentType, accept: req.headers.accept, body, status: 0, dryRun: false, watch: false,
      };
      log.push(entry);
      handle(req, res, raw, entry).catch((e: unknown) => {
        const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `fake server bug: ${(e as Error).stack ?? String(e)}`);
        entry.status = err.code;
        if (!res.headersSent) res.writeHead(err.code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(err.status()));
      });
    });
  });
  // Every real cluster starts with these namespaces (the ApplySet parent of a cluster-scoped-only render goes to default).
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    const info = findByKind('v1', 'Namespace')!;
    commit(info, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, false);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    log,
    requests: (f = {}) =>
      log.filter((e): e is RequestEntry => e.type === 'request').filter((e) => Object.entries(f).every(([k, v]) => e[k as keyof RequestEntry] === v)),
    get(apiVersion, kind, namespace, name) {
      for (const s of store.values()) {
        const md = s.obj.metadata as JsonMap;
        if (apiVersionOf(s.info) === apiVersion && s.info.kind === kind && (md.namespace ?? '') === namespace && md.name === name) return s.obj;
      }
      return undefined;
    },
    objects: () => [...store.values()].map((s) => s.obj),
    seed(obj, manager = 'seed') {
      const info = findByKind(String(obj.apiVersion), String(obj.kind));
      if (!info) throw new Error(`fake server: unknown kind ${String(obj.apiVersion)} ${String(obj.kind)}`);
      const body = structuredClone(obj);
      const md = body.metadata as JsonMap;
      const live = lookup(info, String(md.namespace ?? ''), String(md.name));
      const result = serverSideApply(live, body, manager, true, now());
      if ('conflicts' in result) throw new Error('unreachable: forced apply');
      return commit(info, live, result.object, false);
    },
    async close() {
      for (const list of timers.values()) for (const t of list) clearTimeout(t);
      for (const r of openResponses) r.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: JsonMap, patch: JsonMap): JsonMap {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (isMap(v)) target[k] = mergePatch(isMap(target[k]) ? (target[k] as JsonMap) : {}, v);
    else target[k] = structuredClone(v);
  }
  return target;
}
