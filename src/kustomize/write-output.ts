// Writes `render DIR --output PATH` as kustomize build -o does: into an existing folder one file per
// resource, otherwise the whole stream into the file PATH.
import fs from 'node:fs';
import path from 'node:path';
import type { JsonObject } from '../resource.js';
import { emitDocuments } from '../emit/yaml.js';
import { kustomizeOutputFiles } from './output.js';

export async function writeKustomizeOutput(target: string, objects: readonly JsonObject[]): Promise<void> {
  const isDir = fs.existsSync(target) && fs.statSync(target).isDirectory();
  if (!isDir) {
    await fs.promises.writeFile(target, emitDocuments(objects));
    return;
  }
  await Promise.all(kustomizeOutputFiles(objects).map((f) => fs.promises.writeFile(path.join(target, f.name), f.content)));
}
