/**
 * The synth helper the construct tests read cdk-nag and the rule pack through: a failure that is no plugin finding
 * (aws-cdk-lib's own construct validation) fails the test instead of passing as an empty report.
 */
import { App, Stack } from 'aws-cdk-lib';
import { synthWithReport, tempDir } from './cdk';

test('a construct validation error fails synthWithReport; it is not a clean report', () => {
  const app = new App({ outdir: tempDir('ectk-synth-report-') });
  const stack = new Stack(app, 'S');
  stack.node.addValidation({ validate: () => ['the stack is not valid'] });
  expect(() => synthWithReport(app)).toThrow(/Validation failed with the following errors:[\s\S]*the stack is not valid/);
});
