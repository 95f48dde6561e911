// The policy rules that guard reproducibility, as a render runs them: one error naming every image that is not
// reproducible, with the file, line and field of the first. Pure; `renderEnvironment` (src/render.ts) calls it
// after pointing containers at the project's images.
import { InputError } from '../errors.js';
import type { Resource } from '../resource.js';
import type { ProjectImagesConfig } from '../compile/project-images.js';
import { reproducibilityFindings, type PolicyEnvironment } from './policies.js';

export function refuseIrreproducible(env: PolicyEnvironment, resources: readonly Resource[], images: ProjectImagesConfig): void {
  // --allow-mutable-tags is the command line's way of switching image-tag-pinned off.
  const policies = images.allowMutableTags ? { ...env.policies, 'image-tag-pinned': false } : env.policies;
  const found = reproducibilityFindings(resources.map((r) => r.object), { env: { ...env, policies }, projectImages: images.images, registry: images.registry });
  if (found.length === 0) return;
  const first = resources[found[0].index].origin;
  throw new InputError(
    `${found.length === 1 ? 'an image is' : `${found.length} images are`} not reproducible: ${found.map((f) => `${f.resource}: ${f.message}`).join('; ')}`,
    { file: first.file, line: first.line, path: found[0].path },
    `pin a tag or digest, or switch the rule off: environments.${env.name}.policies.${found[0].rule}: false`,
  );
}
