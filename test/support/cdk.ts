import { spawnSync } from 'child_process';
import { schemaSupplement } from './cfn-schemas';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ElastiCacheChecks } from '../../lib';

/** A fresh app, stack and VPC (private subnets with egress) for one test. */
export function testStack(): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return { app, stack, vpc };
}

/** A VPC of isolated subnets in two AZs with REJECT flow logs (cdk-nag clean): nothing leaves but to the VPC itself. */
export function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'cache', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
  });
}

/** The resources of one type in a template, as [logicalId, properties]. */
export function resourcesOf(template: Template, type: string): Array<[string, Record<string, unknown>]> {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, (r as { Properties: Record<string, unknown> }).Properties]);
}

export interface Violation { rule: string; path: string; severity: string }

/**
 * Synthesizes an app into a temporary folder and returns every violation the validation plugins (cdk-nag) reported,
 * whatever their severity, with the folder holding the templates.
 */
export function synthWithReport(app: App): { outdir: string; violations: Violation[] } {
  const outdir = app.outdir;
  try {
    app.synth();
  } catch (e) {
    // Findings at error level fail the synth (an error named ValidationFailed); the report below still lists them.
    // aws-cdk-lib's own construct validation ("Validation failed with the following errors: [path] ...") is no
    // plugin finding and is in no report: it must fail the test, not pass as "no violations".
    const text = `${(e as Error).name} ${(e as Error).message}`;
    if (!/Validation ?failed/i.test(text) || /with the following errors/i.test(text)) throw e;
  }
  const reportFile = path.join(outdir, 'validation-report.json');
  const violations: Violation[] = [];
  if (fs.existsSync(reportFile)) {
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
      pluginReports: Array<{ violations: Array<{ ruleName: string; severity: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
    };
    for (const plugin of report.pluginReports) {
      for (const v of plugin.violations) {
        for (const c of v.violatingConstructs) violations.push({ rule: v.ruleName, path: c.constructPath, severity: v.severity });
      }
    }
  }
  return { outdir, violations };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Flattens a CloudFormation Fn::Join of literals and GetAtt/Ref into one string, with tokens as `<Logical.Attr>`, and
 * the stack id suffix the constructs derive (Fn::Select/Fn::Split of AWS::StackId) as `<AWS::StackId-suffix>`.
 */
export function flattenJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v['Fn::Select'] && JSON.stringify(v).includes('"Ref":"AWS::StackId"')) return '<AWS::StackId-suffix>';
  if (v['Fn::Join']) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flattenJoin).join(sep);
  }
  if (v['Fn::GetAtt']) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (v.Ref) return `<${String(v.Ref)}>`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

/**
 * cfn-lint's errors (not warnings) on a template file, with its schemas brought up to date for ElastiCache
 * (test/support/cfn-schemas.ts); fails the test when cfn-lint is not installed.
 */
export function cfnLintErrors(templateFile: string): string[] {
  const result = spawnSync('cfn-lint', ['--format', 'parseable', '--registry-schemas', schemaSupplement().dir, '--', templateFile], { encoding: 'utf8' });
  if (result.error) throw new Error('cfn-lint is not installed: the template cannot be checked. Install it with `pip install cfn-lint`.');
  // cfn-lint exit status is a bit mask: 2 = errors, 4 = warnings, 8 = informational.
  const errors = result.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
  if (errors.length === 0 && (result.status! & 2) !== 0) return [`cfn-lint exited ${result.status}: ${result.stdout}${result.stderr}`];
  return errors;
}

export interface CheckedSynth {
  readonly stack: Stack;
  readonly template: Template;
  readonly templateFile: string;
  /** Findings of cdk-nag AwsSolutions and the ElastiCache rule pack, of any severity. */
  readonly violations: Violation[];
}

/**
 * Builds a stack in a fresh app, synthesizes it with cdk-nag AwsSolutions and the ElastiCache rule pack as validation
 * plugins (as the reference app does), and returns their findings with the template file for cfn-lint.
 */
export function checkedSynth(build: (stack: Stack) => void, stackName = 'Checked'): CheckedSynth {
  const app = new App({ outdir: tempDir('ectk-checked-') });
  const stack = new Stack(app, stackName);
  build(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ElastiCacheChecks(app));
  const { outdir, violations } = synthWithReport(app);
  return { stack, template: Template.fromStack(stack), templateFile: path.join(outdir, `${stackName}.template.json`), violations };
}
