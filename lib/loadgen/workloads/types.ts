import { jitteredTtlMs } from '../../util/ttl';
import { KeyPattern, Rng } from '../random';
import { Client } from '../../client/target';

/** The shape of the data a run works on, shared by the run configuration, worker plans and profiles. */
export interface WorkloadParams {
  /** Number of distinct keys (prompts, sessions, entities, buckets, members). */
  readonly keyspace: number;
  readonly keyPattern: KeyPattern;
  /** Value size range in bytes. */
  readonly valueSize: readonly [number, number];
  /** TTL given to every key written, before jitter. */
  readonly ttlSeconds: number;
  /** Jitter fraction applied to every TTL. */
  readonly ttlJitter: number;
  /** get-set: SETs per GETs, memtier's `--ratio 1:10`. */
  readonly ratio: readonly [number, number];
  /**
   * semantic-cache: the index behind the cache, the bucketed one (every engine) or vector search (node-based Valkey
   * 8.2+; the run creates its own index under its prefix and drops it at the end). @default 'bucketed'
   */
  readonly semanticIndex?: 'bucketed' | 'vector-search';
}

/** What a profile needs to know to generate its requests. */
export interface WorkloadContext extends WorkloadParams {
  /** Every key starts with this (`<prefix><runId>:`). */
  readonly keyPrefix: string;
  readonly rng: Rng;
}

/**
 * What one logical operation found: the counters it adds to, by the names its catalog entry declares (`{ hits: 1 }`).
 * Share one frozen object per outcome rather than building one per operation.
 */
export type OpOutcome = Readonly<Record<string, number>>;

/** A logical operation that is exactly one command: the closed loop can send many of them in one write. */
export interface SingleCommand {
  /** The command and its arguments, as sent on the wire. */
  readonly args: ReadonlyArray<string | Buffer>;
  /** What the reply means for the profile's figures. */
  outcome(reply: unknown): OpOutcome;
}

/**
 * A workload profile's run-time half (its catalog entry, lib/catalog/workloads.ts, holds its name, commands and
 * figures): one logical operation at a time (which may be several commands), with its command mix.
 */
export interface Workload {
  /** Loads data before the run (once per run, not per worker). */
  setup(client: Client): Promise<void>;
  /** Removes what the run created on the server besides its keys (an index), on every path; keys go separately. */
  teardown?(client: Client): Promise<void>;
  /** What a `--keep-data` run leaves that no TTL removes (what teardown would have removed), and how to remove it. */
  readonly keptState?: string;
  /** One logical operation. */
  operation(client: Client): Promise<OpOutcome>;
  /**
   * The next operation as one command, for profiles whose operations are single commands (get-set). The closed loop
   * sends these in batches on a standalone endpoint (`--pipeline` of them per connection per round trip).
   */
  request?(): SingleCommand;
}

export type WorkloadFactory = (ctx: WorkloadContext) => Workload;

/** Payload bytes for values: one random buffer sliced per write (content does not matter to the engine). */
export class Values {
  private readonly buffer: Buffer;

  constructor(private readonly ctx: WorkloadContext) {
    this.buffer = Buffer.alloc(ctx.valueSize[1]);
    for (let i = 0; i < this.buffer.length; i++) this.buffer[i] = 97 + ctx.rng.int(26);
  }

  public next(): Buffer {
    const [min, max] = this.ctx.valueSize;
    return this.buffer.subarray(0, min === max ? min : this.ctx.rng.between(min, max));
  }
}

/** TTL in milliseconds for one write, with jitter. */
export function ttlMs(ctx: WorkloadContext): number {
  return jitteredTtlMs(ctx.ttlSeconds, ctx.ttlJitter, ctx.rng.next());
}
