// `kforge init`: write a kforge.yaml for an existing kustomize repository, validated before it is written, and
// change nothing else. An existing kforge.yaml is never overwritten.
import fs from 'node:fs';
import path from 'node:path';
import { InputError, NotFoundError } from '../errors.js';
import { PROJECT_FILE, parseProject, schemaDir } from '../project/config.js';
import { detect, type Detection } from './detect.js';
import { draftProjectFile, type ProjectDraft } from './project-file.js';

export interface InitOptions {
  dir: string;
  /** Do not write: return the text only. */
  dryRun?: boolean;
}

export interface InitResult extends ProjectDraft {
  file: string;
  written: boolean;
  found: { overlays: string[]; bases: string[]; components: string[]; dockerfiles: string[] };
  /** Whether .gitignore already keeps kforge's cache folder out of git. */
  cacheIgnored: boolean;
}

function schemaUrl(): string {
  const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, 'kforge.schema.json'), 'utf8')) as { $id?: string };
  return schema.$id ?? 'kforge.schema.json';
}

function summary(det: Detection, draft: ProjectDraft): InitResult['found'] {
  const overlays = new Set(draft.environments.map((e) => e.path));
  return {
    overlays: [...overlays],
    bases: det.kustomizations.filter((k) => k.kind === 'Kustomization' && !overlays.has(k.dir)).map((k) => k.dir),
    components: det.kustomizations.filter((k) => k.kind === 'Component').map((k) => k.dir),
    dockerfiles: det.dockerfiles.map((d) => (d.dir === '.' ? d.file : `${d.dir}/${d.file}`)),
  };
}

export function initProject(opts: InitOptions): InitResult {
  const root = path.resolve(opts.dir);
  const file = path.join(root, PROJECT_FILE);
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new NotFoundError(`${root} is not a folder`, {}, 'name the top of a kustomize repository');
  if (fs.existsSync(file)) throw new InputError('the project file already exists', { file }, 'kforge init never overwrites it: edit it, or move it away and run init again');
  const det = detect(root);
  if (det.kustomizations.length === 0) {
    throw new NotFoundError(`no kustomization.yaml under ${root}`, {}, 'run kforge init at the top of a kustomize repository');
  }
  const draft = draftProjectFile(det, { rootName: path.basename(root), schemaUrl: schemaUrl() });
  if (draft.environments.length === 0) throw new NotFoundError(`no overlay found under ${root}: every kustomization is used by another one`, {}, 'write kforge.yaml by hand');
  // What is written must load: the same validation every kforge command does.
  parseProject(draft.text, file);
  let written = false;
  if (!opts.dryRun) {
    // 'wx' fails if the file appeared since the check above: init never overwrites, even in a race.
    try {
      fs.writeFileSync(file, draft.text, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new InputError('the project file already exists', { file }, 'it appeared while init ran; nothing was written');
      throw new InputError(`cannot write ${PROJECT_FILE}: ${(e as Error).message}`, { file });
    }
    written = true;
  }
  const gitignore = path.join(root, '.gitignore');
  const cacheIgnored = fs.existsSync(gitignore) && /^\/?\.kforge-cache\/?\s*$/m.test(fs.readFileSync(gitignore, 'utf8'));
  return { ...draft, file, written, found: summary(det, draft), cacheIgnored };
}
