import fs from 'node:fs';
import path from 'node:path';

/** An executable named `name` on PATH, if there is one. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `command args` wrapped so that (on Linux) the kernel sends the child `signal` when this
 * process dies, however it dies, even by SIGKILL (setpriv --pdeathsig, util-linux).
 * Elsewhere, or without setpriv, the command as given.
 */
export function tiedToThisProcess(command: string, args: readonly string[], signal: 'TERM' | 'INT' = 'TERM'): [string, string[]] {
  const setpriv = process.platform === 'linux' ? onPath('setpriv') : undefined;
  return setpriv ? [setpriv, ['--pdeathsig', signal, '--', command, ...args]] : [command, [...args]];
}
