// Builds the load-generator Lambda bundle that the construct library ships (assets/loadgen-lambda/), so that a
// consumer's synth never bundles. Run by `npm run build`.
import * as path from 'path';
import { buildLoadgenBundle } from '../lib/constructs/loadgen-bundle';

const root = path.join(__dirname, '..');
buildLoadgenBundle(root, path.join(root, 'assets', 'loadgen-lambda'));
