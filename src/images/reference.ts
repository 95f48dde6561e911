// Image references: splitting `host/repo:tag@digest`, where a registry prefix lives, and whether a reference
// names one of the project's images (bare `name` or `<registry>/name`, any tag or none).

export interface ImageRef {
  /** Everything before the tag and digest, e.g. `127.0.0.1:5000/coolapp/web`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  // A colon before the last slash is a registry port, not a tag.
  if (colon > rest.lastIndexOf('/')) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

export function formatImageRef(r: ImageRef): string {
  return `${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** Where a registry prefix like `127.0.0.1:5000/coolapp` or `ghcr.io/org` is served, and its path part. */
export interface RegistryLocation {
  /** Host (and port) as written, e.g. `127.0.0.1:5000`, `docker.io`. */
  host: string;
  /** The host the distribution API answers on (Docker Hub's is registry-1.docker.io). */
  apiHost: string;
  /** Repository path prefix inside the registry, e.g. `coolapp` (may be empty). */
  path: string;
}

export function registryLocation(prefix: string): RegistryLocation {
  const slash = prefix.indexOf('/');
  const first = slash < 0 ? prefix : prefix.slice(0, slash);
  // Docker's rule: the first component is a host when it has a dot or a port, or is localhost.
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = isHost ? first : 'docker.io';
  const path = isHost ? (slash < 0 ? '' : prefix.slice(slash + 1)) : prefix;
  return { host, apiHost: host === 'docker.io' ? 'registry-1.docker.io' : host, path };
}

/** Splits a full repository name (`host/path/name`) into its registry location and repository path. */
export function splitRepository(repository: string): { location: RegistryLocation; repo: string } {
  const location = registryLocation(repository);
  const repo = location.host === 'docker.io' && !location.path.includes('/') ? `library/${location.path}` : location.path;
  return { location, repo };
}

/** Loopback registries are spoken to over plain HTTP without asking, as Docker does. */
export function isLoopbackHost(host: string): boolean {
  const h = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The repository a project image is pushed to: `<registry>/<name>`, or just `<name>` without a registry. */
export function projectRepository(registry: string | undefined, name: string): string {
  return registry ? `${registry}/${name}` : name;
}

/** The project image a reference names, if any: its repository is `name` or `<registry>/name`. */
export function matchProjectImage(ref: string, names: readonly string[], registry: string | undefined): string | undefined {
  const { repository } = parseImageRef(ref);
  for (const name of names) {
    if (repository === name || (registry && repository === `${registry}/${name}`)) return name;
  }
  return undefined;
}
