// doctor's arguments, validated once at the edge: --root must be a folder, FOLDER must exist under it.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { DOCTOR_OPTIONS } from './doctor-options.js';

export interface DoctorConfig {
  readonly root: string;
  /** The app's folder as a path on the machine checked (absolute), or null. */
  readonly folder: string | null;
  readonly json: boolean;
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

export async function loadDoctorConfig(
  folder: string | undefined,
  flags: Record<string, unknown>,
): Promise<DoctorConfig> {
  const problems = new Problems('doctor');
  const { values } = await validateOptions(DOCTOR_OPTIONS, flags, problems);
  const root = values.root === undefined ? '/' : resolve(values.root);
  if (values.root !== undefined && !(await isFolder(root))) {
    problems.usage(
      `--root ${values.root} is not a folder — pass the folder that stands for / (holding etc/, proc/)`,
    );
  }
  if (folder === '') problems.usage('FOLDER an empty path was given');
  // Under --root, FOLDER is a path of the machine the tree stands for.
  const appFolder = folder ? (root === '/' ? resolve(folder) : resolve('/', folder)) : null;
  if (appFolder !== null && !(await isFolder(root === '/' ? appFolder : join(root, appFolder)))) {
    problems.usage(
      `FOLDER ${folder} is not a folder — pass the app's folder (the one holding check.log or start.sh)`,
    );
  }
  problems.throwIfAny();
  return freezeConfig({ root, folder: appFolder, json: values.json });
}
