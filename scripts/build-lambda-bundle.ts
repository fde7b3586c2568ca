// Builds the load-generator Lambda bundle that the construct library ships (assets/lambda/), so that a
// consumer's synth never bundles. Run by `npm run build`.
import * as path from 'path';
import { buildLambdaBundle } from '../lib/constructs/lambda-bundle';

const root = path.join(__dirname, '..');
buildLambdaBundle(root, path.join(root, 'assets', 'lambda'));
