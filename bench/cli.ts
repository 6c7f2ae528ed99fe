/** `npm run bench -- [scenario…] [--quick] [--json] [--keep] [--profile] [--list] [--cluster] [--<flag> <value>…]` */
export interface CliArgs {
  scenarios: string[];
  quick: boolean;
  json: boolean;
  keep: boolean;
  list: boolean;
  help: boolean;
  profile: boolean;
  /** the cluster's Temporal (the real server on PostgreSQL) instead of the dev server */
  cluster: boolean;
  /** every other `--name value`, for the scenarios */
  flags: Record<string, string>;
}

const SWITCHES = new Set(['quick', 'json', 'keep', 'list', 'help', 'profile', 'cluster']);

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { scenarios: [], quick: false, json: false, keep: false, list: false, help: false, profile: false, cluster: false, flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') out.help = true;
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (SWITCHES.has(name)) (out as unknown as Record<string, boolean>)[name] = true;
      else {
        const value = inline ?? argv[++i];
        if (value === undefined) throw new Error(`--${name} needs a value`);
        out.flags[name] = value;
      }
    } else out.scenarios.push(arg);
  }
  return out;
}
