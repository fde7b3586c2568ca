import * as fs from 'fs';
import * as readline from 'readline/promises';
import { Command } from 'commander';
import { AwsClients, AwsOptions } from '../ops/aws';

/** Lets tests hand in clients pointed at an emulator or a mock; the CLI builds them from the AWS flags. */
export type ClientFactory = (o: AwsOptions) => AwsClients;

/** Where the ops commands write and how they ask; tests pass their own. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly tty: boolean;
  readonly stdinTty: boolean;
  readonly ask: (question: string) => Promise<string>;
}

export function defaultIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    tty: process.stdout.isTTY === true,
    stdinTty: process.stdin.isTTY === true,
    ask: async (q) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try { return await rl.question(q); } finally { rl.close(); }
    },
  };
}

/** The AWS flags every command that calls AWS takes. */
export function withAws(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region (default: the standard chain, AWS_REGION or the profile)')
    .option('--profile <name>', 'AWS named profile')
    .option('--endpoint-url <url>', 'AWS API endpoint, for emulators');
}

export function awsOptions(flags: { region?: string; profile?: string; endpointUrl?: string }): AwsOptions {
  return { region: flags.region, profile: flags.profile, endpointUrl: flags.endpointUrl };
}

/** Writes `value` as JSON to the file, or to stdout for `--json` without one (then returns true: print nothing else). */
export function writeJson(io: Io, file: string | boolean | undefined, value: unknown): boolean {
  if (!file) return false;
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (file === true || file === '-') io.out(text);
  else fs.writeFileSync(file, text);
  return file === true || file === '-';
}
