import type { WorkerPlan } from './engine';

/** A worker plan as it crosses into a thread: without the password source, which stays in the parent thread. */
export type ThreadPlan = WorkerPlan & {
  /** The thread asks the parent for each password (`{ passwordRequest: id }`) and gets a `PasswordReply`. */
  readonly passwordBridge?: boolean;
};

/** The parent's answer to `{ passwordRequest: id }`: the password, or why there is none. */
export interface PasswordReply {
  readonly passwordReply: number;
  readonly password?: string;
  readonly error?: string;
}
