import * as path from 'path';

/** This package's compiled (or, under ts-jest, source) library folder: frames from inside it are not the user's. */
const LIBRARY_DIR = path.resolve(__dirname, '..') + path.sep;
/** Frames that never point at the line a user wrote: this library, the CDK, constructs, Node's own. */
const NOT_THE_USERS = [LIBRARY_DIR, `${path.sep}node_modules${path.sep}aws-cdk-lib${path.sep}`,
  `${path.sep}node_modules${path.sep}constructs${path.sep}`, 'node:internal', '(internal/', '(<anonymous>)'];
/** At most this many of the user's frames: enough to find the line that passed the value. */
const USER_FRAMES = 3;

/**
 * A prop the toolkit refuses at construction. Its message names the construct path, the prop, the value and what is
 * allowed; its stack holds that message and then only the user's own frames (the library's, the CDK's and Node's are
 * left out), so that an app that fails to synthesize prints the message and the line of the app that caused it
 * rather than ten frames of the toolkit's validation code. `name` is `ValidationError`, as for aws-cdk-lib's own.
 */
export class ValidationError extends Error {
  /** The construct path (or the prop path where no construct exists yet). */
  declare public readonly constructPath: string;
  /** The prop refused. */
  declare public readonly prop: string;

  constructor(constructPath: string, prop: string, message: string) {
    super(message);
    // Not enumerable: Node prints an uncaught error's enumerable fields after its stack.
    Object.defineProperty(this, 'constructPath', { value: constructPath });
    Object.defineProperty(this, 'prop', { value: prop });
    Object.defineProperty(this, 'name', { value: 'ValidationError' });
    const frames = (new Error().stack ?? '').split('\n').slice(1).filter((line) => /^\s+at /.test(line))
      .filter((line) => !NOT_THE_USERS.some((part) => line.includes(part)));
    this.stack = [`${this.name}: ${message}`, ...frames.slice(0, USER_FRAMES)].join('\n');
  }
}
