/**
 * A CDK app made of the README's TypeScript snippets, as a user would paste them: every ```ts block from "Use the
 * constructs" on goes into one stack (their imports merged at the top), and the block that creates the `App` (the rule
 * pack snippet) becomes the app's entry, with the stack where it says `// ... your stacks ...`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './packages';

/** What the snippets take as given, built the way a careful user would (so cdk-nag has nothing to say about it). */
const PRELUDE = `
    // What the README's snippets take as given: a VPC, a function, a pager topic and a legacy cache's security group.
    const prelude = new Construct(this, 'Prelude');
    const vpc = new ec2.Vpc(prelude, 'Vpc', { maxAzs: 2, natGateways: 1, flowLogs: { all: {} } });
    const fn = new lambda.Function(prelude, 'App', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});'), vpc,
    });
    const pagerTopic = new sns.Topic(prelude, 'Pager', { enforceSSL: true, masterKey: new kms.Key(prelude, 'PagerKey', { enableKeyRotation: true }) });
    const legacySg = new ec2.SecurityGroup(prelude, 'LegacySg', { vpc, allowAllOutbound: false });
    if (process.env.CONSUMER_CANARY === '1') {
      // The control run: one finding for each pack, so a clean report is known to come from checks that ran.
      new sns.Topic(prelude, 'PlainTopic');
      const open = new elasticache.CfnUser(prelude, 'OpenUser', {
        engine: 'valkey', userId: 'open', userName: 'open', accessString: 'on ~* +@all', authenticationMode: { Type: 'no-password-required' },
      });
      new elasticache.CfnUserGroup(prelude, 'OpenGroup', { engine: 'valkey', userGroupId: 'open-group', userIds: [open.userId] });
    }
    cdk.Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'the consumer app\\'s own function, not part of the library under test',
    }, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      reason: 'the consumer app\\'s own function, not part of the library under test',
    });
`;

const PRELUDE_IMPORTS = [
  "import * as cdk from 'aws-cdk-lib';",
  "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
  "import * as elasticache from 'aws-cdk-lib/aws-elasticache';",
  "import * as kms from 'aws-cdk-lib/aws-kms';",
  "import * as lambda from 'aws-cdk-lib/aws-lambda';",
  "import * as sns from 'aws-cdk-lib/aws-sns';",
  "import { Construct } from 'constructs';",
];

/** The ```ts blocks of the README from the "Use the constructs" section on. */
export function readmeSnippets(readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')): string[] {
  const from = readme.indexOf('## Use the constructs');
  if (from < 0) throw new Error('README.md has no "## Use the constructs" section');
  return [...readme.slice(from).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Splits `import { a, b } from 'm';` statements off a snippet: names per module, and the rest of the code. */
function splitImports(code: string): { imports: Map<string, Set<string>>; body: string } {
  const imports = new Map<string, Set<string>>();
  const body = code.replace(/^import \{([^}]*)\} from '([^']+)';\n/gm, (_, names: string, module: string) => {
    const set = imports.get(module) ?? new Set<string>();
    for (const n of names.split(',').map((x) => x.trim()).filter(Boolean)) set.add(n);
    imports.set(module, set);
    return '';
  });
  if (/^import /m.test(body)) throw new Error(`a README snippet has an import the consumer app cannot merge:\n${code}`);
  return { imports, body };
}

/** The app's entry file (bin/consumer.ts) and stack file (lib/readme-stack.ts). */
export function readmeApp(snippets = readmeSnippets()): { entry: string; stack: string } {
  const appSnippets = snippets.filter((s) => s.includes('new App('));
  if (appSnippets.length !== 1) throw new Error(`expected one README snippet that creates the App, found ${appSnippets.length}`);
  const stackSnippets = snippets.filter((s) => !s.includes('new App('));
  const merged = new Map<string, Set<string>>();
  const bodies: string[] = [];
  for (const snippet of stackSnippets) {
    const { imports, body } = splitImports(snippet);
    for (const [module, names] of imports) names.forEach((n) => (merged.get(module) ?? merged.set(module, new Set()).get(module)!).add(n));
    bodies.push(body.trim());
  }
  const stack = [
    ...PRELUDE_IMPORTS,
    ...[...merged].map(([module, names]) => `import { ${[...names].sort().join(', ')} } from '${module}';`),
    '',
    'export class ReadmeStack extends cdk.Stack {',
    '  constructor(scope: Construct, id: string, props?: cdk.StackProps) {',
    '    super(scope, id, props);',
    PRELUDE,
    ...bodies.map((b) => b.split('\n').map((line) => `    ${line}`).join('\n')),
    '  }',
    '}',
    '',
  ].join('\n');
  const app = appSnippets[0];
  if (!app.includes('// ... your stacks ...')) throw new Error('the README\'s App snippet lost its "// ... your stacks ..." line');
  const entry = `import { ReadmeStack } from '../lib/readme-stack';\n${app.replace('// ... your stacks ...', "new ReadmeStack(app, 'Readme');")}`;
  return { entry, stack };
}
