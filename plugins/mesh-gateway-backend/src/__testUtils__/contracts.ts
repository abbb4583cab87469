import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** `shared/contracts` sits beside the repository (see the project's README). */
export const CONTRACTS_DIR = path.resolve(__dirname, '../../../../../shared/contracts');

export function readContract(relative: string): string {
  return fs.readFileSync(path.join(CONTRACTS_DIR, relative), 'utf8');
}

export function readYamlContract<T = any>(relative: string): T {
  return parse(readContract(relative), { maxAliasCount: -1 }) as T;
}
