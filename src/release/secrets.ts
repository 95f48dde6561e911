// Which rendered Secrets would put credentials into git: those with data, unless SOPS-encrypted.
import type { JsonObject, ResId } from '../resource.js';
import { describeId, isObject, resIdOf } from '../resource.js';
import { InputError } from '../errors.js';

const hasValues = (v: unknown) => isObject(v) && Object.keys(v).length > 0;

/** Secrets with `data` or `stringData`; a SOPS-encrypted one (top-level `sops` block) holds only ciphertext. */
export function plaintextSecrets(resources: readonly JsonObject[]): ResId[] {
  return resources
    .filter((r) => r.kind === 'Secret' && (r.apiVersion === 'v1' || r.apiVersion === undefined))
    .filter((r) => (hasValues(r.data) || hasValues(r.stringData)) && !isObject(r.sops))
    .map(resIdOf);
}

/** Throws one error naming every offending Secret of the environments that do not allow them. */
export function refuseSecrets(envs: readonly { name: string; allowSecrets?: boolean; resources: readonly JsonObject[] }[]): void {
  const found = envs
    .filter((e) => !e.allowSecrets)
    .map((e) => ({ env: e.name, ids: plaintextSecrets(e.resources) }))
    .filter((e) => e.ids.length > 0);
  if (found.length === 0) return;
  const list = found.map((f) => `${f.env}: ${f.ids.map(describeId).join(', ')}`).join('; ');
  const names = found.map((f) => f.env);
  throw new InputError(
    `refusing to commit Secrets with data to git (${list})`,
    {},
    `create them in the cluster instead, use SealedSecrets or SOPS-encrypted Secrets, or set ${names.map((n) => `environments.${n}.allowSecrets: true`).join(' and ')} in kforge.yaml`,
  );
}
