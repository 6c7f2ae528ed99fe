import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/**
 * A file of generated secrets, written once and then only read: the first process to start
 * writes `fresh` (flag 'wx' fails when the file exists, so processes starting at once keep
 * one set; mode 0600), every later one reads what the file holds and checks its shape.
 * Answers the file's secrets and whether this call wrote them.
 */
export function writeOnceOrRead<S extends z.ZodType>(file: string, fresh: z.infer<S>, schema: S): { secrets: z.infer<S>; written: boolean } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
    return { secrets: fresh, written: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} does not hold the secrets expected (${parsed.error.issues[0]?.path.join('.')}); move it away to generate a new set`);
  return { secrets: parsed.data, written: false };
}
